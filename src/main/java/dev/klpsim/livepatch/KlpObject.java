package dev.klpsim.livepatch;

import dev.klpsim.kernel.Module;

import java.util.ArrayList;
import java.util.List;

/** struct klp_object: vmlinux (name null) or one module that a patch touches. */
public final class KlpObject {
    public final String name;
    /** The static funcs array; null is refused with -EINVAL like a NULL funcs pointer. */
    public final List<KlpFunc> funcs;
    public final KlpCallbacks callbacks;

    /** func_list: static funcs, then nops. */
    final List<KlpFunc> funcList = new ArrayList<>();
    /** Set only while the module is loaded and klp-alive. */
    public Module mod;
    public boolean dynamic;
    public boolean patched;
    KlpPatch patch;
    boolean kobjAdded;
    /** Names of the func directories created in this object's directory. */
    final java.util.Set<String> kobjNames = new java.util.HashSet<>();

    public KlpObject(String name, List<KlpFunc> funcs, KlpCallbacks callbacks) {
        this.name = name;
        this.funcs = funcs;
        this.callbacks = callbacks == null ? new KlpCallbacks() : callbacks;
    }

    public boolean isModule() {
        return name != null;
    }

    /** klp_is_object_loaded(): vmlinux always is. */
    public boolean isLoaded() {
        return name == null || mod != null;
    }

    public String displayName() {
        return name == null ? "vmlinux" : name;
    }

    public List<KlpFunc> funcList() {
        return List.copyOf(funcList);
    }

    public KlpPatch patch() {
        return patch;
    }
}
