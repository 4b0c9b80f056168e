package dev.klpsim.shell;

import dev.klpsim.kernel.MachineOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * record FILE [--force] / record stop: saves the session as a transcript. The commands run
 * before `record` go in too, marked as setup, so the file verifies from a fresh boot.
 * FILE is a host path (see {@link HostPaths}); the recording is written on `record stop`
 * and, if still open, when the session ends in any way (exit, Ctrl-D, end of input, the
 * JVM going down).
 */
@Command(name = "record", description = "save this session as a transcript (klpsim verify checks it), or as a terminal recording (--cast)",
        footer = {"With no FILE and no --cast: the same as 'record status'. Leaving the shell writes an open recording.",
                "Example: record /tmp/my-case.klpt --cast /tmp/my-case.cast"})
final class RecordCommand extends ShellCmd {
    @Parameters(arity = "0..1", paramLabel = "FILE", completionCandidates = Candidates.HostFiles.class, description = "the transcript to write when 'record stop' runs (a host path)")
    String file;

    @Option(names = "--force", description = "overwrite FILE (or FILE.cast) if it exists")
    boolean force;

    @Option(names = "--cast", paramLabel = "FILE.cast", completionCandidates = Candidates.HostFiles.class,
            description = "also (or only) record the terminal as asciinema shows it: an asciicast v2 file, timed as it happens, written as it goes")
    String castFile;

    private static final class State {
        CastRecording cast;
        Path file;
        /** How messages name it: the path, or under verify (a scratch write) the name as typed, so a replay prints the same. */
        String shown;
        int startStep;
        /** Whether record was told --force: only then may the write replace a file of that name. */
        boolean replace;
        Thread hook;
    }

    private static final java.util.WeakHashMap<Shell, State> STATES = new java.util.WeakHashMap<>();

    private State state() {
        return STATES.computeIfAbsent(inv.shell, s -> new State());
    }

    @Command(name = "status", description = "whether a recording is running, and where to", footer = "Example: record status")
    int status() {
        State st = state();
        if (st.file == null && st.cast == null) inv.println("not recording");
        if (st.file != null) inv.println("recording to " + st.file + " since command " + st.startStep);
        if (st.cast != null) inv.println("recording the terminal to " + st.cast.file());
        return 0;
    }

    @Command(name = "stop", description = "write the recording to its FILE", footer = "Example: record stop")
    int stop() {
        State st = state();
        if (st.file == null && st.cast == null) {
            inv.errln("record: not recording");
            return 1;
        }
        boolean ok = stopCast(st, inv::println, inv::errln);
        return save(inv.shell, st, inv::println, inv::errln, "") && ok ? 0 : 1;
    }

    @Override
    public Integer call() {
        if (file == null && castFile == null) {
            if (force) throw usageError("--force goes with a FILE");
            return status();
        }
        State st = state();
        if (file != null && st.file != null) {
            inv.errln("record: already recording to " + st.file + " (record stop first)");
            return 1;
        }
        if (castFile != null && st.cast != null) {
            inv.errln("record: already recording the terminal to " + st.cast.file() + " (record stop first)");
            return 1;
        }
        Path f = file == null ? null : writable(file);
        Path c = castFile == null ? null : writable(castFile);
        if (file != null && f == null || castFile != null && c == null) return 1;
        if (c != null) {
            try {
                st.cast = CastRecording.create(inv.shell, c);
            } catch (IOException | RuntimeException e) {
                inv.errln("record: cannot write " + castFile + ": " + HostPaths.reason(e));
                return 1;
            }
            inv.println("record: recording the terminal to " + c + " (asciicast v2); 'record stop' ends it");
            st.cast.attach();
        }
        if (f == null) return 0;
        st.file = f;
        st.replace = force;
        st.shown = inv.shell.writesToScratch() ? file : f.toString();
        st.startStep = inv.shell.session().size();
        Shell sh = inv.shell;
        st.hook = new Thread(() -> {
            if (st.file != null) save(sh, st, System.err::println, System.err::println, " as klpsim ends");
        }, "klpsim-record-on-exit");
        Runtime.getRuntime().addShutdownHook(st.hook);
        inv.println("record: recording to " + st.shown + "; 'record stop' writes it (so does leaving the shell)");
        return 0;
    }

    /** A host path record may write to (never replayed: no --host-dir), or null after saying why not. */
    private Path writable(String name) {
        Path p = inv.shell.hostWritePath(name, inv.shell::hostPathOf);
        if (Files.exists(p) && !Files.isDirectory(p) && !force) {
            inv.errln("record: " + name + " exists; add --force to overwrite it");
            return null;
        }
        String why = HostPaths.unwritable(p);
        if (why != null) {
            inv.errln("record: cannot write " + name + ": " + why);
            return null;
        }
        return p;
    }

    /** Ends a terminal recording, if one runs; false when its file could not be written whole. */
    private static boolean stopCast(State st, Consumer<String> say, Consumer<String> complain) {
        CastRecording c = st.cast;
        if (c == null) return true;
        st.cast = null;
        try {
            double seconds = c.stop();
            say.accept(String.format(java.util.Locale.ROOT, "record: wrote %s (%.1f s); play it with: asciinema play %s", c.file(), seconds, c.file()));
            return true;
        } catch (IOException e) {
            complain.accept("record: cannot write " + c.file() + ": " + HostPaths.reason(e) + " (the recording is incomplete)");
            return false;
        }
    }

