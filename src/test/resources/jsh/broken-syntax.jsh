// A livepatch with a typo on line 4: the load fails like a bad .ko and leaves nothing behind.
m.livepatch();
m.function("livepatch_cmdline_proc_show", c -> {
    c.seqPrintf("patched\n")
    return 0;
});
m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "livepatch_cmdline_proc_show").build()));
