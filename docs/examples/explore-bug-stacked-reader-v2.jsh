// PLANTED BUG (for klp explore), with explore-bug-stacked-reader-v3.jsh: a cumulative patch that
// allocates shadow variable 0x77 in pre_patch and frees it in post_unpatch. On its own that is
// correct. The bug is the pair: v3, a NON-cumulative patch stacked on top of it, reads 0x77
// from its replacement of meminfo_proc_show, so disabling this patch under v3 frees what v3
// still reads (v3 then gets NULL: shadow-read-after-free).
//   klpsim explore --depth 5 docs/examples/explore-bug-stacked-reader-v2.jsh docs/examples/explore-bug-stacked-reader-v3.jsh
// (the counterexample: src/test/resources/transcripts/explore/stacked-reader.klpt). The fix:
// v3 declares the state and v2 leaves the variable while klp_get_state() finds a newer user,
// or v3 is cumulative (it then replaces v2 and takes the variable over).
m.livepatch();
m.description("klpsim example: cumulative patch that frees 0x77 in post_unpatch (planted bug with v3)");
final long SV_TABLE = 0x77;

m.function("stacked_v2_cmdline_proc_show", c -> {
    c.seqPrintf("stacked v2\n");
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "stacked_v2_cmdline_proc_show")
        .prePatch(o -> {
            k.prInfo("allocating the table");
            return k.klpShadowAlloc(k.machine(), SV_TABLE, 16, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0;
        })
        .postUnpatch(o -> {
            k.prInfo("freeing the table");
            k.klpShadowFree(k.machine(), SV_TABLE, null);
        })
        .replace(true)
        .build()));
