package dev.klpsim.transcript;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Shell;

import java.util.ArrayList;
import java.util.List;

/** Replays a transcript on a freshly booted machine and gives back what really happened. */
public final class Replay {
    private Replay() {}

    /** The actual output of each step, in step order. Throws ParseError for bad options. */
    public static List<List<String>> run(Transcript t) throws Transcript.ParseError {
        MachineOptions opts = new MachineOptions();
        List<String> machineArgs = new ArrayList<>();
        List<String> modulePath = new ArrayList<>();
        for (int i = 0; i < t.options.size(); i++) {
            if (t.options.get(i).equals("--module-path") && i + 1 < t.options.size()) modulePath.add(t.options.get(++i));
            else machineArgs.add(t.options.get(i));
        }
        String err = opts.parse(machineArgs);
        if (err != null) throw new Transcript.ParseError(err);
        if (opts.snapshot != null) {
            try {
                dev.klpsim.snapshot.Snapshots.attach(opts, opts.snapshot);
            } catch (dev.klpsim.snapshot.Snapshots.Unusable e) {
                throw new Transcript.ParseError(e.getMessage());
            }
        }
        Machine m = new Machine(opts);
        BuiltinModules.registerAll(m);
        CapturingOutput out = new CapturingOutput();
        Shell sh = new Shell(m, out);
        sh.modulePath().addAll(modulePath);
        List<List<String>> actual = new ArrayList<>();
        for (Transcript.Step s : t.steps) {
            sh.execute(s.command());
            actual.add(out.drainLines());
        }
        sh.close();
        return actual;
    }

    /** The transcript text as it should read given the actual outputs. */
    public static List<String> render(Transcript t, List<List<String>> outputs) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < t.steps.size(); i++) {
            lines.add("% " + t.steps.get(i).command());
            lines.addAll(outputs.get(i));
        }
        return lines;
    }
}
