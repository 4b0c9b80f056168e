package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;

/** samples/livepatch/livepatch-sample.c: the kernel's first example. */
public final class LivepatchSample extends BuiltinModule {
    public LivepatchSample() {
        super("livepatch_sample", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.sampleDescription("Kernel Live Patching Sample Module");
        m.function("livepatch_cmdline_proc_show", c -> {
            c.seqPrintf("this has been live patched\n");
            return 0;
        });
        m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "livepatch_cmdline_proc_show").build()));
    }
}
