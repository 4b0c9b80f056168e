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
    private JavaCommand.State javaShell;
    private boolean exitRequested;
    /** Set by the terminal on Ctrl-C: long waits stop early. */
    public volatile boolean interrupted;

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

    /** Stops echoing kernel lines to this shell's output. */
    public void close() {
        m.printk.removeConsole(console);
        m.trace.removeConsole(traceConsole);
        if (javaShell != null) javaShell.close();
    }

    public Machine machine() {
        return m;
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

    /** A klpsim command defined by its picocli annotations (model built on first use). */
    void register(String group, Class<? extends ShellCmd> type, String example) {
        PicocliCommand pc = new PicocliCommand(this, type);
        commands.put(pc.name(), new Entry(pc.name(), group, null, pc.summary(), example, pc, null, pc));
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
            return executeLine(line);
        } finally {
            session.end(line);
        }
    }

    private int executeLine(String line) {
        List<ShellSyntax.Pipeline> pipelines;
        try {
            pipelines = ShellSyntax.parse(line, status, env);
        } catch (ShellSyntax.SyntaxError e) {
            output.stderr("bash: " + e.getMessage() + "\n");
            return status = 2;
        }
        for (ShellSyntax.Pipeline p : pipelines) {
            if (p.connector.equals("&&") && status != 0) continue;
            if (p.connector.equals("||") && status == 0) continue;
            status = runPipeline(p);
            if (exitRequested) break;
        }
        return status;
    }

    private int runPipeline(ShellSyntax.Pipeline p) {
        String stdin = null;
        int st = 0;
        for (int i = 0; i < p.commands.size(); i++) {
            boolean last = i == p.commands.size() - 1;
            StringBuilder pipeOut = last ? null : new StringBuilder();
            st = runSimple(p.commands.get(i), stdin, pipeOut, p.background && last);
            stdin = pipeOut == null ? null : pipeOut.toString();
        }
        return st;
    }

    private int runSimple(ShellSyntax.Simple s, String stdin, StringBuilder pipeOut, boolean background) {
        StringBuilder outBuf = pipeOut;
        StringBuilder errBuf = null;
        Vfs.File outFile = null, errFile = null;
        boolean outAppend = false, errAppend = false, errToOut = false;
        for (ShellSyntax.Redirect r : s.redirects) {
            if (r.op().equals(">&")) {
                if (r.fd() == 2) errToOut = true;
                continue;
            }
            if (r.fd() == 0) {
                try {
                    stdin = readFile(r.target());
                } catch (KernelError e) {
                    output.stderr("bash: " + r.target() + ": " + e.errno.message + "\n");
                    return 1;
                }
                continue;
            }
            Vfs.File f;
            try {
                f = openForWrite(r.target());
            } catch (KernelError e) {
                output.stderr("bash: " + r.target() + ": " + e.errno.message + "\n");
                return 1;
            }
            if (r.fd() == 1) {
                outFile = f;
                outAppend = r.op().equals(">>");
                outBuf = new StringBuilder();
            } else {
                errFile = f;
                errAppend = r.op().equals(">>");
                errBuf = new StringBuilder();
            }
        }
        if (errToOut) errBuf = outBuf;
        if (s.words.isEmpty()) return 0;
        List<String> words = Glob.expand(m.vfs, s.words, s.globs);
        Invocation inv = new Invocation(this, words, stdin, outBuf, errBuf);
        int st = dispatch(inv, background);
        if (outFile != null && !outBuf.isEmpty()) st = writeOut(words.get(0), outFile, outBuf.toString(), outAppend, st);
        if (errFile != null && errBuf != outBuf && !errBuf.isEmpty()) writeOut(words.get(0), errFile, errBuf.toString(), errAppend, st);
        return st;
    }

    private int writeOut(String cmd, Vfs.File f, String data, boolean append, int st) {
        int ret = f.write(data, append);
        if (ret < 0) {
            Errno e = Errno.fromReturn(ret);
            String msg = e == null ? "Unknown error " + (-ret) : e.message;
            boolean builtin = cmd.equals("echo") || cmd.equals("printf");
            output.stderr((builtin ? "bash: " + cmd : cmd) + ": write error: " + msg + "\n");
            return 1;
        }
        return st;
    }

    private int dispatch(Invocation inv, boolean background) {
        String name = inv.name();
        try {
            if (name.contains("/")) return jobs.runProgram(inv, background);
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
