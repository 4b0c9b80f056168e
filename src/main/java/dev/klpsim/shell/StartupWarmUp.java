package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.jline.utils.InfoCmp;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs once, on a second core, what lies between the command line and the first prompt,
 * while the main thread parses the command line (picocli's first use costs about as much):
 * JLine's `infocmp` call for the user's terminal type (a process it would otherwise start
 * on the main thread), then a throwaway machine, shell and line reader on a terminal with
 * no input or output. When the main thread gets there, the capabilities are read, the
 * classes loaded and initialised and their code compiled. Best effort: a failure here
 * changes nothing, and nothing it makes is kept.
 */
public final class StartupWarmUp {
    /** Released once the terminal capabilities are loaded: JLine keeps them in a plain HashMap. */
    private static final CountDownLatch terminalInfo = new CountDownLatch(1);
    private static volatile boolean started;

    private StartupWarmUp() {}

    /** Starts it when the shell will be interactive: a console and no subcommand. */
    public static void startIfInteractive(String[] args) {
        if (System.console() == null || "off".equals(System.getenv("KLPSIM_STARTUP_WARMUP"))) return;
        for (String a : args) if (!a.startsWith("-")) return;   // a subcommand or an option's value: not worth guessing
        started = true;
        Thread t = new Thread(StartupWarmUp::run, "klpsim-startup-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits (a second at most) until the warm-up has loaded the terminal's capabilities, so
     * that building the terminal neither starts `infocmp` again nor races on JLine's table.
     */
    static void awaitTerminalInfo() {
        if (!started) return;
        try {
            terminalInfo.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run() {
        String type = System.getenv("TERM");
        boolean loaded = false;
        try {
            if (type != null && !type.isEmpty()) {
                InfoCmp.getInfoCmp(type);
                loaded = true;
            }
        } catch (Exception e) {
            // JLine falls back to its own tables, as it would on the main thread
        } finally {
            terminalInfo.countDown();
        }
        try {
            Machine m = new Machine();
            dev.klpsim.modules.BuiltinModules.registerAll(m);
            Output none = new Output() {
                @Override public void stdout(String text) {}
                @Override public void stderr(String text) {}
                @Override public void kernel(Printk.Record record) {}
            };
            Shell sh = new Shell(m, none);
            Interactive.prompt(m);
            if (!loaded) return;   // a terminal of another type would write JLine's table concurrently
            try (ExternalTerminal terminal = new ExternalTerminal("warm-up", type, new ByteArrayInputStream(new byte[0]),
                    OutputStream.nullOutputStream(), StandardCharsets.UTF_8)) {
                terminal.setSize(new Size(80, 24));
                LineReader reader = Interactive.reader(terminal, sh, null);
                Interactive.tailTips(reader, sh);
            }
        } catch (Exception | LinkageError e) {
            // warming is best effort
        }
    }
}
