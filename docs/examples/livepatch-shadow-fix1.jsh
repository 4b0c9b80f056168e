// samples/livepatch/livepatch-shadow-fix1.c as a .jsh module: saves the leaked pointer in
// shadow variable SV_LEAK when a dummy is allocated, and frees it with the dummy.
import dev.klpsim.modules.LivepatchShadowMod.Dummy;

m.livepatch();
m.description("Live patching demo for shadow variables");
final long SV_LEAK = 1;
final int EXPIRE_PERIOD = 12;

String ptr(Object o) {
    return k.machine().klp.shadow.pointer(o);
}

Shadow.Ctor shadowLeakCtor = (obj, data, ctorData) -> {
    if (ctorData == null) return -22;   // -EINVAL
    data.ptr = ((Object[]) ctorData)[0];
    return 0;
};
Shadow.Dtor leakDtor = (obj, data) ->
        k.prInfo(String.format("livepatch_fix1_dummy_leak_dtor: dummy @ %s, prevented leak @ %s", ptr(obj), ptr(data.ptr)));

m.function("livepatch_fix1_dummy_alloc", c -> {
    Dummy d = new Dummy(0xfffb6c20L + k.machine().now() / 1_000_000L + 1000L * EXPIRE_PERIOD);
    int[] leak = new int[1];
    // Patch: save the extra memory location into a SV_LEAK shadow variable.
    k.klpShadowAlloc(d, SV_LEAK, 8, Kernel.GFP_KERNEL, shadowLeakCtor, new Object[] {leak});
    k.prInfo(String.format("livepatch_fix1_dummy_alloc: dummy @ %s, expires @ %x", ptr(d), d.jiffiesExpire));
    return d;
});
m.function("livepatch_fix1_dummy_free", c -> {
    Dummy d = (Dummy) c.arg(0);
    // Patch: fetch the saved SV_LEAK shadow variable, detach and free it.
    if (k.klpShadowGet(d, SV_LEAK) != null) k.klpShadowFree(d, SV_LEAK, leakDtor);
    else k.prInfo(String.format("livepatch_fix1_dummy_free: dummy @ %s leaked!", ptr(d)));
    k.kfree(d);
    return 0;
});

m.init(() -> k.klpEnablePatch(k.patch().object("livepatch_shadow_mod")
        .func("dummy_alloc", "livepatch_fix1_dummy_alloc")
        .func("dummy_free", "livepatch_fix1_dummy_free")
        .build()));
m.exit(() -> k.klpShadowFreeAll(SV_LEAK, leakDtor));
