package dev.klpsim.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Typed events from the livepatch core and the kernel around it: every transition step,
 * func-stack change, callback, shadow and state operation, module event. They are always
 * recorded (for the timeline and exports); the categories switched on with `trace on` are
 * also shown on the console. Events never enter the kernel log.
 */
public final class Trace {
    public enum Category {
        TRANSITION, PATCH, CALLBACKS, SHADOW, STATE, MODULE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Category parse(String s) {
            for (Category c : values()) if (c.label().equals(s)) return c;
            return null;
        }
    }

    /**
     * One event. {@code pid} is the task it concerns (-1 for none), {@code value} a number
     * that goes with the kind (a patch state for "switch", a return value for "call").
     */
    public record Event(long seq, long timeNs, Category category, String kind, int pid, String comm,
                        String patch, int value, String text, boolean shown) {
        public String consoleLine() {
            return "~ " + category.label() + ": " + text;
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

    public void emit(Category c, String kind, Task t, String patch, int value, String text) {
        if (!recording) return;
        boolean shown = on.contains(c);
        Event e = new Event(seq++, clock.now(), c, kind, t == null ? -1 : t.pid, t == null ? null : t.comm, patch, value, text, shown);
        events.addLast(e);
        if (events.size() > MAX_EVENTS) events.removeFirst();
        if (shown) for (Consumer<Event> k : List.copyOf(consoles)) k.accept(e);
    }

    public void emit(Category c, String kind, String text) {
        emit(c, kind, null, null, 0, text);
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

    /** The trace buffer: the events that were shown, since the last clear. */
    public List<Event> buffer() {
        List<Event> out = new ArrayList<>();
        for (Event e : events) if (e.shown() && e.seq() >= clearedBefore) out.add(e);
        return out;
    }

    public void clearBuffer() {
        clearedBefore = seq;
    }
}
