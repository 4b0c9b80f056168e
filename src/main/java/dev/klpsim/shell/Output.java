package dev.klpsim.shell;

import dev.klpsim.kernel.Printk;

/** Where a shell session's output goes: command stdout/stderr and the kernel console, in order. */
public interface Output {
    void stdout(String text);

    void stderr(String text);

    void kernel(Printk.Record record);

    /** A trace event shown on the console (marked "~ ", never a kernel log line). */
    default void trace(dev.klpsim.kernel.Trace.Event event) {
        stdout(event.consoleLine() + "\n");
    }
}
