package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;

/** test_modules/test_klp_mod_patch.c: patches test_klp_mod_target_show in the target module. */
public final class TestKlpModPatch extends BuiltinModule {
    public TestKlpModPatch() {
        super("test_klp_mod_patch", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: patch for module-provided function");
        m.function("livepatch_mod_target_show", c -> {
            c.seqPrintf(k.name() + ": this has been live patched\n");
            return 0;
        });
        m.init(() -> k.klpEnablePatch(k.patch().object("test_klp_mod_target")
                .func("test_klp_mod_target_show", "livepatch_mod_target_show").build()));
    }
}
