package dev.klpsim.cli;

import dev.klpsim.demo.Demo;
import dev.klpsim.demo.DemoScript;
import dev.klpsim.demo.Presenter;
import dev.klpsim.shell.MachineArgs;
import dev.klpsim.shell.Shell;
import dev.klpsim.transcript.Replay;
import dev.klpsim.transcript.Transcript;
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
import java.util.List;
import java.util.concurrent.Callable;

/** klpsim run FILE: a script of shell commands on a freshly booted machine; with --demo, presented to an audience. */
@Command(name = "run", description = {"run a script of shell commands (one per line, # comments) on a freshly booted machine",
        "With --demo (presenter mode), each command is shown after the shell's prompt as if typed, then its output; "
                + "# comments are shown as narration. FILE may also be a .klpt transcript: its #! line boots the machine, "
                + "its %% commands run, and --check compares their output with the transcript's. "
                + "A .md page (docs/tour.md) runs its ```klpt blocks, its prose as narration."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:every command succeeded", "1:a command failed (with -e: the status of the first that failed), or --check found a difference",
                "2:wrong options, or FILE cannot be read"},
        footer = {"%nExample:", "  klpsim run setup.sh",
                "  klpsim run --demo --step docs/examples/demo.sh      # Enter or Space runs the next command, q ends",
                "  klpsim run --demo --pace --speed 2 --cast demo.cast docs/examples/demo.sh"})
public final class RunCommand implements Callable<Integer> {
    @Mixin
    MachineArgs machine;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-e", "--errexit"}, description = "stop at the first command that fails")
    boolean errexit;

    @Option(names = "--demo", description = "presenter mode: show each command after a prompt, then its output; # comments as narration")
    boolean demo;

    @Option(names = "--step", description = "presenter mode, waiting for Enter or Space before each command; q ends (implies --demo)")
    boolean step;

    @Option(names = "--pace", description = "presenter mode at a human pace: commands typed a key at a time, "
            + "and simulated time (a sleep) taking real time (implies --demo)")
    boolean pace;

    @Option(names = "--speed", paramLabel = "X", description = "with --pace or --cast: X times as fast (default: ${DEFAULT-VALUE})", defaultValue = "1")
    double speed;

    @Option(names = "--cast", paramLabel = "FILE.cast", description = "also record the demo as an asciicast v2 file (asciinema play, agg), "
            + "timed at the --pace speed whether or not it is paced; replaced if it exists (implies --demo)")
    java.io.File castFile;

    @Option(names = "--check", description = "a .klpt FILE: show where a command's output differs from the transcript's (implies --demo)")
    boolean check;

    /** A host file: typed java.io.File so that the generated bash completion completes file names. */
    @Parameters(paramLabel = "FILE", description = "the script, or (presenter mode) a .klpt transcript or a .md page with ```klpt blocks")
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
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (demo || step || pace || castFile != null || check) return demo(script, lines, out);
        return ShellRunner.batch(ShellRunner.boot(machine, spec.commandLine()), lines.iterator(), errexit, out, machine.modulePath);
    }

    private int demo(String script, List<String> lines, PrintStream out) {
        CommandLine cl = spec.commandLine();
        if (!(speed > 0) || Double.isInfinite(speed)) throw new CommandLine.ParameterException(cl, "--speed " + speed + ": give a number greater than 0");
        boolean transcript = script.endsWith(".klpt");
        boolean markdown = script.endsWith(".md");
        if (check && !transcript && !markdown) throw new CommandLine.ParameterException(cl, "--check compares with a transcript's output: FILE must be a .klpt (or a .md page with ```klpt blocks)");
        Transcript t = null;
        if (transcript) {
            var machineOptions = spec.mixins().get("machine").options();
            for (var o : cl.getParseResult().matchedOptions())
                if (machineOptions.stream().anyMatch(mo -> mo.longestName().equals(o.longestName())))
                    throw new CommandLine.ParameterException(cl, o.longestName() + ": a transcript boots the machine its #! line describes; put the option there");
            try {
                t = Transcript.parse(String.join("\n", lines));
            } catch (Transcript.ParseError e) {
                System.err.println("klpsim: " + script + ": " + e.getMessage());
                return 2;
            }
        }
        var o = new Presenter.Options(step, pace, speed, check, errexit);
        Path cast = castFile == null ? null : castFile.toPath();
        String title = "klpsim: " + Path.of(script).getFileName();
        try (Demo d = Demo.open(o, cast, title, out)) {
            Shell sh;
            if (t != null) {
                try {
                    sh = Replay.shell(t, Path.of(script).toAbsolutePath().getParent(), d.output());
                } catch (Transcript.ParseError e) {
                    System.err.println("klpsim: " + script + ": " + e.getMessage());
                    return 2;
                }
            } else {
                sh = new Shell(ShellRunner.boot(machine, cl), d.output());
                sh.modulePath().addAll(machine.modulePath);
            }
            int st;
            try {
                DemoScript ds = transcript ? DemoScript.ofTranscript(lines) : markdown ? DemoScript.ofMarkdown(lines) : DemoScript.ofScript(lines);
                st = d.present(sh, ds, script);
            } finally {
                sh.finish();
                sh.close();
            }
            boolean written = d.finish(System.err);
            return st != 0 ? st : written ? 0 : 1;
        } catch (IOException e) {
            System.err.println("klpsim: " + (cast != null ? cast + ": " : "") + "cannot write: " + e.getMessage());
            return 2;
        }
    }
}
