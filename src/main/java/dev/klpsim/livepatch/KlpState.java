package dev.klpsim.livepatch;

/** struct klp_state: a system-state modification a patch declares (id, version, data). */
public final class KlpState {
    public final long id;
    public final int version;
    /** Free pointer for the patch author. */
    public Object data;

    public KlpState(long id, int version) {
        this.id = id;
        this.version = version;
    }
}
