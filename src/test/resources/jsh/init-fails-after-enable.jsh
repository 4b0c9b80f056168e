// A livepatch whose init fails after its klp_enable_patch succeeded: do_init_module()'s
// failure path frees the module anyway (kernel/module/main.c), and the patch stays live.
m.livepatch();
m.function("late_fail_show", c -> { c.seqPrintf("late\n"); return 0; });
m.init(() -> {
    int ret = k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "late_fail_show").build());
    if (ret != 0) return ret;
    return -22;
});
