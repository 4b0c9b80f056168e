package dev.klpsim.livepatch;

import dev.klpsim.kernel.Module;

import java.util.ArrayList;
import java.util.List;

/** struct klp_patch: what a livepatch module hands to klp_enable_patch(). */
public final class KlpPatch {
    public final Module mod;
    /** The static objs array; null is refused with -EINVAL. */
    public final List<KlpObject> objs;
    public final List<KlpState> states;
    public final boolean replace;

    /** obj_list: static objects, then dynamic ones. */
    final List<KlpObject> objList = new ArrayList<>();
    public boolean enabled;
    public boolean forced;
    /** The /sys/kernel/livepatch/<patch> directory exists. */
    boolean kobjAdded;

    public KlpPatch(Module mod, List<KlpObject> objs, List<KlpState> states, boolean replace) {
        this.mod = mod;
        this.objs = objs;
        this.states = states == null ? List.of() : states;
        this.replace = replace;
    }

    public String name() {
        return mod.name;
    }

    public List<KlpObject> objList() {
        return List.copyOf(objList);
    }

    @Override
    public String toString() {
        return name();
    }
}
