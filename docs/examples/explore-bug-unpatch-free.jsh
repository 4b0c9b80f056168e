// PLANTED BUG (for klp explore): a cumulative version 2 of klp-cumulative-v1.jsh that takes the
// request counter over correctly, but whose post_unpatch callback frees it unconditionally.
// When this patch's transition is reversed (echo 0 > enabled while it is still patching, here
// because a task sleeps in cmdline_proc_show), version 1, the patch it was replacing, stays in
// charge and still uses the counter: its assertion ("the request counter exists while this
// patch is enabled") breaks.
//   klpsim explore --depth 5 --task cmdline_proc_show docs/examples/klp-cumulative-v1.jsh docs/examples/explore-bug-unpatch-free.jsh
// (the counterexample: src/test/resources/transcripts/explore/unpatch-free.klpt). The fix: in
// post_unpatch, leave the counter when klp_get_prev_state() finds it (klp-cumulative-v2.jsh).
m.livepatch();
m.description("klpsim example: cumulative v2 with a planted bug (post_unpatch frees what v1 still uses)");
final long COUNTER_STATE = 1, SV_COUNTER = 0x10;
KlpPatch[] patch = new KlpPatch[1];

m.function("unpatch_free_cmdline_proc_show", c -> {
    Shadow.Data counter = k.klpShadowGet(k.machine(), SV_COUNTER);
    long n = counter == null ? 0 : ++counter.value;
    c.seqPrintf("unpatch-free bug: request " + n + "\n");
    return 0;
});

m.init(() -> {
    patch[0] = k.patch().object(null)
            .func("cmdline_proc_show", "unpatch_free_cmdline_proc_show")
            .prePatch(o -> {
                if (k.klpGetPrevState(COUNTER_STATE) != null) {
                    k.prInfo("taking over the request counter");
                    return 0;
                }
                k.prInfo("allocating the request counter");
                return k.klpShadowGetOrAlloc(k.machine(), SV_COUNTER, 8, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0;
            })
            .postUnpatch(o -> {
                // the bug: no klp_get_prev_state() check, so a reversed replace frees v1's counter
                k.prInfo("freeing the request counter");
                k.klpShadowFree(k.machine(), SV_COUNTER, null);
            })
            .replace(true)
            .state(COUNTER_STATE, 1)
            .build();
    return k.klpEnablePatch(patch[0]);
});
