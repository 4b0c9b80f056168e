// PLANTED BUG (for klp explore): a patch of two objects, vmlinux and the target module
// test_klp_callbacks_mod. vmlinux's pre_patch allocates a shadow variable; the author frees it
// in the *module's* post_unpatch. When the module object's pre_patch fails (mod_pre_patch_ret,
// declared as a variant explore loads with), the kernel runs post_unpatch only for the objects
// whose pre_patch succeeded, vmlinux's, which has none: the variable leaks.
//   klpsim explore --depth 3 docs/examples/explore-bug-prepatch-leak.jsh test_klp_callbacks_mod
// (the counterexample: src/test/resources/transcripts/explore/prepatch-leak.klpt). The fix:
// free in vmlinux's post_unpatch, the callback paired with the pre_patch that allocated.
m.livepatch();
m.description("klpsim example: a pre_patch that leaks when another object's pre_patch fails (planted bug)");
final long SV_TABLE = 0x20;
Param modRet = m.paramInt("mod_pre_patch_ret", 0644, 0, "what the module object's pre_patch returns").explore("-19");

m.init(() -> k.klpEnablePatch(k.patch()
        .object(null)
        .prePatch(o -> {
            k.prInfo("vmlinux: allocating the lookup table");
            return k.klpShadowGetOrAlloc(k.machine(), SV_TABLE, 64, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0;
        })
        .object("test_klp_callbacks_mod")
        .prePatch(o -> {
            k.prInfo("test_klp_callbacks_mod: pre_patch returns " + modRet.intValue());
            return modRet.intValue();
        })
        .postUnpatch(o -> {
            // the bug: this frees what vmlinux's pre_patch allocated, and runs only if this object's pre_patch succeeded
            k.prInfo("test_klp_callbacks_mod: freeing the lookup table");
            k.klpShadowFree(k.machine(), SV_TABLE, null);
        })
        .build()));
