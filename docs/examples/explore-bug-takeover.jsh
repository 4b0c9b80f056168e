// PLANTED BUG (for klp explore): a cumulative version 2 of klp-cumulative-v1.jsh that does not
// take over its predecessor's shadow variable. It keeps its request counter under a new id
// (0x11) and never looks at klp_get_prev_state(), so the counter version 1 allocated (0x10)
// stays allocated after the replace: version 1's post_unpatch, which would free it, does not
// run for a replaced patch, and this version does not know the old id.
//   klpsim explore --depth 4 --all docs/examples/klp-cumulative-v1.jsh docs/examples/explore-bug-takeover.jsh
// finds the leak (the counterexample: src/test/resources/transcripts/explore/takeover-leak.klpt);
// without --all it stops at the first one, at depth 2: version 1 loaded over this one finds no
// counter under 0x10 (takeover-assertion.klpt).
// The fix: keep the id, and in pre_patch take the counter over when klp_get_prev_state() finds
// the state (klp-cumulative-v2.jsh).
m.livepatch();
m.description("klpsim example: cumulative v2 with a planted bug (does not take over the counter)");
final long COUNTER_STATE = 1, SV_COUNTER = 0x11;
KlpPatch[] patch = new KlpPatch[1];

m.function("takeover_cmdline_proc_show", c -> {
    Shadow.Data counter = k.klpShadowGet(k.machine(), SV_COUNTER);
    long n = counter == null ? 0 : ++counter.value;
    c.seqPrintf("takeover bug: request " + n + "\n");
    return 0;
});

m.init(() -> {
    patch[0] = k.patch().object(null)
            .func("cmdline_proc_show", "takeover_cmdline_proc_show")
            .prePatch(o -> {
                k.prInfo("allocating a request counter of my own");
                return k.klpShadowGetOrAlloc(k.machine(), SV_COUNTER, 8, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0;
            })
            .postUnpatch(o -> {
                k.prInfo("freeing my request counter");
                k.klpShadowFree(k.machine(), SV_COUNTER, null);
            })
            .replace(true)
            .state(COUNTER_STATE, 1)
            .build();
    return k.klpEnablePatch(patch[0]);
});
