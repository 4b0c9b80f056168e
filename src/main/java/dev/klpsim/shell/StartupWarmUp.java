package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import org.jline.reader.LineReader;
import org.jline.terminal.impl.DumbTerminal;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;

/**
 * Loads and runs once, on a second core, the code between the command line and the first
 * prompt: a throwaway machine, shell and line reader on a dumb terminal with no input or
 * output. Meanwhile the main thread parses the command line (picocli's first use costs
 * about as much); when it gets there, the classes are loaded and initialised and their
 * code compiled, so the real boot, terminal and reader cost a fraction. Best effort: a
 * failure here changes nothing, and nothing it makes is kept.
 */
public final class StartupWarmUp {
    private StartupWarmUp() {}

    /** Starts it when the shell will be interactive: a console and no subcommand. */
    public static void startIfInteractive(String[] args) {
        if (System.console() == null || "off".equals(System.getenv("KLPSIM_STARTUP_WARMUP"))) return;
        for (String a : args) if (!a.startsWith("-")) return;   // a subcommand or an option's value: not worth guessing
        Thread t = new Thread(StartupWarmUp::run, "klpsim-startup-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            Machine m = new Machine();
            dev.klpsim.modules.BuiltinModules.registerAll(m);
            Output none = new Output() {
                @Override public void stdout(String text) {}
                @Override public void stderr(String text) {}
                @Override public void kernel(Printk.Record record) {}
            };
            Shell sh = new Shell(m, none);
            try (DumbTerminal terminal = new DumbTerminal(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream())) {
                LineReader reader = Interactive.reader(terminal, sh, null);
                Interactive.tailTips(reader, sh);
                Interactive.prompt(m);
            }
        } catch (Exception | LinkageError e) {
            // warming is best effort
        }
    }
}
