package dev.klpsim.shell;

import dev.klpsim.kernel.Printk;

/** Where a shell session's output goes: command stdout/stderr and the kernel console, in order. */
public interface Output {
    void stdout(String text);

    void stderr(String text);

    void kernel(Printk.Record record);

    /**
     * A long command's progress ("explore: depth 4, 1,200 states ..."): on a terminal one
     * line redrawn in place and wiped before the next output; elsewhere (a pipe, a file, a
     * transcript, a recording) nothing, so that no output depends on how fast it ran.
     */
    default void progress(String line) {
    }

    /** The terminal's width in columns, for a recording of it (record --cast); 100 where there is no terminal. */
    default int columns() {
        return 100;
    }

    /** The terminal's height in rows; 30 where there is no terminal. */
    default int rows() {
        return 30;
    }

    /** A trace event shown on the console (marked "~ ", never a kernel log line). */
    default void trace(dev.klpsim.kernel.Trace.Event event) {
        stdout(event.consoleLine() + "\n");
    }

    /** Clears a terminal's screen (clear); false when this output is no terminal. */
    default boolean clearScreen() {
        return false;
    }
}
