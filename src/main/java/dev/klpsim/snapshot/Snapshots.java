package dev.klpsim.snapshot;

import dev.klpsim.host.HostFile;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Task;
import dev.klpsim.snapshot.Snapshot.HostPatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The entry points: read a snapshot file into machine options, and describe a snapshot machine. */
public final class Snapshots {
    private Snapshots() {}

    /** A snapshot file that cannot be used at all: the message names the file and the reason. */
    public static final class Unusable extends Exception {
        public Unusable(String msg) {
            super(msg, null, false, false);
        }
    }

    /**
     * Reads {@code file} and makes {@code o} boot that host: o.host, and the CPU count and
     * kernel profile the host had. Throws when the file is missing or not a snapshot.
     */
    public static HostBoot attach(MachineOptions o, String file) throws Unusable {
        return attach(o, file, Path.of(file));
    }

    /**
     * The same, reading {@code path}: {@code file} as written (on a command line, in a
     * transcript) resolved by the host-path rule; messages and `snapshot info` show {@code file}.
     */
    public static HostBoot attach(MachineOptions o, String file, Path path) throws Unusable {
        Snapshot s = read(file, path);
        HostBoot hb = new HostBoot(s);
        List<String> profileNotes = new ArrayList<>();
        o.profile = HostBoot.profileFor(s.release, profileNotes);
        if (s.cpus > 0) o.cpus = s.cpus;
        else if (!s.cpusLine) s.warnings.add("the snapshot has no 'cpus' line: 1 CPU assumed");
        if (s.cpus <= 0) o.cpus = 1;
        o.snapshot = file;
        o.host = hb;
        hb.profileNotes.addAll(profileNotes);
        return hb;
    }

    /** The largest snapshot read: a host of a million tasks with deep stacks writes about 200 MiB. */
    static final long MAX_SIZE = 512L << 20;

    static Snapshot read(String file) throws Unusable {
        return read(file, Path.of(file));
    }

    static Snapshot read(String file, Path p) throws Unusable {
        List<String> lines;
        try {
            // a regular file of bounded size only: /dev/zero or a FIFO named here would never end
            String text = HostFile.readText(p, MAX_SIZE);
            lines = List.of(text.split("\r?\n", -1));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines = lines.subList(0, lines.size() - 1);
        } catch (IOException e) {
            throw new Unusable(file + ": " + e.getMessage());
        }
        try {
            Snapshot s = Snapshot.parse(file, lines);
            s.path = p.toAbsolutePath().normalize();
            return s;
        } catch (Snapshot.NotASnapshot e) {
            throw new Unusable(e.getMessage());
        }
    }

    /** The host a machine was booted from, or null for klpsim's own machine. */
    public static HostBoot of(Machine m) {
        return m.options.host instanceof HostBoot hb ? hb : null;
    }

    /** What was loaded and what was assumed: the lines `snapshot load` and `snapshot info` print. */
    public static List<String> summary(Machine m) {
        HostBoot hb = of(m);
        List<String> out = new ArrayList<>();
        if (hb == null) {
            out.add("no snapshot loaded: this is klpsim's own " + m.options.profile.release + " machine");
            return out;
        }
        Snapshot s = hb.snap;
        // how many tasks were running is said once, in HostBoot's note (the task that took the snapshot left out)
        out.add("host snapshot " + s.source + (s.taken == null ? "" : " (taken " + s.taken + ")") + ": Linux "
                + (s.release == null ? "(release unknown)" : s.release) + ", " + m.options.cpus + " CPU" + (m.options.cpus == 1 ? "" : "s")
                + ", " + m.tasks().size() + " tasks and " + m.idleTasks().size() + " idle task"
                + (m.idleTasks().size() == 1 ? "" : "s") + ", " + m.modules.list().size() + " modules, "
                + s.patches.size() + " livepatch" + (s.patches.size() == 1 ? "" : "es") + "; simulated with the "
                + m.options.profile.option + " profile");
        for (HostPatch p : hb.order) {
            var kp = m.klp.core.findRegistered(p.name());
            String state = kp == null ? "could not be restored (see the warnings)"
                    : kp == m.klp.transition.transitionPatch() ? (kp.enabled ? "in its patching transition" : "in its unpatching transition")
                    : kp.enabled ? "enabled" : "disabled";
            int funcs = 0;
            for (var o : p.objects()) funcs += o.funcs().size();
            out.add("  livepatch " + p.name() + ": " + state + ", " + p.objects().size() + " object" + (p.objects().size() == 1 ? "" : "s")
                    + ", " + funcs + " function" + (funcs == 1 ? "" : "s"));
        }
        var tp = m.klp.transition.transitionPatch();
        if (tp != null) {
            int at = 0, not = 0;
            for (Task t : m.tasks()) if (t.patchState == m.klp.transition.targetState()) at++; else not++;
            out.add("  transition in flight: " + at + " task" + (at == 1 ? "" : "s") + " switched, " + not
                    + " not yet (patch_state as recorded); 'klp blocking' says why");
        }
        for (String n : hb.profileNotes) out.add("  note: " + n);
        for (String n : hb.notes()) out.add("  note: " + n);
        for (String e : s.errors) out.add("  the script could not read: " + e);
        for (String w : s.warnings) out.add("  warning: " + w);
        return out;
    }

    /** Tasks whose captured stack has {@code function} (in any object), in task order. */
    public static List<Snapshot.HostTask> tasksWith(HostBoot hb, String function) {
        List<Snapshot.HostTask> out = new ArrayList<>();
        for (Snapshot.HostTask t : hb.snap.tasks) {
            if (hb.isSelf(t)) continue;
            for (Snapshot.Frame f : t.stack()) if (f.name().equals(function)) {
                out.add(t);
                break;
            }
        }
        return out;
    }
}
