// A patch that allocates shadow variable 0x55 in pre_patch and frees it in post_unpatch: correct
// on its own. With explore-bug-replace-leak-v2.jsh (the planted bug), an atomic replace that
// neither takes 0x55 over nor frees it, the variable leaks: a replaced patch's post_unpatch does
// not run, and once this module is removed nothing that knows the variable is left.
//   klpsim explore --depth 3 docs/examples/explore-bug-replace-leak-v1.jsh docs/examples/explore-bug-replace-leak-v2.jsh
// (the counterexample: src/test/resources/transcripts/explore/replace-leak.klpt).
m.livepatch();
m.description("klpsim example: allocates 0x55 in pre_patch, frees it in post_unpatch");
final long SV_STATS = 0x55;

m.function("replace_leak_v1_cmdline_proc_show", c -> {
    c.seqPrintf("replace-leak v1\n");
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "replace_leak_v1_cmdline_proc_show")
        .prePatch(o -> {
            k.prInfo("allocating the statistics");
            return k.klpShadowAlloc(k.machine(), SV_STATS, 8, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0;
        })
        .postUnpatch(o -> {
            k.prInfo("freeing the statistics");
            k.klpShadowFree(k.machine(), SV_STATS, null);
        })
        .build()));
