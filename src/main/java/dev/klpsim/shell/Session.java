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
    /** Commands past MAX_STEPS, which no recording holds: record says how many. */
    private long dropped;
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
            public boolean clearScreen() {
                boolean cleared = target.clearScreen();
                if (cleared && watcher != null) watcher.stdout(SystemCommands.CLEAR_XTERM);
                return cleared;
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
        if (isObserver(line) || line.isBlank()) return;
        if (steps.size() >= MAX_STEPS) {
            dropped++;
            return;
        }
        List<String> out = new ArrayList<>();
        for (String l : current.toString().split("\n", -1)) {
            String s = l.stripTrailing();
            if (!s.isEmpty()) out.add(s);
        }
        steps.add(new Step(line, out, dev.klpsim.jsh.UserCode.interruptRequested()));
    }

    /**
     * Whether the line is one observer command and nothing else, read with the shell's own
     * parser: {@code record status; insmod X} runs an insmod, which a recording must keep.
     */
    static boolean isObserver(String line) {
        ShellSyntax.CommandList parsed;
        try {
            parsed = ShellSyntax.parse(line);
        } catch (ShellSyntax.SyntaxError | RuntimeException e) {
            return false;   // kept as typed: its replay gives the same error
        }
        if (parsed.items().size() != 1) return false;
        ShellSyntax.AndOr andOr = parsed.items().get(0);
        if (andOr.background() || andOr.pipelines().size() != 1) return false;
        ShellSyntax.Pipeline p = andOr.pipelines().get(0);
        if (p.negate() || p.commands().size() != 1 || !(p.commands().get(0) instanceof ShellSyntax.Simple cmd)) return false;
        if (!cmd.assignments().isEmpty() || !cmd.redirects().isEmpty()) return false;
        List<String> words = new ArrayList<>();
        for (ShellSyntax.Word w : cmd.words()) {
            // a word that expands ($x, $(...)) is not known before it runs: keep the line
            if (w.raw().contains("$") || w.raw().contains("`")) return false;
            words.add(ShellSyntax.unquote(w.raw()));
        }
        for (String o : OBSERVERS) {
            List<String> ow = List.of(o.split(" "));
            if (words.size() >= ow.size() && words.subList(0, ow.size()).equals(ow)) return true;
        }
        return false;
    }

    /** Starts (or, with null, ends) a terminal recording of this session. */
    void watch(Watcher w) {
        watcher = w;
    }

    /** The machine was rebooted: what ran before happened on another machine. */
    void restart() {
        steps.clear();
        dropped = 0;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** How many commands were left out because the session passed {@value #MAX_STEPS} commands. */
    public long dropped() {
        return dropped;
    }

    public static int maxSteps() {
        return MAX_STEPS;
    }

    public int size() {
        return steps.size();
    }
}
