package dev.klpsim.shell;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A klpsim command defined with picocli: its syntax, usage, --help, errors and completion all
 * come from the annotations of the subclass. Subcommands are {@code @Command} methods, so
 * they share this object and its {@link #inv}. The dispatcher sets {@code inv} before each run.
 */
abstract class ShellCmd implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    @Spec
    CommandSpec spec;

    /** The command being run: its machine, shell, input and output. */
    Invocation inv;

    /** A command with subcommands and nothing to do on its own says so (status 2 and its usage). */
    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** Parser settings a command needs beyond the shared ones (e.g. java takes any words). */
    void configure(CommandLine cl) {
    }

    /** A usage error found after parsing (a bad value): reported like picocli's own, status 2. */
    ParameterException usageError(String message) {
        // subcommands are methods of this object: report against the one that was run
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        while (pr != null && pr.hasSubcommand()) pr = pr.subcommand();
        return new ParameterException(pr == null ? spec.commandLine() : pr.commandSpec().commandLine(), message);
    }
}
