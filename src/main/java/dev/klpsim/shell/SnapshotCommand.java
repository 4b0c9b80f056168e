package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.snapshot.Snapshots;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * snapshot load FILE | snapshot info: boot a real host's snapshot (scripts/klp-snapshot), and
 * say what it holds and what klpsim assumed. A load begins a new session (Session leaves
 * `snapshot` out of recordings and replays: the machine options carry the snapshot).
 */
@Command(name = "snapshot", description = "boot a real host's snapshot (scripts/klp-snapshot) and ask why its transition stalls", footer = "Example: snapshot load host.snap")
final class SnapshotCommand extends ShellCmd {
    @Command(name = "load", description = "boot the host a klp-snapshot file describes (this machine is replaced)", footer = "Example: snapshot load host.snap")
    int load(@Parameters(paramLabel = "FILE", completionCandidates = Candidates.HostFiles.class, description = "a file written by scripts/klp-snapshot") String file) {
        MachineOptions o = inv.m.options.copy();
        try {
            Snapshots.attach(o, file, inv.shell.hostPath(file));
        } catch (Snapshots.Unusable e) {
            inv.errln("snapshot: " + e.getMessage());
            return 1;
        }
        Machine fresh = new Machine(o);
        BuiltinModules.registerAll(fresh);
        inv.shell.reboot(fresh);
        for (String l : Snapshots.summary(fresh)) inv.println(l);
        return 0;
    }

    @Command(name = "info", description = "what the loaded snapshot holds and what klpsim assumed", footer = "Example: snapshot info")
    int info() {
        for (String l : Snapshots.summary(inv.m)) inv.println(l);
        return 0;
    }
}
