package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;

import java.util.Arrays;
import java.util.List;

/**
 * Timestamps for exports that keep the causal order within one virtual instant: event i
 * gets max(its virtual time, event i-1's stamp + STEP) microseconds. Commands take no
 * virtual time, so a session typed at the prompt has all its events at one instant; here
 * they get distinct stamps in the order the kernel ran them, and stamps still follow
 * virtual time whenever it advances (the real virtual time goes in each event's args).
 */
final class LogicalClock {
    /** Microseconds between two events of one instant; slices open and close half a step around events. */
    static final double STEP = 2.0;

    private final long[] seqs;
    private final double[] stamps;
    private final double end;

    LogicalClock(List<Trace.Event> events, long endNs) {
        seqs = new long[events.size()];
        stamps = new double[events.size()];
        double last = -STEP;
        for (int i = 0; i < events.size(); i++) {
            Trace.Event e = events.get(i);
            last = Math.max(e.timeNs() / 1000.0, last + STEP);
            seqs[i] = e.seq();
            stamps[i] = last;
        }
        end = Math.max(endNs / 1000.0, last + STEP);
    }

    /** The stamp of the event with this sequence number, or of the first event after it, or the end. */
    double at(long seq) {
        int i = Arrays.binarySearch(seqs, seq);
        if (i < 0) i = -i - 1;
        return i < seqs.length ? stamps[i] : end;
    }

    double end() {
        return end;
    }
}
