package dev.klpsim;

import dev.klpsim.cli.BenchCommand;
import dev.klpsim.cli.RunCommand;
import dev.klpsim.cli.ShellRunner;
import dev.klpsim.cli.VerifyCommand;
import dev.klpsim.shell.MachineArgs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** klpsim's entry point: the shell (the default), {@code run FILE}, {@code verify FILE|DIR...}, {@code bench}. */
@Command(name = "klpsim", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Main.Version.class,
        subcommands = {RunCommand.class, VerifyCommand.class, BenchCommand.class, dev.klpsim.explore.ExploreCli.class},
        description = {"A simulated Linux machine with the kernel's livepatch subsystem, and a bash-like shell on it.",
                // one element per paragraph: picocli wraps each at word boundaries (a line break inside a sentence stays one)
                "Without a command: starts the shell on a freshly booted machine (or, with --snapshot, on a real host's state as "
                        + "scripts/klp-snapshot captured it). Piped input runs line by line without prompts."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every command succeeded", "1:a command failed (the last failing command's status otherwise)",
                "2:wrong options or arguments"},
        footer = {"%nExample:", "  printf 'modprobe test_klp_livepatch\\ncat /proc/cmdline\\n' | klpsim --cpus 2"})
public final class Main implements Callable<Integer> {
    @Mixin
    MachineArgs machine;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-e", "--errexit"}, description = "piped input: stop at the first command that fails")
    boolean errexit;

    @Option(names = "--no-history", description = "do not read or write ~/.klpsim_history")
    boolean noHistory;

    /** The version from the build (src/main/resources/klpsim-build.properties, filtered by Maven). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            java.util.Properties p = new java.util.Properties();
            try (var in = Main.class.getResourceAsStream("/klpsim-build.properties")) {
                if (in != null) p.load(in);
            }
            return new String[] {"klpsim " + p.getProperty("version", "unknown")};
        }
    }

    public static void main(String[] args) {
        // `klpsim` alone on a terminal: the shell with every option at its default, which needs
        // no command-line model; building picocli's first model costs about 0.2 s before the prompt
        if (args.length == 0 && System.console() != null) {
            try {
                System.exit(ShellRunner.shell(new MachineArgs(), null, false, true, stdout()));
            } catch (java.io.IOException e) {
                System.err.println("klpsim: " + e.getMessage());
                System.exit(1);
            }
        }
        System.exit(run(args));
    }

    static PrintStream stdout() {
        return new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    }

    /** The command line of klpsim: every option, subcommand, usage and error from its picocli model. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExpandAtFiles(false);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setOut(new PrintWriter(stdout(), true));
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("klpsim: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            return 2;
        });
        return cl;
    }

    static int run(String[] argv) {
        return commandLine().execute(argv);
    }

    @Override
    public Integer call() throws Exception {
        return ShellRunner.shell(machine, spec.commandLine(), errexit, !noHistory, stdout());
    }
}
