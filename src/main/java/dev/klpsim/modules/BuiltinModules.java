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
        java.nio.file.Path cDir = m.options.cModules == null ? null : dev.klpsim.c.CLoader.sourceDir(java.nio.file.Path.of(m.options.cModules), m.options.profile);
        for (ModuleSource s : all()) {
            // --c-modules: the module's own C source, where DIR has it
            java.nio.file.Path c = cDir == null ? null : dev.klpsim.c.CLoader.find(java.util.List.of(cDir), s.name());
            m.registerSource(c == null ? s : dev.klpsim.c.CModuleSource.builtin(c, m, "/root/test_modules/" + s.name() + ".ko"));
        }
    }
}
