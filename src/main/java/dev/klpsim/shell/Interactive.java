package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.widget.TailTipWidgets;

import java.io.IOException;
import java.nio.file.Path;

/** The interactive shell on a terminal: line editing, history, completion, coloured kernel lines. */
public final class Interactive {
    private final Machine m;
    private final boolean history;
    private final java.util.List<String> modulePath;

    public Interactive(Machine m, boolean history, java.util.List<String> modulePath) {
        this.m = m;
        this.history = history;
        this.modulePath = modulePath;
    }

    public int run() throws IOException {
        return run(systemTerminal(), history ? SessionHistory.location(System.getenv()) : null);
    }

    /**
     * The user's terminal. JLine tries every terminal provider it has, and trying the exec
     * one starts a process (`test -t 1`) before the prompt; the JNI one serves Linux, macOS
     * and Windows, so the exec one is asked only when that gives no real terminal.
     */
    private static Terminal systemTerminal() throws IOException {
        Terminal t = TerminalBuilder.builder().system(true).exec(false).dumb(true).build();
        if (!Terminal.TYPE_DUMB.equals(t.getType()) || "dumb".equals(System.getenv("TERM"))) return t;
        t.close();
        return TerminalBuilder.builder().system(true).dumb(true).build();
    }

    /** The session on a terminal; {@code historyFile} null keeps no history file. */
    int run(Terminal terminal, Path historyFile) throws IOException {
        boolean colour = System.getenv("NO_COLOR") == null && !Terminal.TYPE_DUMB.equals(terminal.getType());
        TerminalOutput output = new TerminalOutput(terminal, colour);
        Shell sh = new Shell(m, output);
        sh.modulePath().addAll(modulePath);
        LineReader reader = reader(terminal, sh, historyFile);
        output.reader = reader;
        if (colour) {
            tailTips(reader, sh);
            clearScreenWithoutStatus(reader);
        }
        // Ctrl-C while a command runs (the line reader handles it while reading): stop it
        CommandThread running = new CommandThread(Thread.currentThread());
        terminal.handle(Terminal.Signal.INT, s -> running.interrupt());
        terminal.writer().println("klpsim: a simulated " + m.release() + " machine with " + m.options.cpus
                + " CPU" + (m.options.cpus > 1 ? "s" : "") + ". Type 'help' for commands, Ctrl-D to leave.");
        if (dev.klpsim.snapshot.Snapshots.of(m) != null)
            for (String l : dev.klpsim.snapshot.Snapshots.summary(m)) terminal.writer().println(l);
        // the user reads the prompt: time enough to warm the compiler for a first .jsh load
        dev.klpsim.jsh.JshLoader.warmUpInBackground();
        // and the C parser for a first .c load (ANTLR builds its prediction tables on first use)
        dev.klpsim.c.CLoader.warmUpInBackground();
        while (!sh.exitRequested()) {
            String line;
            try {
                output.endProgress();
                line = reader.readLine(prompt(sh.machine()));
            } catch (UserInterruptException e) {
                hideStatus(terminal);
                sh.setStatus(130); // bash: Ctrl-C at the prompt makes $? 128 + SIGINT
                continue;
            } catch (EndOfFileException e) {
                hideStatus(terminal);
                break;
            } finally {
                // what the command prints gets the whole screen: a status line left under it would
                // scroll into the scrollback with it (its rule and the synopsis typed last)
                hideStatus(terminal);
            }
            dev.klpsim.jsh.UserCode.clearInterrupt();
            running.begin();
            try {
                sh.execute(line);
            } finally {
                running.end();
            }
        }
        sh.finish();
        terminal.flush();
        terminal.close();
        return sh.status();
    }

    /**
     * The thread that runs commands, and whether it runs one now. Ctrl-C sets the flag that
     * instrumented user code checks; and until the stop is reported, a watchdog interrupts
     * the thread whenever it waits in a JDK call user code made (Thread.sleep, Object.wait,
     * join, a lock's or queue's wait), so that the call returns at once instead of when it
     * would have ended. Nothing is interrupted between commands, and the interrupt status is
     * cleared when a command ends: the line reader and the next command never see it.
     */
    static final class CommandThread {
        private final Thread thread;
        private boolean busy;
        private Thread watchdog;

        CommandThread(Thread thread) {
            this.thread = thread;
        }

        synchronized void begin() {
            busy = true;
        }

        synchronized void end() {
            busy = false;
            Thread.interrupted();
        }

        private synchronized boolean busy() {
            return busy;
        }

