// Shadow hand-over, version 2 (the reproduction of issue #10; see docs/user-guide.md).
// Replaces version 1 and takes its request counter over with klp_shadow_get_or_alloc()
// in pre_patch (the existing variable is returned; without one it allocates), reads it on
// every call, and frees it in post_unpatch, which runs when version 2 is disabled (not
// when a newer cumulative patch replaces it: that patch takes the counter over in turn).
m.livepatch();
m.description("klpsim example: shadow hand-over, v2 (takes the counter over, frees it)");
final long SV_REQUESTS = 0x42;
KlpPatch[] patch = new KlpPatch[1];

m.function("my_fix_v2_cmdline_proc_show", c -> {
    Shadow.Data n = k.klpShadowGet(k.machine(), SV_REQUESTS);
    c.seqPrintf("my_fix v2: request " + (n == null ? 0 : ++n.value) + "\n");
    return 0;
});

m.init(() -> {
    patch[0] = k.patch().object(null)
            .func("cmdline_proc_show", "my_fix_v2_cmdline_proc_show")
            .prePatch(o -> k.klpShadowGetOrAlloc(k.machine(), SV_REQUESTS, 8, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0)
            .postUnpatch(o -> k.klpShadowFree(k.machine(), SV_REQUESTS, null))
            .replace(true)
            .build();
    return k.klpEnablePatch(patch[0]);
});
