// A module without MODULE_INFO(livepatch, "Y") that calls klp_enable_patch() (kernel/livepatch/core.c: klp_enable_patch(), klp_is_module()).
m.function("new_cmdline", c -> 0);
m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "new_cmdline").build()));
