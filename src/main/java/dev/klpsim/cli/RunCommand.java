package dev.klpsim.cli;

import dev.klpsim.shell.MachineArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** klpsim run FILE: a script of shell commands on a freshly booted machine. */
@Command(name = "run", description = "run a script of shell commands (one per line, # comments) on a freshly booted machine",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every command succeeded", "1:a command failed (with -e: the status of the first that failed)", "2:wrong options, or FILE cannot be read"})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    MachineArgs machine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-e", "--errexit"}, description = "stop at the first command that fails")
    boolean errexit;

    /** A host file: typed java.io.File so that the generated bash completion completes file names. */
    @Parameters(paramLabel = "FILE", description = "the script")
    java.io.File scriptFile;

    @Override
    public Integer call() {
        String script = scriptFile.getPath();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of(script), StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            System.err.println("klpsim: " + script + ": cannot read: " + e.getMessage());
            return 2;
        }
        return ShellRunner.batch(ShellRunner.boot(machine, spec.commandLine()), lines.iterator(), errexit,
                new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8), machine.modulePath);
    }
}
