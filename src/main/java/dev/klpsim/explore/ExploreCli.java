package dev.klpsim.explore;

import dev.klpsim.jsh.JshLoader;
import dev.klpsim.jsh.JshModuleSource;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.host.HostFile;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.Vfs;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.MachineArgs;
import dev.klpsim.shell.Shell;
import dev.klpsim.transcript.CapturingOutput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * klpsim explore: explore from the command line, on a freshly booted machine (or one a start
 * script set up). Exit status 1 when a violation was found, 0 when none, 2 on a usage error,
 * 130 when Ctrl-C stopped it before it found anything.
 */
@Command(name = "explore", description = "check livepatch modules against every order of loads, unloads, disables, forces, time and tasks",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:no violation found", "1:a violation was found (its counterexample is in --out)", "2:wrong options or arguments",
                "130:stopped by Ctrl-C before anything was found (the search is incomplete)"},
        footer = {"%nExample:", "  klpsim explore --depth 6 docs/examples/explore-bug-takeover.jsh"})
public final class ExploreCli implements Callable<Integer> {
    @Mixin
    ExploreOptions explore = new ExploreOptions();

    @Mixin
    MachineArgs machine = new MachineArgs();

    @Option(names = "--start", paramLabel = "FILE", description = "shell commands run first: the state explore starts from")
    String startScript;

    @Parameters(paramLabel = "MODULE", arity = "1..*", description = "a module name (built-in or in the module path) or a .jsh file")
    List<String> modules = new ArrayList<>();

    private PrintStream out = System.out, err = System.err;

