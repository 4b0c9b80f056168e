package dev.klpsim.shell;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Vfs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A bash-like shell on a simulated machine: parses a line, runs its commands with their
 * redirections, and reports errors the way bash and the real tools word them.
 */
public final class Shell {
    /**
     * One command's definition, the only one: the dispatcher, help, --help, Tab completion,
     * and the console's command descriptions all read it. klpsim's own
     * commands carry their picocli {@code model} (synopsis, usage and completion come from it);
     * kernel-style ones keep the real tool's wording in their own parser and give the rest here.
     */
    public record Entry(String name, String group, String synopsis, String summary, String example, Command command,
                        CommandCompleter completer, PicocliCommand model) {

        /** The synopsis of what {@code words} (command name first) run: a subcommand's if they name one. */
        public String synopsis(List<String> words) {
            return model != null ? model.synopsis(words) : synopsis;
        }

        void complete(Shell sh, List<String> words, int idx, String word, List<org.jline.reader.Candidate> out) {
            if (model != null) model.complete(words, idx, word, out);
            else completer.complete(sh, words, idx, word, out);
        }
    }

    private Machine m;
    private final Output output;
    private final Map<String, Entry> commands = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Jobs jobs;
    private final Consumer<dev.klpsim.kernel.Printk.Record> console;
    private final Consumer<dev.klpsim.kernel.Trace.Event> traceConsole;
    private final Session session;
    private int status;
    private final List<String> modulePath = new ArrayList<>();
    /** Where relative host paths resolve (HostPaths): klpsim's start directory, or a transcript's --host-dir. */
    private java.nio.file.Path hostDir = HostPaths.startDirectory();
    /** A replayed transcript's directory with no --host-dir: tried first (HostPaths.inTranscript). */
    private java.nio.file.Path transcriptDir;
    /** Whether a command named a relative host path: a recording then says where they start (--host-dir). */
    private boolean relativeHostPaths;
    private JavaCommand.State javaShell;
    private boolean exitRequested;
    private final Interpreter interpreter = new Interpreter(this);

    public Shell(Machine m, Output output) {
        this.m = m;
        this.session = new Session(output);
        this.output = session.tee();
        this.jobs = new Jobs(this);
        env.put("HOME", "/root");
        env.put("PWD", "/root");
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        Commands.registerAll(this);
        console = this.output::kernel;
        m.printk.addConsole(console);
        traceConsole = this.output::trace;
        m.trace.addConsole(traceConsole);
    }

    /** The session ends (exit, Ctrl-D, end of input): an open recording is written, and the shell says so. */
    public void finish() {
        RecordCommand.finish(this);
    }

    /** Stops echoing kernel lines to this shell's output; a recording still open is dropped (see {@link #finish}). */
    public void close() {
        RecordCommand.discard(this);
        if (scratchWrites != null) deleteTree(scratchWrites);
        m.printk.removeConsole(console);
        m.trace.removeConsole(traceConsole);
        if (javaShell != null) javaShell.close();
    }

    public Machine machine() {
        return m;
    }

    private static void deleteTree(java.nio.file.Path dir) {
        try (var walk = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
        } catch (java.io.IOException | RuntimeException e) {
            // a scratch directory left behind in the temp dir is harmless
        }
    }

    /**
     * Moves this shell onto a freshly booted machine (`snapshot load`): the kernel console
     * follows, and the session starts over, as after a reboot, so that a replay (preview,
     * record) starts from that machine's boot.
     */
    public void reboot(Machine fresh) {
        m.printk.removeConsole(console);
        m.trace.removeConsole(traceConsole);
        for (var src : m.sources().values()) if (fresh.source(src.name()) == null) fresh.registerSource(src);
        m = fresh;
        m.printk.addConsole(console);
        m.trace.addConsole(traceConsole);
        jobs.clear();
        session.restart();
        if (javaShell != null) {
            javaShell.close();
            javaShell = null;
        }
    }

    public Output output() {
        return output;
    }

    public Jobs jobs() {
        return jobs;
    }

    public int status() {
        return status;
    }

