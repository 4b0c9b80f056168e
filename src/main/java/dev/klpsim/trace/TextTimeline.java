package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `klp timeline`: the timeline as a text chart. Columns are equal slices of virtual time
 * from 0 to now (the last column holds the present). One row per patch that went through a
 * transition, one per task that was not switched at once, then the events rows: when
 * several kinds of event fall in one column they stack downwards, so none is lost.
 */
public final class TextTimeline {
    private TextTimeline() {}

    static final String LEGEND = "legend: P/U patching/unpatching, [ started, ] complete, | started and complete in one column;"
            + " 0/1 a task's patch state; . no transition; events: c callback run, x callback skipped, m module loaded/removed,"
            + " s shadow alloc/free, t state, S fake signals, F force, R reversed, W WARN";

    public static List<String> render(Timeline t, int width) {
        List<String> out = new ArrayList<>();
        long now = t.endNs;
        // the axis ends at the present: as many columns of a round size as it takes to reach now
        long per = niceStep(Math.max(1, (now + width - 1) / width));
        int cols = (int) Math.max(1, Math.min(width, (now + per - 1) / per));
        if (now == 0) out.add("klp timeline: everything happened at 0 s of virtual time (trace seq shows the order)");
        else out.add(String.format("klp timeline: 0 .. %s s of virtual time (now), one column = %s s", fmt(now), fmt(per)));

        Map<String, List<Timeline.Phase>> byPatch = new LinkedHashMap<>();
        for (Timeline.Phase p : t.phases) byPatch.computeIfAbsent(p.patch(), k -> new ArrayList<>()).add(p);
        List<String> names = new ArrayList<>(byPatch.keySet());
        List<Timeline.Track> shown = new ArrayList<>();
        int others = 0;
        for (Timeline.Track tr : t.tracks.values()) {
            // a task that left before any virtual time passed (killed at once) has nothing to draw
            if (tr.blockedOnce() && tr.spans().stream().anyMatch(sp -> sp.endNs() > sp.startNs())) shown.add(tr);
            else others++;
        }
        for (Timeline.Track tr : shown) names.add(tr.label());
        List<String> labels = distinctLabels(names);
        int lw = Math.max(10, labels.stream().mapToInt(String::length).max().orElse(10));
        String rowFmt = "%-" + lw + "s %s";

        // labels every ten columns; the last may run past the chart rather than be cut
        StringBuilder axis = new StringBuilder(" ".repeat(cols + 12));
        for (int c = 0; c < cols; c += 10) {
            String lbl = fmt(c * per).replaceAll("\\.0$", "") + "s";
            for (int i = 0; i < lbl.length(); i++) axis.setCharAt(c + i, lbl.charAt(i));
        }
        out.add(String.format(rowFmt, "", axis).stripTrailing());
        int li = 0;
        for (List<Timeline.Phase> phases : byPatch.values()) {
            char[] row = ".".repeat(cols).toCharArray();
            for (Timeline.Phase p : phases) {
                for (int c = 0; c < cols; c++) {
                    long mid = c * per + per / 2;
                    if (mid >= p.startNs() && mid < p.endNs()) row[c] = p.targetAt(mid) == 1 ? 'P' : 'U';
                }
                int s = col(p.startNs(), per, cols);
                row[s] = '[';
                if (p.completed()) {
                    int e = col(p.endNs(), per, cols);
                    row[e] = e == s ? '|' : ']';
                }
            }
            out.add(String.format(rowFmt, labels.get(li++), new String(row)));
        }
        for (Timeline.Track tr : shown) {
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                int st = Timeline.stateAt(tr, c * per + per / 2);
                if (st < 0) st = Timeline.stateAt(tr, c * per);
                row.append(st < 0 ? '.' : (char) ('0' + st));
            }
            out.add(String.format(rowFmt, labels.get(li++), row));
        }
        if (others > 0) out.add(String.format(rowFmt, "(" + others + " other tasks)", "switched at the first attempt that saw them"));
        List<Set<Character>> marks = new ArrayList<>();
        for (int c = 0; c < cols; c++) marks.add(new LinkedHashSet<>());
        for (Trace.Event e : t.points) {
            char m = mark(e);
            if (m != ' ') marks.get(col(e.timeNs(), per, cols)).add(m);
        }
        int depth = 1;
        for (Set<Character> s : marks) depth = Math.max(depth, s.size());
        for (int d = 0; d < depth; d++) {
            StringBuilder row = new StringBuilder();
            for (Set<Character> s : marks) row.append(s.size() > d ? s.stream().sorted(TextTimeline::byPriority).toList().get(d) : ' ');
            out.add(String.format(rowFmt, d == 0 ? "events" : "", row).stripTrailing());
        }
        out.add(LEGEND);
        return out;
    }

    /** The rarer, more telling marks first: force, reversal, signals, WARN, then the common ones. */
    private static int byPriority(char a, char b) {
        String order = "FRSWxcstm";
        return Integer.compare(order.indexOf(a), order.indexOf(b));
    }

    static char mark(Trace.Event e) {
        TraceEvent w = e.what();
        if (w instanceof TraceEvent.CallbackRan) return 'c';
        if (w instanceof TraceEvent.CallbackSkipped) return 'x';
        if (w instanceof TraceEvent.ModuleEvent m) return m.kind().equals("load") || m.kind().equals("free") ? 'm' : ' ';
        if (w instanceof TraceEvent.ShadowOp) return 's';
        if (w instanceof TraceEvent.StateOp) return 't';
        if (w instanceof TraceEvent.Warning) return 'W';
        if (w instanceof TraceEvent.TransitionStep s)
            return switch (s.step()) {
                case SIGNALS -> 'S';
                case FORCE -> 'F';
                case REVERSE -> 'R';
                default -> ' ';
            };
        return ' ';
    }

    /**
     * Row labels that stay distinct: a long name keeps its start and its end (where names of
     * one series differ: ..._demo vs ..._demo2), joined by '~'.
     */
    static List<String> distinctLabels(List<String> names) {
        final int max = 30;
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String s = n == null ? "" : n.length() <= max ? n : n.substring(0, 14) + "~" + n.substring(n.length() - (max - 15));
            String base = s;
            for (int i = 2; out.contains(s); i++) s = base + "#" + i;
            out.add(s);
        }
        return out;
    }

    /** The smallest 1, 2 or 5 times a power of ten (in ns) at least {@code ns}. */
    static long niceStep(long ns) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) if (m * p >= ns) return m * p;
            p *= 10;
        }
    }

    private static int col(long ns, long per, int cols) {
        return (int) Math.max(0, Math.min(cols - 1, ns / per));
    }

    static String fmt(long ns) {
        return dev.klpsim.kernel.Timers.seconds(ns, false).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
