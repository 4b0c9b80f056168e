// A cumulative series, version 3 of 3 (load them in order: each replaces the one before).
// It keeps a request counter for /proc/cmdline in a shadow variable attached to the machine,
// and declares system state 1 (the counter) so that newer versions take it over instead
// of starting again. Version 3 bumps the state to version 2; after it, loading version 1
// or 2 is refused as incompatible (kernel-livepatch.md §9.3).
m.livepatch();
m.description("klpsim example: cumulative patch v3");
final long COUNTER_STATE = 1, SV_COUNTER = 0x10;
final int STATE_VERSION = 2;
KlpPatch[] patch = new KlpPatch[1];
// the kernel object the counter hangs off (the Kernel API is usable once the module loads)
Object counterOwner() {
    return k.machine();
}

m.function("cumulative_cmdline_proc_show", c -> {
    Shadow.Data counter = k.klpShadowGet(counterOwner(), SV_COUNTER);
    long n = counter == null ? 0 : ++counter.value;
    c.seqPrintf("cumulative v3: request " + n + "\n");
    return 0;
});

int prePatch(KlpObject obj) {
    KlpState prev = k.klpGetPrevState(COUNTER_STATE);
    if (prev != null) {
        k.prInfo("taking over the request counter (state version " + prev.version + ")");
        return 0;
    }
    k.prInfo("allocating the request counter");
    return k.klpShadowGetOrAlloc(counterOwner(), SV_COUNTER, 8, Kernel.GFP_KERNEL, null, null) == null ? -12 : 0;
}

void postUnpatch(KlpObject obj) {
    if (k.klpGetPrevState(COUNTER_STATE) != null) {
        k.prInfo("leaving the request counter to the patch being restored");
        return;
    }
    k.prInfo("freeing the request counter");
    k.klpShadowFree(counterOwner(), SV_COUNTER, null);
}

// What klp explore checks after every step while this module is loaded: whoever else comes
// and goes, the counter is there whenever this patch is enabled.
m.assertion("the request counter exists while this patch is enabled",
        () -> patch[0] == null || !patch[0].enabled || k.klpShadowGet(counterOwner(), SV_COUNTER) != null);

m.init(() -> {
    patch[0] = k.patch().object(null)
            .func("cmdline_proc_show", "cumulative_cmdline_proc_show")
            .prePatch(o -> prePatch(o))
            .postUnpatch(o -> postUnpatch(o))
            .replace(true)
            .state(COUNTER_STATE, STATE_VERSION)
            .build();
    return k.klpEnablePatch(patch[0]);
});