    public boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    /** Directories given with --module-path, searched after KLPSIM_MODULE_PATH. */
    /**
     * A host file a command names (a .jsh module, source FILE, record FILE, trace export
     * FILE, snapshot load FILE), resolved by the one rule: absolute as it is; relative against
     * {@link #hostDir()}, or in a replayed transcript without --host-dir by
     * {@link HostPaths#inTranscript}. Never against the simulated working directory.
     */
    public java.nio.file.Path hostPath(String arg) {
        java.nio.file.Path p = java.nio.file.Path.of(arg);
        if (p.isAbsolute()) return p.normalize();
        relativeHostPaths = true;
        return hostPathOf(arg);
    }

    /** The same, for a path a replay never reads (record's own FILE): it asks for no --host-dir. */
    java.nio.file.Path hostPathOf(String arg) {
        java.nio.file.Path p = java.nio.file.Path.of(arg);
        if (p.isAbsolute()) return p.normalize();
        if (transcriptDir != null) return HostPaths.inTranscript(transcriptDir, arg);
        return hostDir.resolve(p).normalize();
    }

    /** Under verify: where the commands' host writes go instead (a scratch directory this shell deletes on close), else null. */
    private java.nio.file.Path scratchWrites;

    /**
     * Host writes (trace export FILE, record FILE) go under {@code dir} from now on: a replay
     * must neither change the host nor meet the file its recording wrote ("exists; add
     * --force"). Relative and absolute names alike land inside it.
     */
    public void writesUnder(java.nio.file.Path dir) {
        scratchWrites = dir;
    }

    /** Whether host writes go to verify's scratch directory. */
    boolean writesToScratch() {
        return scratchWrites != null;
    }

    /**
     * A host file a command writes: {@code reads} is how the command resolves it otherwise
     * (hostPath or hostPathOf); under verify it is inside the scratch directory.
     */
    java.nio.file.Path hostWritePath(String arg, java.util.function.Function<String, java.nio.file.Path> reads) {
        if (scratchWrites == null) return reads.apply(arg);
        java.nio.file.Path p = java.nio.file.Path.of(arg);
        java.nio.file.Path inside = p.isAbsolute() ? p.getRoot().relativize(p) : p;
        java.nio.file.Path out = scratchWrites.resolve(inside).normalize();
        if (!out.startsWith(scratchWrites)) out = scratchWrites.resolve(p.getFileName().toString());
        // its directory exists in the scratch copy when it exists on the host: the write fails or
        // succeeds as it would there (a missing directory: No such file or directory)
        java.nio.file.Path real = reads.apply(arg).getParent();
        if (real != null && java.nio.file.Files.isDirectory(real)) {
            try {
                java.nio.file.Files.createDirectories(out.getParent());
            } catch (java.io.IOException e) {
                // the write reports it
            }
        }
        return out;
    }

    /** The directory relative host paths resolve against. */
    public java.nio.file.Path hostDir() {
        return hostDir;
    }

    /** Relative host paths resolve against {@code dir} (a transcript's --host-dir). */
    public void hostDir(java.nio.file.Path dir) {
        hostDir = dir.toAbsolutePath().normalize();
        transcriptDir = null;
    }

    /** A replay of a transcript from {@code dir} with no --host-dir: its relative host paths follow HostPaths.inTranscript. */
    public void transcriptDir(java.nio.file.Path dir) {
        transcriptDir = dir.toAbsolutePath().normalize();
    }

    /** The {@code #!} line (with its newline, or "") that replays this session from a file in {@code transcriptDir} (record's, RecordCommand.header). */
    public String replayHeader(java.nio.file.Path transcriptDir) {
        return RecordCommand.header(this, transcriptDir);
    }

    boolean usedRelativeHostPaths() {
        return relativeHostPaths;
    }

    public List<String> modulePath() {
        return modulePath;
    }

    JavaCommand.State javaState() {
        if (javaShell == null) javaShell = new JavaCommand.State();
        return javaShell;
    }

    public Map<String, String> env() {
        return env;
    }

    /** A kernel-style command: the real tool's parser and wording, described here. */
    void register(String name, String group, String synopsis, String summary, String example, Command c, CommandCompleter completer) {
        commands.put(name, new Entry(name, group, synopsis, summary, example, c, completer, null));
    }

