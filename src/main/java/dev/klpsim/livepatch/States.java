package dev.klpsim.livepatch;

/** kernel/livepatch/state.c: system states and the compatibility rule. */
public final class States {
    private final Livepatch klp;
    private boolean prevStateWarned;

    States(Livepatch klp) {
        this.klp = klp;
    }

    /** klp_get_state(): the patch's own state with this id, or null. */
    public KlpState klpGetState(KlpPatch patch, long id) {
        for (KlpState s : patch.states) if (s.id == id) return s;
        return null;
    }

    /**
     * klp_get_prev_state(): the newest state with this id among the patches older than the
     * one in transition. Only meaningful during a transition; WARNs once otherwise.
     */
    public KlpState klpGetPrevState(long id) {
        KlpPatch tp = klp.transition.klpTransitionPatch;
        if (tp == null) {
            if (!prevStateWarned) {
                prevStateWarned = true;
                klp.warn("kernel/livepatch/state.c", 66, "klp_get_prev_state", null);
            }
            return null;
        }
        KlpState last = null;
        for (KlpPatch p : klp.core.klpPatches) {
            if (p == tp) break;
            KlpState s = klpGetState(p, id);
            if (s != null) last = s;
        }
        return last;
    }

    /** klp_is_state_compatible(): a cumulative patch must carry every installed state. */
    private boolean klpIsStateCompatible(KlpPatch patch, KlpState oldState) {
        KlpState state = klpGetState(patch, oldState.id);
        if (state == null) return !patch.replace;
        return state.version >= oldState.version;
    }

    /** klp_is_patch_compatible() */
    public boolean klpIsPatchCompatible(KlpPatch patch) {
        for (KlpPatch old : klp.core.klpPatches)
            for (KlpState s : old.states)
                if (!klpIsStateCompatible(patch, s)) return false;
        return true;
    }
}
