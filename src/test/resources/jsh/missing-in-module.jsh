// A patch for a function its target module does not have (kernel/livepatch/core.c: klp_init_object_loaded()): the enable succeeds while
// the module is absent; loading the module then fails.
m.livepatch();
m.function("new_show", c -> 0);
m.init(() -> k.klpEnablePatch(k.patch().object("test_klp_mod_target").func("no_such_show", "new_show").build()));
