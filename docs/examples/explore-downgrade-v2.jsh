// The fixed explore-downgrade-v2-bug.jsh: its post_unpatch converts the timeout back to
// seconds, and it declares so (.downgradable(5)), so disabling it may take state 5 back to
// version 1; when version 1 was disabled under it, it is the last user of the timeout and
// frees it. klp explore finds no violation in this series (depth 6, --all).
m.livepatch();
m.description("klpsim example: state 5 version 2 (milliseconds), downgrade handled and declared");
final long TIMEOUT_STATE = 5, SV_TIMEOUT = 0x50;

m.function("downgrade_v2_cmdline_proc_show", c -> {
    Shadow.Data t = k.klpShadowGet(k.machine(), SV_TIMEOUT);
    c.seqPrintf("timeout " + (t == null ? "?" : t.value + " ms") + "\n");
    return 0;
});

/** Whether a patch other than this one in klp_patches still carries the timeout's state. */
boolean othersCarry() {
    return k.machine().klp.core.klpPatches().stream()
            .anyMatch(p -> !p.name().equals("explore_downgrade_v2") && p.states.stream().anyMatch(s -> s.id == TIMEOUT_STATE));
}

m.init(() -> k.klpEnablePatch(k.patch().object(null)
        .func("cmdline_proc_show", "downgrade_v2_cmdline_proc_show")
        .prePatch(o -> {
            Shadow.Data t = k.klpShadowGet(k.machine(), SV_TIMEOUT);
            if (t == null) return -22;
            t.value *= 1000;
            return 0;
        })
        .postUnpatch(o -> {
            // version 1 still in charge: back to seconds; this was the last patch using it: free it
            if (!othersCarry()) {
                k.klpShadowFree(k.machine(), SV_TIMEOUT, null);
                return;
            }
            Shadow.Data t = k.klpShadowGet(k.machine(), SV_TIMEOUT);
            if (t != null) t.value /= 1000;
        })
        .state(TIMEOUT_STATE, 2)
        .downgradable(TIMEOUT_STATE)
        .build()));
