package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;

/** test_modules/test_klp_livepatch.c: /proc/cmdline says it has been live patched. */
public final class TestKlpLivepatch extends BuiltinModule {
    public TestKlpLivepatch() {
        super("test_klp_livepatch", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: livepatch module").author("Seth Jennings <sjenning@redhat.com>");
        m.function("livepatch_cmdline_proc_show", c -> {
            c.seqPrintf(k.name() + ": this has been live patched\n");
            return 0;
        });
        m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "livepatch_cmdline_proc_show").build()));
    }
}
