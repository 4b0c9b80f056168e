package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;

/** test_modules/test_klp_callbacks_demo2.c: vmlinux callbacks only; param replace. */
public final class TestKlpCallbacksDemo2 extends BuiltinModule {
    public TestKlpCallbacksDemo2() {
        super("test_klp_callbacks_demo2", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: livepatch demo2").author("Joe Lawrence <joe.lawrence@redhat.com>");
        Param replace = m.paramInt("replace", 0644, 0, "replace (default=0)").explore("1");
        m.init(() -> k.klpEnablePatch(k.patch().object(null)
                .prePatch(o -> {
                    CallbackInfo.print(k, "pre_patch_callback", o);
                    return 0;
                })
                .postPatch(o -> CallbackInfo.print(k, "post_patch_callback", o))
                .preUnpatch(o -> CallbackInfo.print(k, "pre_unpatch_callback", o))
                .postUnpatch(o -> CallbackInfo.print(k, "post_unpatch_callback", o))
                .replace(replace.intValue() != 0).build()));
    }
}
