package dev.klpsim.transcript;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.MachineArgs;
import dev.klpsim.shell.Shell;

import java.util.ArrayList;
import java.util.List;

/** Replays a transcript on a freshly booted machine and gives back what really happened. */
public final class Replay {
    private Replay() {}

    /** The actual output of each step, in step order. Throws ParseError for bad options. */
    public static List<List<String>> run(Transcript t) throws Transcript.ParseError {
        return run(t, null);
    }

    /**
     * Replays a transcript read from directory {@code dir} (null: none). A relative
     * {@code --module-path} is the transcript's directory's, as {@code record} writes it; when
     * no such directory exists there, the current directory's (transcripts written by hand
     * from the project's root). A module directory that does not exist is an error.
     */
    public static List<List<String>> run(Transcript t, java.nio.file.Path dir) throws Transcript.ParseError {
        MachineArgs args;
        try {
            args = MachineArgs.parseHeader(t.options); // the klpsim command line's own machine options
            args.attachSnapshot();
        } catch (IllegalArgumentException e) {
            throw new Transcript.ParseError(e.getMessage());
        }
        List<String> modulePath = new ArrayList<>();
        for (String d : args.modulePath) {
            java.nio.file.Path beside = dir == null ? null : dir.resolve(d).normalize();
            String use = beside != null && !java.nio.file.Path.of(d).isAbsolute() && java.nio.file.Files.isDirectory(beside) ? beside.toString() : d;
            String why = dev.klpsim.shell.HostPaths.moduleDirProblem(use);
            if (why != null) throw new Transcript.ParseError("--module-path " + d + ": " + why);
            modulePath.add(use);
        }
        args.modulePath = modulePath;
        Machine m = new Machine(args.options);
        BuiltinModules.registerAll(m);
        CapturingOutput out = new CapturingOutput();
        Shell sh = new Shell(m, out);
        sh.modulePath().addAll(args.modulePath);
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
