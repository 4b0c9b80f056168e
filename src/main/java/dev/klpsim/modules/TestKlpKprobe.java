package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;

/** test_modules/test_klp_kprobe.c: a kprobe on cmdline_proc_show, with an (IPMODIFY) post handler by default. */
public final class TestKlpKprobe extends BuiltinModule {
    public TestKlpKprobe() {
        super("test_klp_kprobe", false);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: kprobe function").author("Michael Vetter <mvetter@suse.com>");
        Param post = m.paramBool("has_post_handler", 0444, true, "Whether the kprobe has a post_handler");
        m.init(() -> k.registerKprobe("cmdline_proc_show", post.boolValue()));
        m.exit(k::unregisterKprobes);
    }
}
