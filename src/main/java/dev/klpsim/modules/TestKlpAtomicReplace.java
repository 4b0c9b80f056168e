package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;

/** test_modules/test_klp_atomic_replace.c: patches /proc/meminfo; param replace. */
public final class TestKlpAtomicReplace extends BuiltinModule {
    public TestKlpAtomicReplace() {
        super("test_klp_atomic_replace", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: atomic replace").author("Joe Lawrence <joe.lawrence@redhat.com>");
        Param replace = m.paramInt("replace", 0644, 0, "replace (default=0)").explore("1");
        m.function("livepatch_meminfo_proc_show", c -> {
            c.seqPrintf(k.name() + ": this has been live patched\n");
            return 0;
        });
        m.init(() -> k.klpEnablePatch(k.patch().object(null).func("meminfo_proc_show", "livepatch_meminfo_proc_show")
                .replace(replace.intValue() != 0).build()));
    }
}
