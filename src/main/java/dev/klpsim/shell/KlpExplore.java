package dev.klpsim.shell;

import dev.klpsim.explore.Alphabet;
import dev.klpsim.explore.Counterexample;
import dev.klpsim.explore.ExploreOptions;
import dev.klpsim.explore.ExploreRun;
import dev.klpsim.jsh.JshModuleSource;

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
        // a name may be written as modprobe or insmod takes it (test_modules/NAME.ko)
        List<String> args = names.stream().map(a -> JshModuleSource.isSource(a) || dev.klpsim.c.CModuleSource.isSource(a) ? a : KmodCommands.moduleName(a)).toList();
        List<Alphabet.Module> mods = dev.klpsim.explore.ExploreCli.resolveAll(inv.m, args, inv.shell.modulePath(), "klp explore", inv::errln);
        if (mods == null) return 2;
        List<String> setup = new ArrayList<>();
        for (Session.Step s : inv.shell.session().steps()) if (!s.stopped()) setup.add(s.command()); // as a recording replays them
        return ExploreRun.run(inv.m, mods, o, new Counterexample.Context(inv.m.options, inv.shell.modulePath(), setup, inv.shell.hostDir()), "klp explore",
                new ExploreRun.Sinks(inv::println, inv::errln, p -> inv.progress(p.toString())), dev.klpsim.jsh.UserCode::interruptRequested);
    }
}
