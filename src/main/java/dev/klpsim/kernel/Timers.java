package dev.klpsim.kernel;

import java.util.PriorityQueue;

/**
 * The virtual clock and the timer wheel: delayed work, sleeping tasks and retries become
 * events that run, in due order, when something lets time pass.
 */
public final class Timers {
    public static final long NSEC_PER_MSEC = 1_000_000L;
    public static final long NSEC_PER_SEC = 1_000_000_000L;

    /** A pending event; cancel() keeps it from running. */
    public static final class Timer implements Comparable<Timer> {
        final long due;
        final long seq;
        final Runnable action;
        boolean cancelled;

        Timer(long due, long seq, Runnable action) {
            this.due = due;
            this.seq = seq;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        public boolean pending() {
            return !cancelled;
        }

        public long due() {
            return due;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    private long now;
    private long seq;

    public long now() {
        return now;
    }

    /** Virtual time as the kernel prints it: seconds and microseconds, {@code %5d.%06d} when padded. */
    public static String seconds(long ns, boolean pad) {
        long us = ns / 1000;
        return String.format(pad ? "%5d.%06d" : "%d.%06d", us / 1_000_000, us % 1_000_000);
    }

    public Timer at(long dueNs, Runnable action) {
        Timer t = new Timer(Math.max(dueNs, now), seq++, action);
        queue.add(t);
        return t;
    }

    public Timer after(long delayNs, Runnable action) {
        return at(now + delayNs, action);
    }

    /**
     * round_jiffies_relative(HZ) from now: the kernel rounds a one-second delay to a whole
     * second so that periodic work on many CPUs wakes together.
     */
    public long roundJiffiesRelativeSecond() {
        long msNow = now / NSEC_PER_MSEC;
        long j = msNow + 1000;
        long rem = j % 1000;
        long rounded = rem < 250 ? j - rem : j - rem + 1000;
        if (rounded <= msNow) rounded = j;
        return rounded * NSEC_PER_MSEC;
    }

    /** Advances the clock to {@code target}, running every event due on the way. */
    public void advanceTo(long target, java.util.function.BooleanSupplier interrupted) {
        while (!queue.isEmpty() && queue.peek().due <= target) {
            if (interrupted != null && interrupted.getAsBoolean()) return;
            Timer t = queue.poll();
            if (t.cancelled) continue;
            now = Math.max(now, t.due);
            t.cancelled = true;
            t.action.run();
        }
        now = Math.max(now, target);
    }

    /** Due time of the next live event, or -1. */
    public long nextDue() {
        while (!queue.isEmpty() && queue.peek().cancelled) queue.poll();
        return queue.isEmpty() ? -1 : queue.peek().due;
    }

    /** Due times of the live events, earliest first: part of a machine's state (see explore's digest). */
    public java.util.List<Long> pendingDues() {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (Timer t : queue) if (!t.cancelled) out.add(t.due);
        java.util.Collections.sort(out);
        return out;
    }

    public int pendingCount() {
        int n = 0;
        for (Timer t : queue) if (!t.cancelled) n++;
        return n;
    }
}
