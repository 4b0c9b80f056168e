package dev.klpsim.api;

import dev.klpsim.livepatch.KlpCallbacks;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a struct klp_patch: objects (null name for vmlinux), their funcs and callbacks,
 * states and the replace flag. Callback and func settings apply to the last object added.
 */
public final class PatchBuilder {
    private final Kernel k;
    private final List<KlpObject> objs = new ArrayList<>();
    private final List<KlpState> states = new ArrayList<>();
    private List<KlpFunc> funcs;
    private KlpCallbacks callbacks;
    private boolean replace;

    PatchBuilder(Kernel k) {
        this.k = k;
    }

    /** Adds an object: {@code null} for vmlinux, else a module name. */
    public PatchBuilder object(String name) {
        funcs = new ArrayList<>();
        callbacks = new KlpCallbacks();
        objs.add(new KlpObject(name, funcs, callbacks));
        return this;
    }

    /** Replaces {@code oldName} with this module's function {@code newName}. */
    public PatchBuilder func(String oldName, String newName) {
        return func(oldName, newName, 0);
    }

    public PatchBuilder func(String oldName, String newName, long oldSympos) {
        requireObject();
        KlpFunc f = new KlpFunc(oldName, newName, oldSympos);
        f.newFunc = newName == null ? null : k.ownFunction(newName);
        funcs.add(f);
        return this;
    }

    public PatchBuilder prePatch(KlpCallbacks.PrePatch cb) {
        requireObject();
        ModuleBuilder.Guard g = k.guard;
        callbacks.prePatch = g == null ? cb : o -> g.guardInt("pre_patch callback", () -> cb.call(o));
        return this;
    }

    public PatchBuilder postPatch(KlpCallbacks.Callback cb) {
        requireObject();
        callbacks.postPatch = guarded("post_patch callback", cb);
        return this;
    }

    public PatchBuilder preUnpatch(KlpCallbacks.Callback cb) {
        requireObject();
        callbacks.preUnpatch = guarded("pre_unpatch callback", cb);
        return this;
    }

    public PatchBuilder postUnpatch(KlpCallbacks.Callback cb) {
        requireObject();
        callbacks.postUnpatch = guarded("post_unpatch callback", cb);
        return this;
    }

    private KlpCallbacks.Callback guarded(String what, KlpCallbacks.Callback cb) {
        ModuleBuilder.Guard g = k.guard;
        return g == null ? cb : o -> g.guardVoid(what, () -> cb.call(o));
    }

    public PatchBuilder replace(boolean r) {
        replace = r;
        return this;
    }

    public PatchBuilder state(long id, int version) {
        states.add(new KlpState(id, version));
        return this;
    }

    /**
     * Declares that this patch's unpatch callbacks turn system state {@code id} back into
     * what the older version expects: disabling or reverting it may take the system down
     * to an older version of the state. Without it, klp explore reports such a downgrade.
     */
    public PatchBuilder downgradable(long id) {
        for (KlpState s : states) if (s.id == id) {
            s.downgradable = true;
            return this;
        }
        throw new IllegalStateException("declare state " + id + " with state(id, version) first");
    }

    private void requireObject() {
        if (funcs == null) throw new IllegalStateException("add an object first: object(null) for vmlinux");
    }

    public KlpPatch build() {
        return new KlpPatch(k.module(), objs, states, replace);
    }
}
