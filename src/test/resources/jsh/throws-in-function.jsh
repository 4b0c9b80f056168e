// A replacement that throws on every call (line 5): each read of /proc/cmdline reports it
// and the show function returns -EINVAL; the shell and the machine carry on.
m.livepatch();
m.function("livepatch_cmdline_proc_show", c -> {
    throw new IllegalStateException("not today");
});
m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "livepatch_cmdline_proc_show").build()));
