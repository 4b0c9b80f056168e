package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;

/** A trivial target module that prints its init and exit (test_klp_callbacks_mod, livepatch_callbacks_mod). */
public final class TestKlpCallbacksMod extends BuiltinModule {
    public TestKlpCallbacksMod() {
        this("test_klp_callbacks_mod");
    }

    public TestKlpCallbacksMod(String name) {
        super(name, false);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        if (name().startsWith("livepatch_")) m.sampleDescription("Live patching demo for (un)patching callbacks, support module");
        else m.description("Livepatch test: target module").author("Joe Lawrence <joe.lawrence@redhat.com>");
        m.init(() -> {
            k.prInfo(name() + "_init");
            return 0;
        });
        m.exit(() -> k.prInfo(name() + "_exit"));
    }
}
