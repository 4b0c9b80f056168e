package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session as a timeline, rebuilt from the recorded trace events: each task's patch
 * state over time, the transitions (phases), and the point events (callbacks, shadow
 * operations, module events, signals, force). Exports and `klp timeline` draw it.
 */
public final class Timeline {
    /** A stretch of time a task spent in one patch state. */
    public record Span(long startNs, long endNs, int state) {}

    /** A transition from its init to its completion (or to now). */
    public record Phase(String patch, int initialTarget, int target, long startNs, long endNs, boolean completed, List<Long> reversals) {
        /** The direction (1 patching, 0 unpatching) at a moment of this phase. */
        public int targetAt(long ns) {
            int t = initialTarget;
            for (long r : reversals) if (r <= ns) t = 1 - t;
            return t;
        }
    }

    public record Point(long timeNs, Trace.Category category, String kind, String text, int pid) {}

    public record Track(int pid, String label, List<Span> spans, boolean blockedOnce) {}

    public final long endNs;
    public final List<Phase> phases = new ArrayList<>();
    public final List<Point> points = new ArrayList<>();
    public final Map<Integer, Track> tracks = new LinkedHashMap<>();

    private Timeline(long endNs) {
        this.endNs = endNs;
    }

    public static Timeline of(List<Trace.Event> events, long nowNs) {
        Timeline t = new Timeline(nowNs);
        Map<Integer, Integer> state = new TreeMap<>();
        Map<Integer, Long> since = new TreeMap<>();
        Map<Integer, List<Span>> spans = new TreeMap<>();
        Map<Integer, String> labels = new TreeMap<>();
        Map<Integer, Boolean> blocked = new TreeMap<>();
        String patch = null;
        int target = -1;
        int initialTarget = -1;
        long start = 0;
        List<Long> reversals = new ArrayList<>();
        for (Trace.Event e : events) {
            if (e.category() == Trace.Category.TRANSITION) {
                switch (e.kind()) {
                    case "init" -> {
                        patch = e.patch();
                        target = e.value() == 0 ? 1 : 0;
                        initialTarget = target;
                        start = e.timeNs();
                        reversals = new ArrayList<>();
                    }
                    case "reverse" -> {
                        reversals.add(e.timeNs());
                        target = e.value();
                    }
                    case "switch", "blocked" -> {
                        int pid = e.pid();
                        labels.putIfAbsent(pid, e.comm() + ":" + pid);
                        if (e.kind().equals("blocked")) blocked.put(pid, true);
                        if (!state.containsKey(pid)) {
                            // every task entered the transition at its start, in the initial state
                            state.put(pid, target == 1 ? 0 : 1);
                            since.put(pid, start);
                        }
                        if (e.kind().equals("switch") && state.get(pid) != e.value()) {
                            close(spans, pid, since.get(pid), e.timeNs(), state.get(pid));
                            state.put(pid, e.value());
                            since.put(pid, e.timeNs());
                        }
                    }
                    case "complete" -> {
                        for (var s : state.entrySet()) close(spans, s.getKey(), since.get(s.getKey()), e.timeNs(), s.getValue());
                        state.clear();
                        since.clear();
                        t.phases.add(new Phase(e.patch(), initialTarget, e.value(), start, e.timeNs(), true, reversals));
                        patch = null;
                    }
                    default -> t.points.add(new Point(e.timeNs(), e.category(), e.kind(), e.text(), e.pid()));
                }
                if (e.kind().equals("signals") || e.kind().equals("force") || e.kind().equals("reverse") || e.kind().equals("cancel"))
                    t.points.add(new Point(e.timeNs(), e.category(), e.kind(), e.text(), e.pid()));
            } else if (e.category() != Trace.Category.PATCH && !(e.category() == Trace.Category.SHADOW && e.kind().equals("get"))
                    && !(e.category() == Trace.Category.STATE && e.kind().equals("get_state"))) {
                t.points.add(new Point(e.timeNs(), e.category(), e.kind(), e.text(), e.pid()));
            }
        }
        if (patch != null) {
            for (var s : state.entrySet()) close(spans, s.getKey(), since.get(s.getKey()), nowNs, s.getValue());
            t.phases.add(new Phase(patch, initialTarget, target, start, nowNs, false, reversals));
        }
        for (var e : spans.entrySet())
            t.tracks.put(e.getKey(), new Track(e.getKey(), labels.get(e.getKey()), e.getValue(), blocked.getOrDefault(e.getKey(), false)));
        return t;
    }

    private static void close(Map<Integer, List<Span>> spans, int pid, long from, long to, int st) {
        spans.computeIfAbsent(pid, k -> new ArrayList<>()).add(new Span(from, to, st));
    }

    /** A task's patch state at a moment: -1 outside any transition. */
    public static int stateAt(Track tr, long ns) {
        for (Span s : tr.spans()) if (ns >= s.startNs() && ns < s.endNs()) return s.state();
        return -1;
    }
}
