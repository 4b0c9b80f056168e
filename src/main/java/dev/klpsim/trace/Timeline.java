package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The session as a timeline, rebuilt from the typed trace events: each task's patch state
 * over time, the transitions (phases), and the point events (callbacks, shadow operations,
 * module events, state operations, signals, force, WARNs). `klp timeline`, the sequence
 * view and the exports draw it.
 */
public final class Timeline {
    /** A stretch of time a task spent in one patch state. */
    public record Span(long startNs, long endNs, int state, long startSeq, long endSeq) {}

    /**
     * A transition from its init to its completion (or to now): the sequence numbers of its
     * first and last event keep its place in the causal order when no virtual time passed.
     */
    public record Phase(String patch, int initialTarget, int target, long startNs, long endNs, boolean completed, List<Long> reversals,
                        int attempts, long startSeq, long endSeq) {
        /** The direction (1 patching, 0 unpatching) at a moment of this phase. */
        public int targetAt(long ns) {
            int t = initialTarget;
            for (long r : reversals) if (r <= ns) t = 1 - t;
            return t;
        }

        /** "patching test_klp_x: started 0.0 s, complete 16.0 s, 3 attempts" */
        public String label() {
            return (initialTarget == 1 ? "patching " : "unpatching ") + patch + ": started " + TextTimeline.fmt(startNs) + " s, "
                    + (completed ? "complete " + TextTimeline.fmt(endNs) + " s" : "in progress at " + TextTimeline.fmt(endNs) + " s")
                    + ", " + attempts + " attempt" + (attempts == 1 ? "" : "s")
                    + (reversals.isEmpty() ? "" : ", reversed " + (reversals.size() == 1 ? "once" : reversals.size() + " times"));
        }
    }

    public record Track(int pid, String label, List<Span> spans, boolean blockedOnce) {}

    public final long endNs;
    public final long endSeq;
    public final List<Phase> phases = new ArrayList<>();
    /** The point events, in the order they happened. */
    public final List<Trace.Event> points = new ArrayList<>();
    public final Map<Integer, Track> tracks = new LinkedHashMap<>();
    /** Every event the timeline was built from. */
    public final List<Trace.Event> events;

    private Timeline(long endNs, List<Trace.Event> events) {
        this.endNs = endNs;
        this.events = List.copyOf(events);
        this.endSeq = events.isEmpty() ? 0 : events.get(events.size() - 1).seq() + 1;
    }

    /** Whether an event is drawn as a point: what a reader looks for, not the per-task switching. */
    static boolean isPoint(Trace.Event e) {
        TraceEvent w = e.what();
        if (w instanceof TraceEvent.TransitionStep s)
            return switch (s.step()) {
                case SIGNALS, FORCE, REVERSE, CANCEL -> true;
                default -> false;
            };
        if (w instanceof TraceEvent.TaskSwitched || w instanceof TraceEvent.TaskBlocked || w instanceof TraceEvent.SignalSent
                || w instanceof TraceEvent.FuncStackOp || w instanceof TraceEvent.TaskExited) return false;
        if (w instanceof TraceEvent.ShadowOp o) return o.call() != TraceEvent.ShadowCall.GET && !(o.call() == TraceEvent.ShadowCall.FREE_ALL && o.obj() == null);
        if (w instanceof TraceEvent.StateOp s) return !s.kind().equals("get_state");
        if (w instanceof TraceEvent.ModuleEvent m) return !m.kind().equals("refcnt");
        return true;
    }

