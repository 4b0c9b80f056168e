// Shadow hand-over, version 1 (the reproduction of issue #10; see docs/user-guide.md).
// A cumulative patch that keeps a per-machine request counter in shadow variable 0x42:
// pre_patch allocates it (get_or_alloc, so a counter left by another version is reused),
// the patched function reads it on every call. Version 1 never frees it: that is the bug
// version 2 fixes. Loading version 1 over version 2 brings the bug back, and klp preview
// says so.
m.livepatch();
m.description("klpsim example: shadow hand-over, v1 (never frees its counter)");
final long SV_REQUESTS = 0x42;
KlpPatch[] patch = new KlpPatch[1];

m.function("my_fix_v1_cmdline_proc_show", c -> {
    Shadow.Data n = k.klpShadowGet(k.machine(), SV_REQUESTS);
    c.seqPrintf("my_fix v1: request " + (n == null ? 0 : ++n.value) + "\n");
    return 0;
});

m.init(() -> {
    patch[0] = k.patch().object(null)
            .func("cmdline_proc_show", "my_fix_v1_cmdline_proc_show")
            .prePatch(o -> k.klpShadowGetOrAlloc(k.machine(), SV_REQUESTS, 8, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0)
            .replace(true)
            .build();
    return k.klpEnablePatch(patch[0]);
});
