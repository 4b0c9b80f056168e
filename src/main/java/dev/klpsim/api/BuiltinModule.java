package dev.klpsim.api;

import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;

/** A module shipped with klpsim: a class that defines itself against the module API. */
public abstract class BuiltinModule implements ModuleSource {
    private final String name;
    private final boolean livepatch;

    protected BuiltinModule(String name, boolean livepatch) {
        // livepatch modules carry MODULE_INFO(livepatch, "Y")
        this.name = name;
        this.livepatch = livepatch;
    }

    @Override
    public String name() {
        return name;
    }

    /** Declares the module; runs once per load, so fields captured here are per-load state. */
    protected abstract void define(ModuleBuilder m);

    @Override
    public ModuleSpec instantiate() {
        ModuleBuilder b = new ModuleBuilder(name, livepatch);
        define(b);
        ModuleSpec spec = b.build();
        spec.filename = "/root/test_modules/" + name + ".ko";
        spec.origin = this;
        return spec;
    }
}
