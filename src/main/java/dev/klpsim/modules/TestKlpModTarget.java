package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;

/** test_modules/test_klp_mod_target.c: /proc/test_klp_mod_target shows "original output". */
public final class TestKlpModTarget extends BuiltinModule {
    public TestKlpModTarget() {
        super("test_klp_mod_target", false);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: target module with proc entry");
        m.function("test_klp_mod_target_show", c -> {
            c.seqPrintf(k.name() + ": original output\n");
            return 0;
        });
        m.init(() -> {
            k.prInfo("test_klp_mod_target_init");
            k.procCreate("test_klp_mod_target", 0444, "test_klp_mod_target_show");
            return 0;
        });
        m.exit(() -> {
            k.prInfo("test_klp_mod_target_exit");
            k.procRemove("test_klp_mod_target");
        });
    }
}
