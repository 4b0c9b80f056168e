package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;

/**
 * klpsim's own module for old_sympos: vmlinux has three functions named type_show, and
 * this patch replaces the one at position {@code sympos} (0 means "must be unique").
 */
public final class KlpSymposDemo extends BuiltinModule {
    public KlpSymposDemo() {
        super("klp_sympos_demo", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("klpsim: patch one of several same-named functions with old_sympos");
        Param sympos = m.paramInt("sympos", 0444, 2, "old_sympos of type_show (default=2)");
        m.function("livepatch_type_show", c -> {
            c.seqPrintf(k.name() + ": this has been live patched\n");
            return 0;
        });
        m.init(() -> k.klpEnablePatch(k.patch().object(null)
                .func("type_show", "livepatch_type_show", sympos.intValue()).build()));
    }
}
