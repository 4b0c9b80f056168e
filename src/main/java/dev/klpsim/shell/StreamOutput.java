package dev.klpsim.shell;

import dev.klpsim.kernel.Printk;

import java.io.PrintStream;

/** Plain output for pipes and scripts: kernel lines and command output as text, no colour. */
public final class StreamOutput implements Output {
    private final PrintStream out;
    private final PrintStream err;

    public StreamOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void stdout(String text) {
        out.print(text);
        out.flush();
    }

    @Override
    public void stderr(String text) {
        out.flush();
        err.print(text);
        err.flush();
    }

    @Override
    public void trace(dev.klpsim.kernel.Trace.Event e) {
        out.println(e.consoleLine());
        out.flush();
    }

    @Override
    public void kernel(Printk.Record r) {
        out.println(r.text());
        out.flush();
    }
}
