package dev.klpsim;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Interactive;
import dev.klpsim.shell.Shell;
import dev.klpsim.shell.StreamOutput;
import dev.klpsim.transcript.Verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** klpsim's entry point: the shell, {@code run FILE} and {@code verify FILE|DIR...}. */
public final class Main {
    static final String USAGE = """
            usage: klpsim [--cpus N] [--kernel 5.10|6.12|mainline] [--no-reliable-stacks] [--module-path DIR]
                          [--snapshot FILE]
                          [-e|--errexit] [--no-history]
                   klpsim run [machine options] [-e] FILE
                   klpsim verify FILE|DIR...
                   klpsim bench [--quick]

            Starts a shell on a freshly booted simulated machine with livepatch support, or
            with --snapshot on a real host's state as scripts/klp-snapshot captured it.
            Piped input runs without prompts; `run` executes a script of shell commands;
            `verify` replays .klpt transcripts and reports ok/FAIL with a diff.
            """;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (!args.isEmpty() && args.get(0).equals("verify")) return new Verify(out).run(args.subList(1, args.size()));
        if (!args.isEmpty() && args.get(0).equals("bench")) return dev.klpsim.bench.Bench.run(args.subList(1, args.size()), out);
        boolean runFile = !args.isEmpty() && args.get(0).equals("run");
        if (runFile) args.remove(0);
        boolean errexit = false, history = true;
        List<String> modulePath = new ArrayList<>();
        String script = null;
        List<String> machineArgs = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "-e", "--errexit" -> errexit = true;
                case "--no-history" -> history = false;
                case "--module-path" -> {
                    if (i + 1 >= args.size()) {
                        System.err.println("klpsim: --module-path needs a directory");
                        return 2;
                    }
                    modulePath.add(args.get(++i));
                }
                case "--cpus", "--kernel", "--snapshot" -> {
                    machineArgs.add(a);
                    if (i + 1 < args.size()) machineArgs.add(args.get(++i));
                }
                default -> {
                    if (a.startsWith("-")) machineArgs.add(a);
                    else if (runFile && script == null) script = a;
                    else {
                        System.err.println("klpsim: unexpected argument '" + a + "'");
                        System.err.print(USAGE);
                        return 2;
                    }
                }
            }
        }
        MachineOptions opts = new MachineOptions();
        String err = opts.parse(machineArgs);
        if (err != null) {
            System.err.println("klpsim: " + err);
            return 2;
        }
        if (opts.snapshot != null) {
            try {
                dev.klpsim.snapshot.Snapshots.attach(opts, opts.snapshot);
            } catch (dev.klpsim.snapshot.Snapshots.Unusable e) {
                System.err.println("klpsim: " + e.getMessage());
                return 2;
            }
        }
        if (runFile && script == null) {
            System.err.println("klpsim: run needs a FILE");
            return 2;
        }
        Machine m = new Machine(opts);
        BuiltinModules.registerAll(m);
        if (opts.host != null && System.console() == null)
            for (String l : dev.klpsim.snapshot.Snapshots.summary(m)) if (l.startsWith("  warning: ")) System.err.println("klpsim: " + l.strip());
        try {
            if (runFile) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(Path.of(script), StandardCharsets.UTF_8);
                } catch (IOException | java.io.UncheckedIOException e) {
                    System.err.println("klpsim: " + script + ": cannot read: " + e.getMessage());
                    return 2;
                }
                return batch(m, lines.iterator(), errexit, out, modulePath);
            }
            if (System.console() != null) return new Interactive(m, history, modulePath).run();
            // piped: run each line as it arrives, so `klpsim | tee log` answers as you type
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            java.util.Iterator<String> lines = new java.util.Iterator<>() {
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
            return batch(m, lines, errexit, out, modulePath);
        } catch (IOException e) {
            System.err.println("klpsim: " + e.getMessage());
            return 1;
        }
    }

    /** Non-interactive: no prompts, no colour; non-zero status when a command failed. */
    static int batch(Machine m, java.util.Iterator<String> lines, boolean errexit, PrintStream out, List<String> modulePath) {
        Shell sh = new Shell(m, new StreamOutput(out, new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8)));
        sh.modulePath().addAll(modulePath);
        int worst = 0;
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
    }
}
