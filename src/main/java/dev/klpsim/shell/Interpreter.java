package dev.klpsim.shell;

import dev.klpsim.jsh.UserCode;
import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Vfs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the command tree {@link ShellSyntax} builds, as bash runs it: lists, && and ||,
 * pipelines, if/for/while/until, assignments, expansions, and redirections applied in the
 * order written.
 */
final class Interpreter {
    /** break N / continue N unwinding to the loop they leave. */
    static final class LoopControl extends RuntimeException {
        final boolean isBreak;
        int levels;

        LoopControl(boolean isBreak, int levels) {
            super(null, null, false, false);
            this.isBreak = isBreak;
            this.levels = levels;
        }
    }

    final Shell shell;
    /** set -e -u -x, set -o pipefail. */
    final ShellOptions options = new ShellOptions();
    /** If/while/until conditions being run: set -e does not act on a tested command. */
    private int tested;
    /** set -u found an unset variable: bash abandons the rest of the command line (a script: the rest of it). */
    boolean unbound;
    /** Loops being run, for break and continue. */
    int loopDepth;
    /** Status of the last command substitution, for a command of assignments only. */
    private int substStatus;
    /** How deep substitutions and sourced files nest, so a runaway recursion stops with bash's words. */
    private int nesting;

    Interpreter(Shell shell) {
        this.shell = shell;
        this.terminalOut = text -> shell.output().stdout(text);
    }

    /** The shell's own stdout: one sink, so a command can tell it writes to the terminal (clear). */
    final Fds.Sink terminalOut;

    /** The fds a top-level command starts with: the terminal, no input. */
    Fds terminal() {
        return new Fds(null, terminalOut, shell.output()::stderr);
    }

    /** Parses and runs a script or line; syntax errors are reported as bash reports them. */
    int runText(String text, Fds fds) {
        ShellSyntax.CommandList list;
        try {
            list = ShellSyntax.parse(text);
        } catch (ShellSyntax.SyntaxError e) {
            fds.err.write("bash: " + e.getMessage() + "\n");
            return shell.setStatus(2);
        }
        if (nesting == 0) unbound = false;
        if (++nesting > 64) {
            nesting--;
            fds.err.write("bash: maximum nesting level exceeded (64)\n");
            return shell.setStatus(1);
        }
        try {
            return runList(list, fds);
        } finally {
            nesting--;
        }
    }

    int runList(ShellSyntax.CommandList list, Fds fds) {
        int st = shell.status();
        for (ShellSyntax.AndOr a : list.items()) {
            if (UserCode.interruptRequested()) return shell.setStatus(130);
            st = runAndOr(a, fds);
            if (shell.exitRequested() || unbound) break;
        }
        return st;
    }

    private int runAndOr(ShellSyntax.AndOr a, Fds fds) {
        int st = shell.setStatus(runPipeline(a.pipelines().get(0), fds, a.background() && a.ops().isEmpty()));
        int ran = 0;
        for (int i = 0; i < a.ops().size(); i++) {
            if (shell.exitRequested() || unbound || UserCode.interruptRequested()) break;
            boolean and = a.ops().get(i).equals("&&");
            if (and != (st == 0)) continue;
            boolean last = i == a.ops().size() - 1;
            st = shell.setStatus(runPipeline(a.pipelines().get(i + 1), fds, a.background() && last));
            ran = i + 1;
        }
        // set -e: only the last command of an && / || list counts, and not one after ! or in a condition
        if (options.errexit && st != 0 && tested == 0 && ran == a.ops().size() && !a.pipelines().get(ran).negate()
                && !UserCode.interruptRequested()) shell.requestExit();
        return st;
    }

    private int runPipeline(ShellSyntax.Pipeline p, Fds fds, boolean background) {
        String stdin = fds.in;
        int st = 0;
        for (int i = 0; i < p.commands().size(); i++) {
            boolean last = i == p.commands().size() - 1;
            Fds.Buffer pipe = last ? null : new Fds.Buffer();
            Fds f = new Fds(stdin, last ? fds.out : pipe, fds.err);
            int c = runCommand(p.commands().get(i), f, background && last);
            st = options.pipefail && c == 0 && i > 0 ? st : c;
            stdin = pipe == null ? null : pipe.text.toString();
        }
        return p.negate() ? (st == 0 ? 1 : 0) : st;
    }

