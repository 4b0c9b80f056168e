// samples/livepatch/livepatch-shadow-fix2.c as a .jsh module: counts dummy_check() calls per
// dummy in shadow variable SV_COUNTER (zero-filled, no ctor), and keeps fix1's leak handling.
import dev.klpsim.modules.LivepatchShadowMod.Dummy;

m.livepatch();
m.description("Live patching demo for shadow variables");
final long SV_LEAK = 1, SV_COUNTER = 2;

String ptr(Object o) {
    return k.machine().klp.shadow.pointer(o);
}

Shadow.Dtor leakDtor = (obj, data) ->
        k.prInfo(String.format("livepatch_fix2_dummy_leak_dtor: dummy @ %s, prevented leak @ %s", ptr(obj), ptr(data.ptr)));

m.function("livepatch_fix2_dummy_check", c -> {
    Dummy d = (Dummy) c.arg(0);
    // Patch: in-flight dummies get a SV_COUNTER shadow variable on their first check.
    Shadow.Data count = k.klpShadowGetOrAlloc(d, SV_COUNTER, 4, 0, null, null);
    if (count != null) count.value++;
    return (Long) c.arg(1) > d.jiffiesExpire;
});
m.function("livepatch_fix2_dummy_free", c -> {
    Dummy d = (Dummy) c.arg(0);
    if (k.klpShadowGet(d, SV_LEAK) != null) k.klpShadowFree(d, SV_LEAK, leakDtor);
    else k.prInfo(String.format("livepatch_fix2_dummy_free: dummy @ %s leaked!", ptr(d)));
    Shadow.Data count = k.klpShadowGet(d, SV_COUNTER);
    if (count != null) {
        k.prInfo(String.format("livepatch_fix2_dummy_free: dummy @ %s, check counter = %d", ptr(d), count.value));
        k.klpShadowFree(d, SV_COUNTER, null);
    }
    k.kfree(d);
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object("livepatch_shadow_mod")
        .func("dummy_check", "livepatch_fix2_dummy_check")
        .func("dummy_free", "livepatch_fix2_dummy_free")
        .build()));
m.exit(() -> k.klpShadowFreeAll(SV_COUNTER, null));
