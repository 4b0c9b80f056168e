package dev.klpsim.shell;

import dev.klpsim.kernel.Printk;

/** Where a shell session's output goes: command stdout/stderr and the kernel console, in order. */
public interface Output {
    void stdout(String text);

    void stderr(String text);

    void kernel(Printk.Record record);
}