    private int runCommand(ShellSyntax.Command c, Fds fds, boolean background) {
        if (c instanceof ShellSyntax.Simple s) return runSimple(s, fds, background);
        List<ShellSyntax.Redirect> rs = c instanceof ShellSyntax.If x ? x.redirects() : c instanceof ShellSyntax.For x ? x.redirects()
                : c instanceof ShellSyntax.While x ? x.redirects() : ((ShellSyntax.Group) c).redirects();
        List<Fds.FileSink> opened = new ArrayList<>();
        Fds f = redirect(rs, fds, opened);
        if (f == null) return 1;
        int st;
        if (c instanceof ShellSyntax.If x) st = runIf(x, f);
        else if (c instanceof ShellSyntax.For x) st = runFor(x, f);
        else if (c instanceof ShellSyntax.While x) st = runWhile(x, f);
        else st = runList(((ShellSyntax.Group) c).body(), f);
        return flush(opened, "bash", st, fds);
    }

    private int runIf(ShellSyntax.If x, Fds fds) {
        for (int i = 0; i < x.conditions().size(); i++) {
            if (runCondition(x.conditions().get(i), fds) == 0) return runList(x.bodies().get(i), fds);
            if (UserCode.interruptRequested()) return 130;
        }
        return x.otherwise() == null ? 0 : runList(x.otherwise(), fds);
    }

    private int runCondition(ShellSyntax.CommandList list, Fds fds) {
        tested++;
        try {
            return runList(list, fds);
        } finally {
            tested--;
        }
    }

    private int runFor(ShellSyntax.For x, Fds fds) {
        List<String> items;
        try {
            Expander.Fields fs = new Expander(this, fds).fields(x.items());
            items = Glob.expand(shell.machine().vfs, fs.words(), fs.globs());
        } catch (Expander.Failure e) {
            fds.err.write("bash: " + e.getMessage() + "\n");
            return 1;
        }
        int st = 0;
        loopDepth++;
        try {
            for (String item : items) {
                if (UserCode.interruptRequested()) return 130;
                shell.env().put(x.name(), item);
                try {
                    st = runList(x.body(), fds);
                } catch (LoopControl lc) {
                    if (--lc.levels > 0) throw lc;
                    if (lc.isBreak) break;
                }
                if (shell.exitRequested() || unbound) break;
            }
        } finally {
            loopDepth--;
        }
        return st;
    }

    private int runWhile(ShellSyntax.While x, Fds fds) {
        int st = 0;
        loopDepth++;
        try {
            while (!shell.exitRequested() && !unbound) {
                if (UserCode.interruptRequested()) return 130;
                int c = runCondition(x.condition(), fds);
                if ((c == 0) == x.until()) break;
                try {
                    st = runList(x.body(), fds);
                } catch (LoopControl lc) {
                    if (--lc.levels > 0) throw lc;
                    if (lc.isBreak) break;
                }
            }
        } finally {
            loopDepth--;
        }
        return st;
    }

    private int runSimple(ShellSyntax.Simple s, Fds fds, boolean background) {
        Expander ex = new Expander(this, fds);
        substStatus = 0;
        Map<String, String> values = new java.util.LinkedHashMap<>();
        List<String> words;
        try {
            for (ShellSyntax.Word a : s.assignments()) {
                int eq = a.raw().indexOf('=');
                values.put(a.raw().substring(0, eq), ex.string(a.raw().substring(eq + 1)));
            }
            Expander.Fields fs = ex.fields(s.words());
            words = Glob.expand(shell.machine().vfs, fs.words(), fs.globs());
        } catch (Expander.Failure e) {
            fds.err.write("bash: " + e.getMessage() + "\n");
            return 1;
        }
        List<Fds.FileSink> opened = new ArrayList<>();
        Fds f = redirect(s.redirects(), fds, opened);
        if (f == null) return 1;
        if (options.xtrace) fds.err.write(Xtrace.lines(values, words));
        if (words.isEmpty()) {
            shell.env().putAll(values);
            return flush(opened, "bash", substStatus, fds);
        }
        // NAME=value before a command holds for that command only
        Map<String, String> saved = new HashMap<>();
        for (String k : values.keySet()) saved.put(k, shell.env().get(k));
        shell.env().putAll(values);
        int st;
        try {
            st = shell.dispatch(new Invocation(shell, words, f.in, f.out, f.err, f), background);
        } finally {
            for (var e : saved.entrySet()) {
                if (e.getValue() == null) shell.env().remove(e.getKey());
                else shell.env().put(e.getKey(), e.getValue());
            }
        }
        return flush(opened, words.get(0), st, fds);
    }

