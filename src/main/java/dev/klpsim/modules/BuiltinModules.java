package dev.klpsim.modules;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSource;

import java.util.List;

/** Every module that ships with klpsim: the kernel's livepatch selftest modules and samples/livepatch. */
public final class BuiltinModules {
    private BuiltinModules() {}

    public static List<ModuleSource> all() {
        return List.of(
                new TestKlpLivepatch(),
                new TestKlpAtomicReplace(),
                new TestKlpCallbacksDemo(),
                new TestKlpCallbacksDemo2(),
                new TestKlpCallbacksMod(),
                new TestKlpCallbacksBusy(),
                new TestKlpShadowVars(),
                new TestKlpState("test_klp_state", 1),
                new TestKlpState("test_klp_state2", 2),
                new TestKlpState("test_klp_state3", 2),
                new TestKlpSyscall(),
                new TestKlpKprobe(),
                new TestKlpModTarget(),
                new TestKlpModPatch(),
                new LivepatchSample(),
                TestKlpCallbacksDemo.sample(),
                new TestKlpCallbacksMod("livepatch_callbacks_mod"),
                new LivepatchCallbacksBusymod(),
                new LivepatchShadowMod(),
                new LivepatchShadowFix(1),
                new LivepatchShadowFix(2),
                new KlpSymposDemo());
    }

    public static void registerAll(Machine m) {
        for (ModuleSource s : all()) m.registerSource(s);
    }
}
