// The same function twice in one object (kernel/livepatch/core.c: klp_init_func()): -EEXIST from kobject_add.
m.livepatch();
m.function("new_cmdline", c -> 0);
m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "new_cmdline")
        .func("cmdline_proc_show", "new_cmdline", 1)
        .build()));
