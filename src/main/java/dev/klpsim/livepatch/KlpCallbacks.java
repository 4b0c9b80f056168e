package dev.klpsim.livepatch;

/** struct klp_callbacks: the four optional callbacks of an object. */
public final class KlpCallbacks {
    @FunctionalInterface
    public interface PrePatch {
        int call(KlpObject obj);
    }

    @FunctionalInterface
    public interface Callback {
        void call(KlpObject obj);
    }

    public PrePatch prePatch;
    public Callback postPatch;
    public Callback preUnpatch;
    public Callback postUnpatch;
    /** Set by a successful pre-patch step, cleared by the post-unpatch step. */
    public boolean postUnpatchEnabled;

    public boolean any() {
        return prePatch != null || postPatch != null || preUnpatch != null || postUnpatch != null;
    }
}
