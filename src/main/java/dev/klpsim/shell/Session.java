package dev.klpsim.shell;

import dev.klpsim.kernel.Printk;

import java.util.ArrayList;
import java.util.List;

/**
 * What a shell session has done since boot: each command line with the lines it printed.
 * A recording is written from it. ("What if" questions copy the machine through its
 * journal instead: see Machine.fork().)
 */
public final class Session {
    /**
     * A command line, what it printed, and whether Ctrl-C stopped it: a replay cannot press
     * Ctrl-C, so a stopped command is not replayed (a loop that Ctrl-C ended would run forever).
     */
    public record Step(String command, List<String> output, boolean stopped) {}

    /**
     * Commands left out of recordings: they only look, or (snapshot) they begin a new session,
     * or (klp explore) they work on copies and print timings.
     */
    private static final List<String> OBSERVERS = List.of("record", "snapshot", "klp explore");
    private static final int MAX_STEPS = 100_000;

    private final Output target;
    private final List<Step> steps = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private int depth;
    /** A terminal recording (record --cast): it sees every command line and all output, as the terminal does. */
    private Watcher watcher;

    /** What a terminal recording needs besides the output: when a command is typed, and when the prompt is back. */
    interface Watcher extends Output {
        void command(String line);

        void prompt();
    }

    Session(Output target) {
        this.target = target;
    }

    /** An Output that shows everything on the target and keeps a copy for the session. */
    Output tee() {
        return new Output() {
            @Override
            public void stdout(String text) {
                if (depth > 0) current.append(text);
                target.stdout(text);
                if (watcher != null) watcher.stdout(text);
            }

            @Override
            public void stderr(String text) {
                if (depth > 0) current.append(text);
                target.stderr(text);
                if (watcher != null) watcher.stderr(text);
            }

            @Override
            public int columns() {
                return target.columns();
            }

            @Override
            public int rows() {
                return target.rows();
            }

            @Override
            public void progress(String line) {
                target.progress(line);   // never recorded: it is not part of the output
            }

            @Override
            public void trace(dev.klpsim.kernel.Trace.Event e) {
                if (depth > 0) {
                    if (!current.isEmpty() && current.charAt(current.length() - 1) != '\n') current.append('\n');
                    current.append(e.consoleLine()).append('\n');
                }
                target.trace(e);
                if (watcher != null) watcher.trace(e);
            }

            @Override
            public void kernel(Printk.Record r) {
                if (depth > 0) {
                    if (!current.isEmpty() && current.charAt(current.length() - 1) != '\n') current.append('\n');
                    current.append(r.text()).append('\n');
                }
                target.kernel(r);
                if (watcher != null) watcher.kernel(r);
            }
        };
    }

    void begin(String line) {
        if (depth++ == 0) {
            current.setLength(0);
            if (watcher != null) watcher.command(line);
        }
    }

    void end(String line) {
        if (--depth > 0) return;
        if (watcher != null) watcher.prompt();
        if (isObserver(line) || line.isBlank() || steps.size() >= MAX_STEPS) return;
        List<String> out = new ArrayList<>();
        for (String l : current.toString().split("\n", -1)) {
            String s = l.stripTrailing();
            if (!s.isEmpty()) out.add(s);
        }
        steps.add(new Step(line, out, dev.klpsim.jsh.UserCode.interruptRequested()));
    }

    static boolean isObserver(String line) {
        String t = line.trim();
        for (String o : OBSERVERS) if (t.equals(o) || t.startsWith(o + " ")) return true;
        return false;
    }

    /** Starts (or, with null, ends) a terminal recording of this session. */
    void watch(Watcher w) {
        watcher = w;
    }

    /** The machine was rebooted: what ran before happened on another machine. */
    void restart() {
        steps.clear();
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public int size() {
        return steps.size();
    }
}