    /** Runs `klpsim explore ARGS` on its own (tests): parses, runs, and returns the exit status. */
    public static int main(List<String> args, PrintStream out, PrintStream err) {
        ExploreCli cli = new ExploreCli();
        cli.out = out;
        cli.err = err;
        CommandLine cl = new CommandLine(cli);
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("klpsim explore: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return 2;
        });
        return cl.execute(args.toArray(new String[0]));
    }

    @Override
    public Integer call() {
        String bad = explore.validate();
        if (bad != null) return usage(bad);
        MachineOptions opts;
        try {
            opts = machine.attachSnapshot();
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        List<String> modulePath = machine.modulePath;
        Machine start = new Machine(opts);
        BuiltinModules.registerAll(start);
        List<String> setup = new ArrayList<>();
        if (startScript != null) {
            try {
                // a regular file of bounded size: --start /dev/zero read whole was an OutOfMemoryError
                for (String l : HostFile.readText(Path.of(startScript), HostFile.MAX_TEXT).split("\r?\n"))
                    if (!l.isBlank() && !l.trim().startsWith("#")) setup.add(l);
            } catch (IOException e) {
                return usage("cannot read the start script " + startScript + ": " + e.getMessage());
            } catch (java.nio.file.InvalidPathException e) {
                return usage("cannot read the start script " + startScript + ": " + HostFile.reason(e));
            }
            Shell sh = new Shell(start, new CapturingOutput());
            sh.modulePath().addAll(modulePath);
            for (String l : setup) sh.execute(l);
            sh.close();
        }
        List<Alphabet.Module> mods = resolveAll(start, modules, modulePath, "klpsim explore", err::println);
        if (mods == null) return 2;
        AtomicBoolean stop = new AtomicBoolean();
        Object oldHandler = onInterrupt(() -> stop.set(true));
        boolean tty = System.console() != null && stderrIsATerminal();
        // in a terminal the progress line is rewritten in place, and wiped before a result line
        int[] shown = {0};
        Runnable wipe = () -> {
            if (shown[0] > 0) err.print("\r" + " ".repeat(shown[0]) + "\r");
            err.flush();
            shown[0] = 0;
        };
        try {
            return ExploreRun.run(start, mods, explore, new Counterexample.Context(opts, modulePath, setup), "klpsim explore",
                    new ExploreRun.Sinks(l -> {
                        wipe.run();
                        out.println(l);
                    }, l -> {
                        wipe.run();
                        err.println(l);
                    }, p -> {
                        if (!tty) {
                            err.println(p);
                            return;
                        }
                        wipe.run();
                        String line = p.toString();
                        err.print(line);
                        err.flush();
                        shown[0] = line.length();
                    }), stop::get);
        } finally {
            if (tty) wipe.run();
            restoreInterrupt(oldHandler);
        }
    }

    /**
     * Whether fd 2 is a terminal (System.console() answers for stdin and stdout only): with
     * `2>file` the progress goes there as lines, not as a line rewritten with \r. Where
     * /proc/self/fd cannot tell (not Linux), the console's answer stands.
     */
    static boolean stderrIsATerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }

    private int usage(String msg) {
        err.println("klpsim explore: " + msg);
        return 2;
    }

    /**
     * A module of the alphabet: a .jsh file, or a name (a .jsh in the module path first, then
     * a built-in, as modprobe looks). Null after saying why when there is none or it does not build.
     */
    static Alphabet.Module resolve(Machine m, String arg, List<String> modulePath, java.util.function.Consumer<String> err) {
        return resolve(m, arg, modulePath, "klpsim explore", err);
    }

    /** resolve(), for the command {@code who} (klpsim explore, or the shell's klp explore) that words the errors. */
    public static Alphabet.Module resolve(Machine m, String arg, List<String> modulePath, String who, java.util.function.Consumer<String> err) {
        ModuleSource src;
        String load;
        if (JshModuleSource.isSource(arg) || dev.klpsim.c.CModuleSource.isSource(arg)) {
            Path p = Path.of(arg);
            if (!Files.isRegularFile(p)) {
                err.accept(who + ": no such file: " + arg);
                return null;
            }
            src = JshModuleSource.isSource(arg) ? JshLoader.source(p, m, err) : new dev.klpsim.c.CModuleSource(p, arg, m, err);
            load = "insmod " + arg;
        } else {
            String name = arg.replace('-', '_');
            List<Path> dirs = JshLoader.modulePath(modulePath);
            Path p = JshLoader.find(dirs, name);
            Path c = p == null ? dev.klpsim.c.CLoader.find(dirs, name) : null;
            src = p != null ? JshLoader.source(p, m, err) : c != null ? new dev.klpsim.c.CModuleSource(c, c.toString(), m, err) : m.source(name);
            if (src == null) {
                err.accept(who + ": no module '" + arg + "' (the built-in ones: ls test_modules)");
                return null;
            }
            load = p != null ? "modprobe " + name : insmodCommand(m, name);
        }
        try {
            return Alphabet.module(src, load);
        } catch (KernelError e) {
            err.accept(who + ": " + arg + " does not build: " + e.errno.message);
            return null;
        }
    }

    /** The modules named by {@code args}, each once; null after saying why when one cannot be used. */
    public static List<Alphabet.Module> resolveAll(Machine m, List<String> args, List<String> modulePath, String who, java.util.function.Consumer<String> err) {
        List<Alphabet.Module> mods = new ArrayList<>();
        for (String a : args) {
            Alphabet.Module mod = resolve(m, a, modulePath, who, err);
            if (mod == null) return null;
            if (mods.stream().anyMatch(x -> x.name().equals(mod.name()))) {
                err.accept(who + ": module " + mod.name() + " given twice");
                return null;
            }
            mods.add(mod);
        }
        return mods;
    }

    /** insmod test_modules/FILE.ko for a built-in (file names keep the kernel's dashes), modprobe otherwise. */
    public static String insmodCommand(Machine m, String name) {
        Vfs.Node dir = m.vfs.find("/root/test_modules");
        if (dir instanceof Vfs.Dir d)
            for (String f : d.children().keySet())
                if (f.endsWith(".ko") && f.substring(0, f.length() - 3).replace('-', '_').equals(name)) return "insmod test_modules/" + f;
        return "modprobe " + name;
    }

    /** Ctrl-C stops the search with the results so far (sun.misc.Signal: the JDK's only hook for SIGINT). */
    private static Object onInterrupt(Runnable r) {
        try {
            return sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> r.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static void restoreInterrupt(Object old) {
        if (old instanceof sun.misc.SignalHandler h) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
            } catch (IllegalArgumentException e) {
                // nothing to restore
            }
        }
    }
}
