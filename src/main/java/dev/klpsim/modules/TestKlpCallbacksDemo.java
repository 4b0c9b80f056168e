package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;
import dev.klpsim.api.PatchBuilder;

/**
 * test_modules/test_klp_callbacks_demo.c (and samples/livepatch/livepatch-callbacks-demo.c,
 * which differs only in its names): all four callbacks on vmlinux and two target modules.
 */
public final class TestKlpCallbacksDemo extends BuiltinModule {
    private final String modTarget;
    private final String busyTarget;

    public TestKlpCallbacksDemo() {
        this("test_klp_callbacks_demo", "test_klp_callbacks_mod", "test_klp_callbacks_busy");
    }

    TestKlpCallbacksDemo(String name, String modTarget, String busyTarget) {
        super(name, true);
        this.modTarget = modTarget;
        this.busyTarget = busyTarget;
    }

    /** samples/livepatch/livepatch-callbacks-demo.c */
    public static TestKlpCallbacksDemo sample() {
        return new TestKlpCallbacksDemo("livepatch_callbacks_demo", "livepatch_callbacks_mod", "livepatch_callbacks_busymod");
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        if (name().startsWith("livepatch_")) m.sampleDescription("Live patching demo for (un)patching callbacks");
        else m.description("Livepatch test: livepatch demo").author("Joe Lawrence <joe.lawrence@redhat.com>");
        Param preRet = m.paramInt("pre_patch_ret", 0644, 0, "pre_patch_ret (default=0)").explore("-19");
        m.function("patched_work_func", c -> {
            k.prInfo("patched_work_func");
            return 0;
        });
        m.init(() -> {
            PatchBuilder p = k.patch();
            for (String obj : new String[] {null, modTarget, busyTarget}) {
                p.object(obj);
                if (busyTarget.equals(obj)) p.func("busymod_work_func", "patched_work_func");
                p.prePatch(o -> {
                    CallbackInfo.print(k, "pre_patch_callback", o);
                    return preRet.intValue();
                });
                p.postPatch(o -> CallbackInfo.print(k, "post_patch_callback", o));
                p.preUnpatch(o -> CallbackInfo.print(k, "pre_unpatch_callback", o));
                p.postUnpatch(o -> CallbackInfo.print(k, "post_unpatch_callback", o));
            }
            return k.klpEnablePatch(p.build());
        });
    }
}
