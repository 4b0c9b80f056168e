package dev.klpsim.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The ordered event log: typed events ({@link TraceEvent}) from the livepatch core and the
 * kernel around it (every transition step and task switch, func-stack change, callback run
 * or skipped, shadow and state operation, module event, WARN), each with a sequence number
 * and the virtual time. They are always recorded (for `trace show`, the timeline, the
 * sequence view and the exports); the categories switched on with `trace on` only decide
 * what is also shown on the console as it happens. Events never enter the kernel log.
 */
public final class Trace {
    public enum Category {
        TRANSITION, PATCH, CALLBACKS, SHADOW, STATE, MODULE, WARN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Category parse(String s) {
            for (Category c : values()) if (c.label().equals(s)) return c;
            return null;
        }
    }

    /**
     * One event: its place in the order of the session ({@code seq}, never reused), the
     * virtual time, the task that was current ({@code pid}/{@code comm}, -1/null for none),
     * whether it was shown on the console, and what it says ({@code what}, typed fields).
     */
    public record Event(long seq, long timeNs, int pid, String comm, boolean shown, TraceEvent what) {
        public Category category() {
            return what.category();
        }

        public String kind() {
            return what.kind();
        }

        public String patch() {
            return what.patch();
        }

        public String text() {
            return what.text();
        }

        public String consoleLine() {
            return "~ " + category().label() + ": " + text();
        }

        public String bufferLine() {
            return "[" + Timers.seconds(timeNs, true) + "] " + consoleLine();
        }
    }

    public static final int MAX_EVENTS = 1_000_000;

    private final Timers clock;
    private final EnumSet<Category> on = EnumSet.noneOf(Category.class);
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final List<Consumer<Event>> consoles = new ArrayList<>();
    private long seq;
    private long clearedBefore;
    private long dropped;
    /** Off for benchmarks at scale: nothing is built or kept. */
    public boolean recording = true;

    public Trace(Timers clock) {
        this.clock = clock;
    }

    public Set<Category> enabled() {
        return EnumSet.copyOf(on.isEmpty() ? EnumSet.noneOf(Category.class) : on);
    }

    public void enable(Set<Category> cats, boolean enable) {
        if (enable) on.addAll(cats);
        else on.removeAll(cats);
    }

    /** Records an event (always, unless recording is off) and shows it if its category is on. */
    public void emit(Task t, TraceEvent what) {
        if (!recording) return;
        boolean shown = on.contains(what.category());
        Event e = new Event(seq++, clock.now(), t == null ? -1 : t.pid, t == null ? null : t.comm, shown, what);
        events.addLast(e);
        if (events.size() > MAX_EVENTS) {
            events.removeFirst();
            dropped++;
        }
        if (shown) for (Consumer<Event> k : List.copyOf(consoles)) k.accept(e);
    }

    /** A module event from the module loader. */
    public void module(Task t, String module, String kind, int value, String detail) {
        emit(t, new TraceEvent.ModuleEvent(module, kind, value, detail));
    }

    /** How many events were emitted so far (a cheap "did anything happen" for explore's time steps). */
    public long emitted() {
        return seq;
    }

    public void addConsole(Consumer<Event> k) {
        consoles.add(k);
    }

    public void removeConsole(Consumer<Event> k) {
        consoles.remove(k);
    }

    /** Every event recorded (shown or not), oldest first. */
    public List<Event> all() {
        return List.copyOf(events);
    }

    /** Every event recorded since the last clear, shown or not, oldest first. */
    public List<Event> sinceClear() {
        List<Event> out = new ArrayList<>();
        for (Event e : events) if (e.seq() >= clearedBefore) out.add(e);
        return out;
    }

    /** How many of the oldest events were dropped to keep at most MAX_EVENTS. */
    public long dropped() {
        return dropped;
    }

    /** The sequence number the next event gets. */
    public long nextSeq() {
        return seq;
    }

    public void clearBuffer() {
        clearedBefore = seq;
    }
}
