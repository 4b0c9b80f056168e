package dev.klpsim.transcript;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.HostPaths;
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
     * Replays a transcript read from directory {@code dir} (null: none). The host paths of
     * its {@code #!} line ({@code --module-path}, {@code --snapshot}, {@code --host-dir}) follow
     * {@link HostPaths#inTranscript}: a relative one is the transcript's directory's, as
     * {@code record} writes it, or when nothing of that name is there, the current
     * directory's (transcripts written by hand from the project's root). Its commands'
     * relative host paths resolve against {@code --host-dir} when it is given, else by the
     * same rule. A module directory that does not exist is an error.
     */
    public static List<List<String>> run(Transcript t, java.nio.file.Path dir) throws Transcript.ParseError {
        return run(t, dir, null);
    }

    /** The same, with {@code cModules} (when not null) as the machine's --c-modules, whatever the #! line says. */
    public static List<List<String>> run(Transcript t, java.nio.file.Path dir, String cModules) throws Transcript.ParseError {
        CapturingOutput out = new CapturingOutput();
        Shell sh = shell(t, dir, out, cModules);
        try {
            // verify: the transcript's host writes (trace export, record) go to a scratch directory,
            // deleted with the shell: a replay changes nothing on the host and never meets its recording's files
            sh.writesUnder(java.nio.file.Files.createTempDirectory("klpsim-verify-"));
        } catch (java.io.IOException e) {
            sh.close();
            throw new Transcript.ParseError("cannot make a scratch directory for the transcript's host writes: " + e.getMessage());
        }
        List<List<String>> actual = new ArrayList<>();
        for (Transcript.Step s : t.steps) {
            sh.execute(s.command());
            actual.add(out.drainLines());
        }
        sh.close();
        return actual;
    }

    /**
     * The shell a replay of {@code t} (read from {@code dir}) runs on, printing to {@code out}:
     * a machine booted as its {@code #!} line says, host paths as {@link #run(Transcript, java.nio.file.Path)} describes.
     */
    public static Shell shell(Transcript t, java.nio.file.Path dir, dev.klpsim.shell.Output out) throws Transcript.ParseError {
        return shell(t, dir, out, null);
    }

    /** The same, with {@code cModules} (when not null) as the machine's --c-modules. */
    public static Shell shell(Transcript t, java.nio.file.Path dir, dev.klpsim.shell.Output out, String cModules) throws Transcript.ParseError {
        MachineArgs args;
        try {
            args = MachineArgs.parseHeader(t.options); // the klpsim command line's own machine options
            args.attachSnapshot(f -> HostPaths.inTranscript(dir, f));
        } catch (IllegalArgumentException e) { // InvalidPathException too
            throw new Transcript.ParseError(e.getMessage());
        }
        List<String> modulePath = new ArrayList<>();
        for (String d : args.modulePath) {
            java.nio.file.Path found = HostPaths.inTranscript(dir, d);
            // from the current directory: kept as written, so that messages name it as before
            String use = found.equals(HostPaths.resolve(d)) ? d : found.toString();
            String why = HostPaths.moduleDirProblem(use);
            if (why != null) throw new Transcript.ParseError("--module-path " + d + ": " + why);
            modulePath.add(use);
        }
        java.nio.file.Path hostDir = null;
        if (args.hostDir != null) {
            hostDir = HostPaths.inTranscript(dir, args.hostDir);
            if (!java.nio.file.Files.isDirectory(hostDir)) throw new Transcript.ParseError("--host-dir " + args.hostDir + ": No such file or directory");
        }
        args.modulePath = modulePath;
        if (cModules != null) args.options.cModules = cModules;
        else if (args.options.cModules != null) {
            java.nio.file.Path c = HostPaths.inTranscript(dir, args.options.cModules);
            if (!java.nio.file.Files.isDirectory(c)) throw new Transcript.ParseError("--c-modules " + args.options.cModules + ": No such file or directory");
            args.options.cModules = c.toString();
        }
        Machine m = new Machine(args.options);
        BuiltinModules.registerAll(m);
        Shell sh = new Shell(m, out);
        sh.modulePath().addAll(args.modulePath);
        if (hostDir != null) sh.hostDir(hostDir);
        else if (dir != null) sh.transcriptDir(dir);
        return sh;
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
