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
    private final StringBuilder outBuf;
    private final StringBuilder errBuf;

    Invocation(Shell shell, List<String> args, String stdin, StringBuilder outBuf, StringBuilder errBuf) {
        this.shell = shell;
        this.m = shell.machine();
        this.args = args;
        this.stdin = stdin;
        this.outBuf = outBuf;
        this.errBuf = errBuf;
    }

    public String name() {
        return args.get(0);
    }

    /** Arguments after the command name. */
    public List<String> operands() {
        return args.subList(1, args.size());
    }

    public void out(String text) {
        if (outBuf != null) outBuf.append(text);
        else shell.output().stdout(text);
    }

    public void println(String line) {
        out(line + "\n");
    }

    public void err(String text) {
        if (errBuf != null) errBuf.append(text);
        else shell.output().stderr(text);
    }

    /** An error line on stderr, newline added. */
    public void errln(String line) {
        err(line + "\n");
    }
}