        /** Ctrl-C, from the terminal's signal handler (which must not block). */
        synchronized void interrupt() {
            dev.klpsim.jsh.UserCode.requestInterrupt();
            if (!busy || watchdog != null && watchdog.isAlive()) return;
            watchdog = new Thread(this::watch, "klpsim-ctrl-c");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        /** Until the command ends or reports the stop: every 10 ms, end a wait user code is in. */
        private void watch() {
            while (busy() && dev.klpsim.jsh.UserCode.stopPending()) {
                synchronized (this) {
                    if (busy) dev.klpsim.jsh.UserCode.interruptIfWaitingInUserCall(thread);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The line reader: completion, history (kept in {@code historyFile} when not null), Ctrl-R. */
    public static LineReader reader(Terminal terminal, Shell sh, Path historyFile) {
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("klpsim")
                .parser(new ShellParser(sh.env()))
                .completer(new ShellCompleter(sh))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_MENU, false)
                .variable(LineReader.HISTORY_SIZE, 5000);
        if (historyFile != null) {
            b.variable(LineReader.HISTORY_FILE, historyFile);
            b.history(new SessionHistory(historyFile, System.err));
        }
        return b.build();
    }

    /**
     * The synopsis of the command being typed, in a status line under the prompt, and an
     * option's description after a '-' (Alt-S switches them off and on).
     */
    static TailTipWidgets tailTips(LineReader reader, Shell sh) {
        TailTipWidgets tips = new TailTipWidgets(reader, new CommandDescriptions(sh), STATUS_ROWS - 1, TailTipWidgets.TipType.TAIL_TIP);
        tips.setDescriptionCache(false); // "klp" and "klp show" differ: describe what is typed now
        tips.enable();
        return tips;
    }

    /** The status area: its rule and two lines of synopsis. */
    static final int STATUS_ROWS = 3;

    /** Takes the synopsis status line (and its rule) off the screen; typing at the next prompt brings it back. */
    static void hideStatus(Terminal terminal) {
        org.jline.utils.Status.getExistingStatus(terminal).ifPresent(org.jline.utils.Status::hide);
    }

    /**
     * Ctrl-L without the status line: it is taken off before the screen is cleared (a terminal
     * that keeps a cleared screen in its scrollback would keep the rule and synopsis there too)
     * and comes back with the next key.
     */
    static void clearScreenWithoutStatus(LineReader reader) {
        reader.getWidgets().put("klpsim-clear-screen", () -> {
            Terminal t = reader.getTerminal();
            hideStatus(t);
            t.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
            // the prompt starts below the rows the status line will take back when it returns (it
            // scrolls the screen up by as many): drawn on the top row, it would scroll away
            for (int i = 0; i < STATUS_ROWS; i++) t.writer().write('\n');
            t.flush();
            reader.callWidget(LineReader.REDRAW_LINE);
            reader.callWidget(LineReader.REDISPLAY);
            return true;
        });
        reader.getKeyMaps().get(LineReader.EMACS).bind(new org.jline.reader.Reference("klpsim-clear-screen"), org.jline.keymap.KeyMap.ctrl('L'));
        reader.getKeyMaps().get(LineReader.VIINS).bind(new org.jline.reader.Reference("klpsim-clear-screen"), org.jline.keymap.KeyMap.ctrl('L'));
    }

    /** The prompt: simulated time, an open transition, the working directory (also what presenter mode and recordings show). */
    public static String prompt(Machine m) {
        String t = dev.klpsim.kernel.Timers.seconds(m.now(), false);
        var tp = m.klp.transition.transitionPatch();
        String tr = "";
        if (tp != null) {
            long pending = m.tasks().stream().filter(x -> x.patchState != m.klp.transition.targetState()).count()
                    + m.idleTasks().stream().filter(x -> x.patchState != m.klp.transition.targetState()).count();
            tr = " " + tp.name() + (m.klp.transition.targetState() == 1 ? " patching" : " unpatching") + " (" + pending + " pending)";
        }
        return "[" + t + tr + "] " + m.vfs.cwd().replaceFirst("^/root", "~") + " # ";
    }

    /** Writes above the prompt; kernel lines coloured by level. */
    static final class TerminalOutput implements Output {
        private final Terminal terminal;
        private final boolean colour;
        /** Whether a progress line is on the screen, to be wiped before the next output. */
        private boolean progressShown;
        LineReader reader;

        TerminalOutput(Terminal terminal, boolean colour) {
            this.terminal = terminal;
            this.colour = colour;
        }

        @Override
        public int columns() {
            return terminal.getWidth() > 0 ? terminal.getWidth() : Output.super.columns();
        }

        @Override
        public int rows() {
            return terminal.getHeight() > 0 ? terminal.getHeight() : Output.super.rows();
        }

        @Override
        public void progress(String line) {
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) return;
            terminal.writer().print("\r" + line + "\u001b[K");
            terminal.flush();
            progressShown = true;
        }

        /** clear on the terminal: as Ctrl-L, the status line is taken off first (see clearScreenWithoutStatus). */
        @Override
        public boolean clearScreen() {
            if (Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())) return false;
            endProgress();
            hideStatus(terminal);
            terminal.puts(org.jline.utils.InfoCmp.Capability.clear_screen);
            for (int i = 0; i < STATUS_ROWS; i++) terminal.writer().write('\n');
            terminal.flush();
            return true;
        }

        /** Wipes a progress line left on the screen: the next output or prompt starts on a clean line. */
        void endProgress() {
            if (!progressShown) return;
            progressShown = false;
            terminal.writer().print("\r\u001b[K");
            terminal.flush();
        }

        @Override
        public void stdout(String text) {
            endProgress();
            terminal.writer().print(text);
            terminal.flush();
        }

        @Override
        public void stderr(String text) {
            endProgress();
            if (colour) terminal.writer().print(new AttributedString(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).toAnsi(terminal));
            else terminal.writer().print(text);
            terminal.flush();
        }

        @Override
        public void trace(dev.klpsim.kernel.Trace.Event e) {
            endProgress();
            String line = e.consoleLine();
            if (colour) line = new AttributedString(line, AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA)).toAnsi(terminal);
            terminal.writer().println(line);
            terminal.flush();
        }

        @Override
        public void kernel(Printk.Record r) {
            endProgress();
            String line = r.text();
            if (colour) {
                AttributedStyle st = switch (r.level()) {
                    case 0, 1, 2, 3 -> AttributedStyle.BOLD.foreground(AttributedStyle.RED);
                    case 4 -> AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
                    case 5 -> AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
                    case 7 -> AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.BLACK);
                    default -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
                };
                line = new AttributedString(line, st).toAnsi(terminal);
            }
            terminal.writer().println(line);
            terminal.flush();
        }
    }
}
