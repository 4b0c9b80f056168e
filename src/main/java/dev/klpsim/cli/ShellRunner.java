package dev.klpsim.cli;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Interactive;
import dev.klpsim.shell.MachineArgs;
import dev.klpsim.shell.Shell;
import dev.klpsim.shell.StreamOutput;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/** Runs the shell on a booted machine: on a terminal, on piped input, or over a script's lines. */
public final class ShellRunner {
    private ShellRunner() {}

    /** Boots the machine the options describe; a --snapshot that cannot be used is a usage error. */
    static Machine boot(MachineArgs a, CommandLine cl) {
        for (String d : a.modulePath) {
            // a module path that is not a directory is a mistake to say at once, not when modprobe finds nothing
            String why = dev.klpsim.shell.HostPaths.moduleDirProblem(d);
            if (why != null) throw new CommandLine.ParameterException(cl, "--module-path " + d + ": " + why);
        }
        try {
            a.attachSnapshot();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        Machine m = new Machine(a.options);
        BuiltinModules.registerAll(m);
        if (a.options.host != null && System.console() == null)
            for (String l : dev.klpsim.snapshot.Snapshots.summary(m)) if (l.startsWith("  warning: ")) System.err.println("klpsim: " + l.strip());
        return m;
    }

    /** The shell: interactive on a terminal; piped input runs each line as it arrives (`klpsim | tee log` answers as you type). */
    public static int shell(MachineArgs a, CommandLine cl, boolean errexit, boolean history, PrintStream out) throws IOException {
        Machine m = boot(a, cl);
        if (System.console() != null) return new Interactive(m, history, a.modulePath).run();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Iterator<String> lines = new Iterator<>() {
            String next;
            boolean done;

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                if (done) return false;
                try {
                    next = in.readLine();
                } catch (IOException e) {
                    next = null;
                }
                done = next == null;
                return !done;
            }

            @Override
            public String next() {
                String l = next;
                next = null;
                return l;
            }
        };
        return batch(m, lines, errexit, out, a.modulePath);
    }

    /** Non-interactive: no prompts, no colour; non-zero status when a command failed. */
    static int batch(Machine m, Iterator<String> lines, boolean errexit, PrintStream out, List<String> modulePath) {
        Shell sh = new Shell(m, new StreamOutput(out, new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8)));
        sh.modulePath().addAll(modulePath);
        int worst = 0;
        try {
            while (lines.hasNext()) {
                String l = lines.next();
                if (l.isBlank() || l.trim().startsWith("#")) continue;
                int st = sh.execute(l);
                if (st != 0) {
                    worst = st;
                    if (errexit) return st;
                }
                if (sh.exitRequested()) return st;
            }
            return worst;
        } finally {
            sh.finish(); // an open recording is written, and the shell says so
        }
    }
}
