package dev.klpsim;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Shell;
import dev.klpsim.transcript.CapturingOutput;

import java.util.List;

/** A booted machine with the built-in modules and a shell whose output the test reads. */
public final class Sim {
    public final Machine m;
    public final Shell sh;
    private final CapturingOutput out = new CapturingOutput();
    public int status;

    public Sim() {
        this(new MachineOptions());
    }

    public Sim(MachineOptions o) {
        m = new Machine(o);
        BuiltinModules.registerAll(m);
        sh = new Shell(m, out);
    }

    public static Sim withCpus(int cpus) {
        MachineOptions o = new MachineOptions();
        o.cpus = cpus;
        return new Sim(o);
    }

    /** Runs one command line and returns what appeared (kernel lines and output). */
    public List<String> run(String line) {
        status = sh.execute(line);
        return out.drainLines();
    }

    /** Runs commands, expecting each to succeed; returns the output of the last. */
    public List<String> ok(String... lines) {
        List<String> last = List.of();
        for (String l : lines) {
            last = run(l);
            if (status != 0) throw new AssertionError("'" + l + "' failed with " + status + ": " + last);
        }
        return last;
    }

    public String read(String path) {
        return sh.readFile(path);
    }
}
