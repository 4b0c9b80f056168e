// PLANTED BUG (for klp explore), with explore-bug-replace-leak-v1.jsh: an atomic replace of v1
// that neither takes v1's shadow variable 0x55 over nor frees it. After the replace v1's
// post_unpatch never runs (the kernel runs no callback of a replaced patch), so once v1's
// module is removed 0x55 leaks (`shadow list`: leaked; explore: shadow-leak at depth 3).
// The fix: take it over in pre_patch (klp_shadow_get_or_alloc, or a declared state and
// klp_get_prev_state()) and free it in this patch's post_unpatch.
m.livepatch();
m.description("klpsim example: atomic replace that forgets v1's shadow variable 0x55 (planted bug)");

m.function("replace_leak_v2_cmdline_proc_show", c -> {
    c.seqPrintf("replace-leak v2\n");
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "replace_leak_v2_cmdline_proc_show")
        .replace(true)
        .build()));