    /** The session ends (exit, Ctrl-D, end of piped input): an open recording is written, and the shell says so. */
    static void finish(Shell sh) {
        State st = STATES.get(sh);
        if (st == null) return;
        stopCast(st, l -> sh.output().stdout(l + "\n"), l -> sh.output().stderr(l + "\n"));
        if (st.file == null) return;
        save(sh, st, l -> sh.output().stdout(l + "\n"), l -> sh.output().stderr(l + "\n"), " as the session ends");
    }

    /** Forgets an open recording without writing it (a replayed or scratch shell closing). */
    static void discard(Shell sh) {
        State st = STATES.get(sh);
        if (st == null) return;
        stopCast(st, l -> { }, l -> { });
        if (st.file == null) return;
        st.file = null;
        removeHook(st);
    }

    private static void removeHook(State st) {
        if (st.hook == null || Thread.currentThread() == st.hook) return;
        try {
            Runtime.getRuntime().removeShutdownHook(st.hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // the JVM is already going down (the hook finds the file closed), or it was never added
        }
    }

    /** Writes the recording and closes it; says what happened through {@code say} or {@code complain}. */
    private static synchronized boolean save(Shell sh, State st, Consumer<String> say, Consumer<String> complain, String when) {
        Path f = st.file;
        if (f == null) return true;
        st.file = null;
        removeHook(st);
        try {
            // a temporary file linked into place: a file that appeared since record started is
            // not replaced (unless --force), and a full disk leaves no truncated transcript
            dev.klpsim.host.HostFile.writeNew(f, render(sh, st.startStep, f.getParent()), st.replace);
        } catch (IOException | RuntimeException e) {
            complain.accept("record: cannot write " + f + ": " + HostPaths.reason(e));
            return false;
        }
        say.accept("record: wrote " + st.shown + " (" + dev.klpsim.text.Plural.of(sh.session().size(), "command") + ")" + when + "; check it with: klpsim verify " + st.shown);
        if (sh.session().dropped() > 0)
            complain.accept("record: " + dev.klpsim.text.Plural.of(sh.session().dropped(), "command") + " after the first "
                    + String.format("%,d", Session.maxSteps()) + " of this session " + (sh.session().dropped() == 1 ? "is" : "are") + " not in the recording");
        long stopped = sh.session().steps().stream().filter(Session.Step::stopped).count();
        if (stopped > 0)
            say.accept("record: " + stopped + (stopped == 1 ? " command was" : " commands were") + " stopped by Ctrl-C: written as comments, not replayed (the commands after them may print otherwise in a replay)");
        return true;
    }

    /**
     * The {@code #!} options a fresh machine needs to replay this session, every host path in
     * them written relative to the transcript's directory so that the file verifies from
     * anywhere, and moves with what it names (klpsim verify reads them that way,
     * HostPaths.inTranscript): the machine options, the snapshot file, every module directory
     * (KLPSIM_MODULE_PATH and --module-path), and when a command named a relative host path
     * (insmod docs/examples/my-fix-v1.jsh), the directory those start from as --host-dir.
     * The commands stay as typed: what they print (file:line in an error, modinfo's
     * filename) names the path as typed. The one place the header is made.
     */
    static String header(Shell sh, Path transcriptDir) {
        List<String> dirs = new ArrayList<>();
        for (Path d : dev.klpsim.jsh.JshLoader.modulePath(sh.modulePath())) dirs.add(relative(transcriptDir, HostPaths.resolve(d.toString())));
        var host = dev.klpsim.snapshot.Snapshots.of(sh.machine());
        String snapshot = host == null ? null : host.path() == null ? host.source() : relative(transcriptDir, host.path());
        String hostDir = null;
        if (sh.usedRelativeHostPaths()) {
            hostDir = relative(transcriptDir, sh.hostDir());
            if (hostDir.equals(".")) hostDir = null; // the transcript's own directory: the rule's first choice
        }
        List<String> opts = MachineArgs.header(sh.machine().options, dirs, snapshot, hostDir);
        return opts.isEmpty() ? "" : "#! " + String.join(" ", opts) + "\n";
    }

    /** {@code abs} relative to {@code dir} ("." for dir itself); absolute when there is no dir. */
    private static String relative(Path dir, Path abs) {
        if (dir == null) return abs.toString();
        String rel = dir.toAbsolutePath().normalize().relativize(abs.toAbsolutePath().normalize()).toString();
        return rel.isEmpty() ? "." : rel;
    }

    static String render(Shell sh, int startStep, Path transcriptDir) {
        StringBuilder sb = new StringBuilder();
        sb.append(header(sh, transcriptDir));
        sb.append("# recorded by klpsim\n");
        List<Session.Step> steps = sh.session().steps();
        for (int i = 0; i < steps.size(); i++) {
            if (i == 0 && startStep > 0) sb.append("# setup: the session before 'record', so that this file replays from boot\n");
            if (i == startStep && startStep > 0) sb.append("# recording starts here\n");
            Session.Step s = steps.get(i);
            if (s.stopped()) {
                // a replay cannot press Ctrl-C: kept as a comment, so the file never runs what only Ctrl-C ended
                sb.append("# stopped by Ctrl-C, so not replayed (what follows may differ from this session):\n");
                sb.append("#   % ").append(s.command()).append('\n');
                for (String l : s.output()) sb.append("#   ").append(l).append('\n');
                continue;
            }
            sb.append("% ").append(s.command()).append('\n');
            for (String l : s.output()) sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
