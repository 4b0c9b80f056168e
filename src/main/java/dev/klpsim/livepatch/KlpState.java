package dev.klpsim.livepatch;

/** struct klp_state: a system-state modification a patch declares (id, version, data). */
public final class KlpState {
    public final long id;
    public final int version;
    /** Free pointer for the patch author. */
    public Object data;
    /**
     * klpsim only (the kernel has no such flag): the patch declares that its unpatch
     * callbacks put this state back the way the older version expects, so the system may
     * go from this version down to an older one (explore checks that it only does so then).
     */
    public boolean downgradable;

    public KlpState(long id, int version) {
        this.id = id;
        this.version = version;
    }
}
