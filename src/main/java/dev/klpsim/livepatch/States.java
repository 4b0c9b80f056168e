package dev.klpsim.livepatch;

/** kernel/livepatch/state.c: system states and the compatibility rule. */
public final class States {
    private final Livepatch klp;
    private boolean prevStateWarned;
    /** What happened to system states: installed with a patch, left with it. For `state list`. */
    final java.util.List<String> history = new java.util.ArrayList<>();

    public java.util.List<String> history() {
        return java.util.List.copyOf(history);
    }

    void recordInstalled(KlpPatch p) {
        for (KlpState s : p.states) {
            String line = String.format("state %d version %d installed by '%s'", s.id, s.version, p.name());
            history.add(secs() + "  " + line);
            trace(p, "install", s.id, s.version, line);
        }
    }

    void recordRemoved(KlpPatch p, String why) {
        for (KlpState s : p.states) {
            String line = String.format("state %d version %d of '%s' gone: %s", s.id, s.version, p.name(), why);
            history.add(secs() + "  " + line);
            // a replaced patch's state lives on in the patch that replaced it: the take-over
            trace(p, why.startsWith("replaced") ? "takeover" : "remove", s.id, s.version, line);
        }
    }

    private String secs() {
        return "[" + dev.klpsim.kernel.Timers.seconds(klp.machine.now(), true) + "]";
    }

    States(Livepatch klp) {
        this.klp = klp;
    }

    /** klp_get_state(): the patch's own state with this id, or null. */
    public KlpState klpGetState(KlpPatch patch, long id) {
        KlpState found = find(patch, id);
        trace(patch, "get_state", id, found == null ? 0 : found.version, "klp_get_state('" + patch.name() + "', " + id + ") = " + (found == null ? "NULL" : "version " + found.version));
        return found;
    }

    private static KlpState find(KlpPatch patch, long id) {
        for (KlpState s : patch.states) if (s.id == id) return s;
        return null;
    }

    private void trace(KlpPatch patch, String kind, long id, int version, String text) {
        if (klp.tracing()) klp.machine.trace.emit(klp.machine.current, new dev.klpsim.kernel.TraceEvent.StateOp(patch.name(), kind, id, version, text));
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
        String owner = null;
        for (KlpPatch p : klp.core.klpPatches) {
            if (p == tp) break;
            KlpState s = find(p, id);
            if (s != null) {
                last = s;
                owner = p.name();
            }
        }
        trace(tp, "get_prev_state", id, last == null ? 0 : last.version, "klp_get_prev_state(" + id + ") during '" + tp.name() + "' = "
                + (last == null ? "NULL" : "version " + last.version + " of '" + owner + "'"));
        return last;
    }

    /** klp_is_state_compatible(): a cumulative patch must carry every installed state. */
    private boolean klpIsStateCompatible(KlpPatch patch, KlpPatch old, KlpState oldState) {
        KlpState state = find(patch, oldState.id);
        boolean ok = state == null ? !patch.replace : state.version >= oldState.version;
        trace(patch, "compat", oldState.id, state == null ? 0 : state.version, "'" + patch.name() + "' vs state " + oldState.id + " version " + oldState.version + " of '" + old.name() + "': "
                + (state == null ? (ok ? "compatible (not cumulative, may ignore it)" : "INCOMPATIBLE (a cumulative patch must carry it)")
                : "version " + state.version + (ok ? " >= " : " < ") + oldState.version + (ok ? ": compatible" : ": INCOMPATIBLE")));
        return ok;
    }

    /** klp_is_patch_compatible() */
    public boolean klpIsPatchCompatible(KlpPatch patch) {
        for (KlpPatch old : klp.core.klpPatches)
            for (KlpState s : old.states)
                if (!klpIsStateCompatible(patch, old, s)) return false;
        return true;
    }
}
