// samples/livepatch/livepatch-sample.c as a .jsh module: /proc/cmdline says it was live patched.
// `m` is the ModuleBuilder, `k` the Kernel API; both are bound before this file runs.
m.livepatch();
m.description("Livepatch sample");

m.function("livepatch_cmdline_proc_show", c -> {
    c.seqPrintf("this has been live patched\n");
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch()
        .object(null)                                   // vmlinux
        .func("cmdline_proc_show", "livepatch_cmdline_proc_show")
        .build()));
