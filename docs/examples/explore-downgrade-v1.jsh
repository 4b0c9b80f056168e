// For klp explore: the base of a small non-cumulative series. It keeps a timeout for
// cmdline_proc_show in a shadow variable, in seconds, and declares system state 5 version 1
// (the timeout exists, in seconds). explore-downgrade-v2-bug.jsh stacks on it. It frees the
// timeout when it is disabled, unless a patch stacked on it still carries the state.
m.livepatch();
m.description("klpsim example: state 5 version 1 (a timeout in seconds)");
final long TIMEOUT_STATE = 5, SV_TIMEOUT = 0x50;

m.function("downgrade_v1_cmdline_proc_show", c -> {
    Shadow.Data t = k.klpShadowGet(k.machine(), SV_TIMEOUT);
    c.seqPrintf("timeout " + (t == null ? "?" : t.value + " s") + "\n");
    return 0;
});

/** Whether a patch other than this one in klp_patches still carries the timeout's state. */
boolean othersCarry() {
    return k.machine().klp.core.klpPatches().stream()
            .anyMatch(p -> !p.name().equals("explore_downgrade_v1") && p.states.stream().anyMatch(s -> s.id == TIMEOUT_STATE));
}

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "downgrade_v1_cmdline_proc_show")
        .prePatch(o -> {
            Shadow.Data t = k.klpShadowGetOrAlloc(k.machine(), SV_TIMEOUT, 8, Kernel.GFP_KERNEL, null, null);
            if (t == null) return -12;
            t.value = 30;
            return 0;
        })
        .postUnpatch(o -> {
            // disabled while a patch stacked on this one (explore-downgrade-v2.jsh) still uses
            // the timeout: leave it to that one (klp explore found this; the free was unconditional)
            if (!othersCarry()) k.klpShadowFree(k.machine(), SV_TIMEOUT, null);
        })
        .state(TIMEOUT_STATE, 1)
        .build()));
