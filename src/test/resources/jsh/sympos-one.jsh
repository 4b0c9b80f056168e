// A cumulative patch that names cmdline_proc_show with old_sympos 1, where the patch it
// replaces used 0 (kernel/livepatch/core.c: klp_add_object_nops() copies old_sympos): a nop is added for sympos 0 too, and both render as
// cmdline_proc_show,1 in sysfs, so the load fails with -EEXIST.
m.livepatch();
m.function("new_cmdline", c -> {
    c.seqPrintf("sympos-one\n");
    return 0;
});
m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "new_cmdline", 1).replace(true).build()));