    public static Timeline of(List<Trace.Event> events, long nowNs) {
        Timeline t = new Timeline(nowNs, events);
        Map<Integer, Integer> state = new TreeMap<>();
        Map<Integer, Long> since = new TreeMap<>();
        Map<Integer, Long> sinceSeq = new TreeMap<>();
        Map<Integer, List<Span>> spans = new TreeMap<>();
        Map<Integer, String> labels = new TreeMap<>();
        Map<Integer, Boolean> blocked = new TreeMap<>();
        String patch = null;
        int target = -1, initialTarget = -1, attempts = 0;
        long start = 0, startSeq = 0;
        List<Long> reversals = new ArrayList<>();
        for (Trace.Event e : events) {
            TraceEvent w = e.what();
            if (isPoint(e)) t.points.add(e);
            if (w instanceof TraceEvent.TransitionStep s) {
                switch (s.step()) {
                    case INIT -> {
                        patch = s.patch();
                        target = s.target();
                        initialTarget = target;
                        start = e.timeNs();
                        startSeq = e.seq();
                        attempts = 0;
                        reversals = new ArrayList<>();
                    }
                    case REVERSE -> {
                        reversals.add(e.timeNs());
                        target = s.target();
                    }
                    case ATTEMPT_FAILED, ATTEMPT_DONE -> attempts = Math.max(attempts, s.attempts());
                    case COMPLETE -> {
                        for (var st : state.entrySet())
                            close(spans, st.getKey(), since.get(st.getKey()), e.timeNs(), st.getValue(), sinceSeq.get(st.getKey()), e.seq());
                        state.clear();
                        since.clear();
                        sinceSeq.clear();
                        t.phases.add(new Phase(s.patch(), initialTarget == -1 ? s.target() : initialTarget, s.target(), start, e.timeNs(), true,
                                reversals, Math.max(attempts, s.attempts()), startSeq, e.seq()));
                        patch = null;
                        initialTarget = -1;
                    }
                    default -> { }
                }
            } else if (w instanceof TraceEvent.TaskExited x && state.containsKey(x.pid())) {
                // a task that exits leaves the transition: its row ends here
                close(spans, x.pid(), since.get(x.pid()), e.timeNs(), state.remove(x.pid()), sinceSeq.remove(x.pid()), e.seq());
                since.remove(x.pid());
            } else if (w instanceof TraceEvent.TaskSwitched || w instanceof TraceEvent.TaskBlocked) {
                int pid = w instanceof TraceEvent.TaskSwitched sw ? sw.pid() : ((TraceEvent.TaskBlocked) w).pid();
                String comm = w instanceof TraceEvent.TaskSwitched sw ? sw.comm() : ((TraceEvent.TaskBlocked) w).comm();
                labels.putIfAbsent(pid, comm + ":" + pid);
                if (w instanceof TraceEvent.TaskBlocked) blocked.put(pid, true);
                if (!state.containsKey(pid)) {
                    // every task entered the transition at its start, in the initial state
                    state.put(pid, target == 1 ? 0 : 1);
                    since.put(pid, start);
                    sinceSeq.put(pid, startSeq);
                }
                if (w instanceof TraceEvent.TaskSwitched sw && state.get(pid) != sw.to()) {
                    close(spans, pid, since.get(pid), e.timeNs(), state.get(pid), sinceSeq.get(pid), e.seq());
                    state.put(pid, sw.to());
                    since.put(pid, e.timeNs());
                    sinceSeq.put(pid, e.seq());
                }
            }
        }
        if (patch != null) {
            for (var s : state.entrySet()) close(spans, s.getKey(), since.get(s.getKey()), nowNs, s.getValue(), sinceSeq.get(s.getKey()), t.endSeq);
            t.phases.add(new Phase(patch, initialTarget, target, start, nowNs, false, reversals, attempts, startSeq, t.endSeq));
        }
        for (var e : spans.entrySet())
            if (!e.getValue().isEmpty()) t.tracks.put(e.getKey(), new Track(e.getKey(), labels.get(e.getKey()), e.getValue(), blocked.getOrDefault(e.getKey(), false)));
        return t;
    }

    private static void close(Map<Integer, List<Span>> spans, int pid, long from, long to, int st, long fromSeq, long toSeq) {
        List<Span> l = spans.computeIfAbsent(pid, k -> new ArrayList<>());
        // a task killed before virtual time passed was never really in the transition: no span
        if (to > from || toSeq > fromSeq) l.add(new Span(from, to, st, fromSeq, toSeq));
    }

    /** A task's patch state at a moment: -1 outside any transition. */
    public static int stateAt(Track tr, long ns) {
        for (Span s : tr.spans()) if (ns >= s.startNs() && ns < s.endNs()) return s.state();
        return -1;
    }
}
