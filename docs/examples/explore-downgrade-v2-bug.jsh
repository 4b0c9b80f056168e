// PLANTED BUG (for klp explore): stacks on explore-downgrade-v1.jsh (not cumulative) and moves
// system state 5 to version 2: its pre_patch converts the timeout to milliseconds. Its
// post_unpatch does not convert it back, yet disabling it leaves version 1 in charge, which
// reads the value as seconds: the state goes down from version 2 to 1 with nothing that
// undoes the change, and the patch does not declare the downgrade.
//   klpsim explore --depth 3 docs/examples/explore-downgrade-v1.jsh docs/examples/explore-downgrade-v2-bug.jsh
// (the counterexample: src/test/resources/transcripts/explore/state-downgrade.klpt). The fix:
// convert back in post_unpatch and declare it with .downgradable(5) (explore-downgrade-v2.jsh).
m.livepatch();
m.description("klpsim example: state 5 version 2 (milliseconds), downgrade not handled (planted bug)");
final long TIMEOUT_STATE = 5, SV_TIMEOUT = 0x50;

m.function("downgrade_v2_cmdline_proc_show", c -> {
    Shadow.Data t = k.klpShadowGet(k.machine(), SV_TIMEOUT);
    c.seqPrintf("timeout " + (t == null ? "?" : t.value + " ms") + "\n");
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "downgrade_v2_cmdline_proc_show")
        .prePatch(o -> {
            Shadow.Data t = k.klpShadowGet(k.machine(), SV_TIMEOUT);
            if (t == null) return -22;
            t.value *= 1000;
            return 0;
        })
        .state(TIMEOUT_STATE, 2)
        .build()));