    /** A klpsim command defined by its picocli annotations (model built on first use); its example is in its footer, as each subcommand's. */
    void register(String group, Class<? extends ShellCmd> type) {
        PicocliCommand pc = new PicocliCommand(this, type);
        commands.put(pc.name(), new Entry(pc.name(), group, null, pc.summary(), null, pc, null, pc));
    }

    public Map<String, Entry> commands() {
        return java.util.Collections.unmodifiableMap(commands);
    }

    /** The commands run so far, with their output: what record saves. */
    public Session session() {
        return session;
    }

    /** Runs one command line and returns its exit status. Never throws. */
    public int execute(String line) {
        session.begin(line);
        try {
            jobs.runPending(interpreter.terminal());
            return executeLine(line);
        } finally {
            session.end(line);
        }
    }

    private int executeLine(String line) {
        return interpreter.runText(line, interpreter.terminal());
    }

    /** Runs a script's text (for source) with the given invocation's files. */
    int runScript(String text, Invocation inv) {
        return interpreter.runText(text, inv.fds);
    }

    int setStatus(int st) {
        return status = st;
    }

    Interpreter interpreter() {
        return interpreter;
    }

    int dispatch(Invocation inv, boolean background) {
        String name = inv.name();
        try {
            if (name.contains("/")) return jobs.runProgram(inv, background);
            if (background && Jobs.runsAsJob(name)) return jobs.background(inv);
            Entry e = commands.get(name);
            if (e == null) {
                inv.errln("bash: " + name + ": command not found");
                return 127;
            }
            if (e.model() == null && inv.args.size() == 2 && inv.args.get(1).equals("--help") && !name.equals("echo")) {
                inv.out(Help.usage(e));
                return 0;
            }
            return e.command().run(inv);
        } catch (KernelError ke) {
            inv.errln(name + ": " + ke.errno.message);
            return 1;
        } catch (Interpreter.LoopControl lc) {
            throw lc;
        } catch (dev.klpsim.jsh.UserCode.Interrupted stop) {
            // user code outside a callback guard (a shadow constructor, say): the command fails
            dev.klpsim.jsh.UserCode.consumeUserStop();
            inv.errln(name + ": stopped by Ctrl-C");
            return 130;
        } catch (dev.klpsim.jsh.UserCode.ExitCalled exit) {
            inv.errln(name + ": " + exit.getMessage());
            return 1;
        } catch (RuntimeException | StackOverflowError bug) {
            // A defect in klpsim must not take the shell down or print a Java stack trace.
            inv.errln("klpsim: internal error in '" + name + "': " + bug);
            return 70;
        }
    }

    /** Reads a virtual file; throws KernelError. */
    public String readFile(String path) {
        Vfs.Node n = m.vfs.resolve(path);
        if (n.isDir()) throw new KernelError(Errno.EISDIR);
        return ((Vfs.File) n).read();
    }

    /** open(O_WRONLY|O_CREAT|O_TRUNC) on the virtual tree; throws KernelError as open() fails. */
    public Vfs.File openForWrite(String path) {
        if (!m.vfs.isVirtual(path)) throw new KernelError(Errno.EROFS);
        Vfs.Node n = m.vfs.find(path);
        if (n == null) {
            String abs = m.vfs.normalize(path);
            String parent = abs.substring(0, Math.max(1, abs.lastIndexOf('/')));
            Vfs.Node p = m.vfs.find(parent);
            if (p == null) throw new KernelError(Errno.ENOENT);
            if (!p.isDir()) throw new KernelError(Errno.ENOTDIR);
            throw new KernelError(abs.startsWith("/sys/") || abs.startsWith("/proc/") ? Errno.EACCES : Errno.EROFS);
        }
        if (n.isDir()) throw new KernelError(Errno.EISDIR);
        Vfs.File f = (Vfs.File) n;
        if (!f.writable()) throw new KernelError(Errno.EACCES);
        return f;
    }

    public List<String> commandNames() {
        return new ArrayList<>(commands.keySet());
    }
}
