// samples/livepatch/livepatch-callbacks-demo.c as a .jsh module: all four callbacks on
// vmlinux and two target modules; busymod_work_func is replaced. Param pre_patch_ret is
// what every pre-patch callback returns (-19 makes it fail with -ENODEV).
m.livepatch();
m.description("Livepatch callbacks demo");
Param preRet = m.paramInt("pre_patch_ret", 0644, 0, "pre_patch_ret (default=0)");

void callbackInfo(String callback, KlpObject obj) {
    if (obj.mod != null) k.prInfo(callback + ": " + obj.mod.name + " -> " + obj.mod.state.description);
    else k.prInfo(callback + ": vmlinux");
}

m.function("patched_work_func", c -> {
    k.prInfo("patched_work_func");
    return 0;
});

m.init(() -> {
    PatchBuilder p = k.patch();
    for (String obj : new String[] {null, "livepatch_callbacks_mod", "livepatch_callbacks_busymod"}) {
        p.object(obj);
        if ("livepatch_callbacks_busymod".equals(obj)) p.func("busymod_work_func", "patched_work_func");
        p.prePatch(o -> {
            callbackInfo("pre_patch_callback", o);
            return preRet.intValue();
        });
        p.postPatch(o -> callbackInfo("post_patch_callback", o));
        p.preUnpatch(o -> callbackInfo("pre_unpatch_callback", o));
        p.postUnpatch(o -> callbackInfo("post_unpatch_callback", o));
    }
    return k.klpEnablePatch(p.build());
});
