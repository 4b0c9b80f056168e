// PLANTED BUG (for klp explore), with explore-bug-stacked-reader-v2.jsh: a NON-cumulative patch
// stacked on v2 whose replacement of meminfo_proc_show reads v2's shadow variable 0x77. It does
// not own the variable: when v2 is disabled under it, v2's post_unpatch frees 0x77 and the next
// read of /proc/meminfo gets NULL (explore: shadow-read-after-free).
m.livepatch();
m.description("klpsim example: non-cumulative patch reading v2's shadow variable 0x77 (planted bug with v2)");
final long SV_TABLE = 0x77;

m.function("stacked_v3_meminfo_proc_show", c -> {
    Shadow.Data t = k.klpShadowGet(k.machine(), SV_TABLE);
    c.seqPrintf(t == null ? "stacked v3: no table\n" : "stacked v3: table\n");
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("meminfo_proc_show", "stacked_v3_meminfo_proc_show")
        .build()));
