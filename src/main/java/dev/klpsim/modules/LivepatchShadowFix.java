package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Errno;
import dev.klpsim.livepatch.Shadow;

import static dev.klpsim.modules.LivepatchShadowMod.ptr;

/**
 * samples/livepatch/livepatch-shadow-fix1.c and -fix2.c: fix1 keeps the leaked pointer in
 * shadow variable SV_LEAK and frees it with the dummy; fix2 adds a per-dummy check counter
 * in SV_COUNTER.
 */
public final class LivepatchShadowFix extends BuiltinModule {
    private static final long SV_LEAK = 1;
    private static final long SV_COUNTER = 2;
    private final int fix;

    public LivepatchShadowFix(int fix) {
        super("livepatch_shadow_fix" + fix, true);
        this.fix = fix;
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        String p = "livepatch_fix" + fix + "_";
        m.sampleDescription("Live patching demo for shadow variables");
        Shadow.Dtor leakDtor = (obj, data) ->
                k.prInfo(String.format("%sdummy_leak_dtor: dummy @ %s, prevented leak @ %s", p, ptr(k, obj), ptr(k, data.ptr)));
        if (fix == 1) {
            Shadow.Ctor leakCtor = (obj, data, ctorData) -> {
                if (ctorData == null) return Errno.EINVAL.neg();
                data.ptr = ((Object[]) ctorData)[0];
                return 0;
            };
            m.function(p + "dummy_alloc", c -> {
                LivepatchShadowMod.Dummy d = new LivepatchShadowMod.Dummy(
                        LivepatchShadowMod.jiffies(k) + 1000L * LivepatchShadowMod.EXPIRE_PERIOD);
                Object leak = new Object();
                k.klpShadowAlloc(d, SV_LEAK, 8, Kernel.GFP_KERNEL, leakCtor, new Object[] {leak});
                k.prInfo(String.format("%sdummy_alloc: dummy @ %s, expires @ %x", p, ptr(k, d), d.jiffiesExpire));
                return d;
            });
        } else {
            m.function(p + "dummy_check", c -> {
                LivepatchShadowMod.Dummy d = (LivepatchShadowMod.Dummy) c.arg(0);
                Shadow.Data count = k.klpShadowGetOrAlloc(d, SV_COUNTER, 4, 0, null, null);
                if (count != null) count.value++;
                return (Long) c.arg(1) > d.jiffiesExpire;
            });
        }
        m.function(p + "dummy_free", c -> {
            Object d = c.arg(0);
            if (k.klpShadowGet(d, SV_LEAK) != null) k.klpShadowFree(d, SV_LEAK, leakDtor);
            else k.prInfo(String.format("%sdummy_free: dummy @ %s leaked!", p, ptr(k, d)));
            if (fix == 2) {
                Shadow.Data count = k.klpShadowGet(d, SV_COUNTER);
                if (count != null) {
                    k.prInfo(String.format("%sdummy_free: dummy @ %s, check counter = %d", p, ptr(k, d), count.value));
                    k.klpShadowFree(d, SV_COUNTER, null);
                }
            }
            k.kfree(d);
            return 0;
        });
        m.init(() -> {
            var b = k.patch().object("livepatch_shadow_mod");
            if (fix == 1) b.func("dummy_alloc", p + "dummy_alloc");
            else b.func("dummy_check", p + "dummy_check");
            b.func("dummy_free", p + "dummy_free");
            return k.klpEnablePatch(b.build());
        });
        m.exit(() -> {
            if (fix == 1) k.klpShadowFreeAll(SV_LEAK, leakDtor);
            else k.klpShadowFreeAll(SV_COUNTER, null);
        });
    }
}