    /** Applies redirections in order; null (after bash's message) when one cannot be made. */
    private Fds redirect(List<ShellSyntax.Redirect> rs, Fds fds, List<Fds.FileSink> opened) {
        Fds f = fds;
        for (ShellSyntax.Redirect r : rs) {
            String target;
            try {
                Expander.Fields fs = new Expander(this, fds).fields(List.of(r.target()));
                if (fs.words().size() != 1) {
                    fds.err.write("bash: " + r.target().raw() + ": ambiguous redirect\n");
                    return null;
                }
                target = fs.words().get(0);
            } catch (Expander.Failure e) {
                fds.err.write("bash: " + e.getMessage() + "\n");
                return null;
            }
            switch (r.op()) {
                case ">&" -> {
                    if (target.equals("-")) {
                        f = f.with(r.fd(), text -> { });
                        continue;
                    }
                    int from;
                    try {
                        from = Integer.parseInt(target);
                    } catch (NumberFormatException e) {
                        fds.err.write("bash: " + target + ": ambiguous redirect\n");
                        return null;
                    }
                    if (from != 1 && from != 2 || r.fd() != 1 && r.fd() != 2) {
                        fds.err.write("bash: " + from + ": Bad file descriptor\n");
                        return null;
                    }
                    f = f.with(r.fd(), f.get(from));
                }
                case "<" -> {
                    try {
                        f = f.withIn(shell.readFile(target));
                    } catch (KernelError e) {
                        fds.err.write("bash: " + target + ": " + e.errno.message + "\n");
                        return null;
                    }
                }
                default -> {
                    Fds.Sink sink;
                    if (target.equals("/dev/null")) {
                        sink = text -> { };
                    } else {
                        Vfs.File file;
                        try {
                            file = shell.openForWrite(target);
                        } catch (KernelError e) {
                            fds.err.write("bash: " + target + ": " + e.errno.message + "\n");
                            return null;
                        }
                        Fds.FileSink fsk = new Fds.FileSink(file, r.op().endsWith(">>"));
                        opened.add(fsk);
                        sink = fsk;
                    }
                    if (r.op().startsWith("&")) f = f.with(1, sink).with(2, sink);
                    else if (r.fd() == 1 || r.fd() == 2) f = f.with(r.fd(), sink);
                }
            }
        }
        return f;
    }

    /** Stores what went to redirected files, one write each; a failed write is the command's error. */
    private int flush(List<Fds.FileSink> opened, String cmd, int st, Fds fds) {
        for (Fds.FileSink s : opened) {
            if (s.text.isEmpty()) continue;
            int ret = s.file.write(s.text.toString(), s.append);
            if (ret < 0) {
                Errno e = Errno.fromReturn(ret);
                String msg = e == null ? "Unknown error " + (-ret) : e.message;
                boolean builtin = cmd.equals("echo") || cmd.equals("printf");
                fds.err.write((builtin ? "bash: " + cmd : cmd) + ": write error: " + msg + "\n");
                st = 1;
            }
        }
        return st;
    }

    /** $(...): runs the text with stdout collected; trailing newlines dropped, as bash does. */
    String substitute(String text, Fds fds) {
        Fds.Buffer buf = new Fds.Buffer();
        int saved = shell.status();
        int st = runText(text, new Fds(null, buf, fds.err));
        substStatus = st;
        shell.setStatus(saved);
        String s = buf.text.toString();
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '\n') end--;
        return s.substring(0, end);
    }

    /** A parameter's value, or null when it is unset. */
    String param(String name) {
        return switch (name) {
            case "?" -> Integer.toString(shell.status());
            case "!" -> shell.jobs().lastBackgroundPid() < 0 ? null : Integer.toString(shell.jobs().lastBackgroundPid());
            case "$" -> Integer.toString(shell.machine().shell.pid);
            case "#" -> "0";
            case "0" -> "bash";
            case "@", "*" -> "";
            case "-" -> "h";
            default -> name.chars().allMatch(Character::isDigit) ? null : shell.env().get(name);
        };
    }
}
