package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;

import java.util.List;

/** One command run: its words, its input, and where its output goes. */
public final class Invocation {
    public final Shell shell;
    public final Machine m;
    public final List<String> args;
    /** Piped or redirected input, or null. */
    public final String stdin;
    private final Fds.Sink out;
    private final Fds.Sink err;
    /** The fds the command runs with: what `source` and nested commands inherit. */
    final Fds fds;

    Invocation(Shell shell, List<String> args, String stdin, Fds.Sink out, Fds.Sink err, Fds fds) {
        this.shell = shell;
        this.m = shell.machine();
        this.args = args;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.fds = fds;
    }

    public String name() {
        return args.get(0);
    }

    /** Arguments after the command name. */
    public List<String> operands() {
        return args.subList(1, args.size());
    }

    public void out(String text) {
        out.write(text);
    }

    public void println(String line) {
        out(line + "\n");
    }

    public void err(String text) {
        err.write(text);
    }

    /** An error line on stderr, newline added. */
    public void errln(String line) {
        err(line + "\n");
    }

    /** A progress line, shown in place on a terminal only ({@link Output#progress}). */
    public void progress(String line) {
        shell.output().progress(line);
    }
}
