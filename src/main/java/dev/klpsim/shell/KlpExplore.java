package dev.klpsim.shell;

import dev.klpsim.explore.Alphabet;
import dev.klpsim.explore.Counterexample;
import dev.klpsim.explore.ExploreOptions;
import dev.klpsim.explore.ExploreRun;
import dev.klpsim.jsh.JshLoader;
import dev.klpsim.jsh.JshModuleSource;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.ModuleSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * klp explore: explore from this session's state. The search works on copies of this machine
 * (its journal replayed), so nothing changes here; a counterexample transcript starts with
 * this session's commands, so it replays from boot.
 */
final class KlpExplore {
    private KlpExplore() {}

    static int explore(Invocation inv, ExploreOptions o, List<String> names) {
        String bad = o.validate();
        if (bad != null) {
            inv.errln("klp explore: " + bad);
            return 2;
        }
        List<String> inexact = inv.m.journal.unreplayable();
        if (!inexact.isEmpty())
            inv.errln("klp explore: note: the copies may differ from this machine: they cannot repeat " + String.join("; ", inexact));
        List<Alphabet.Module> mods = new ArrayList<>();
        for (String a : names) {
            Alphabet.Module mod = module(inv, a);
            if (mod == null) return 2;
            mods.add(mod);
        }
        List<String> setup = new ArrayList<>();
        for (Session.Step s : inv.shell.session().steps()) setup.add(s.command());
        inv.shell.interrupted = false;
        return ExploreRun.run(inv.m, mods, o, new Counterexample.Context(inv.m.options, inv.shell.modulePath(), setup), "klp explore",
                new ExploreRun.Sinks(inv::println, inv::errln, p -> inv.errln(p.toString())), () -> inv.shell.interrupted);
    }

    /** A .jsh file, or a name as modprobe finds it (the user's .jsh modules first, then the built-ins). */
    private static Alphabet.Module module(Invocation inv, String arg) {
        ModuleSource src;
        String load;
        if (JshModuleSource.isSource(arg)) {
            if (!Files.isRegularFile(Path.of(arg))) {
                inv.errln("klp explore: no such file: " + arg);
                return null;
            }
            src = JshLoader.source(Path.of(arg), inv.m, inv::errln);
            load = "insmod " + arg;
        } else {
            String name = KmodCommands.moduleName(arg);
            Path p = JshLoader.find(JshLoader.modulePath(inv.shell.modulePath()), name);
            src = p != null ? JshLoader.source(p, inv.m, inv::errln) : inv.m.source(name);
            if (src == null) {
                inv.errln("klp explore: no module '" + arg + "' (see: ls test_modules)");
                return null;
            }
            load = p != null ? "modprobe " + name : dev.klpsim.explore.ExploreCli.insmodCommand(inv.m, name);
        }
        try {
            return Alphabet.module(src, load);
        } catch (KernelError e) {
            inv.errln("klp explore: " + arg + " does not build: " + e.errno.message);
            return null;
        }
    }
}
