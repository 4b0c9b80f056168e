package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;

import java.util.ArrayList;
import java.util.List;

/**
 * `klp timeline`: the timeline as a text chart. Rows are the transitions and the tasks
 * that were not switched at once; columns are equal slices of virtual time. In a task's
 * row '0'/'1' is its patch state and '.' means no transition; the events row marks
 * callbacks (c), module events (m), shadow (s) and state (t) operations, fake signals (S),
 * force (F) and reversals (R).
 */
public final class TextTimeline {
    private TextTimeline() {}

    public static List<String> render(Timeline t, int width) {
        List<String> out = new ArrayList<>();
        long start = 0;
        long per = niceStep(Math.max(t.endNs, 1_000_000_000L) / width + 1);
        long end = per * width;
        out.add(String.format("klp timeline: 0 .. %s s of virtual time, one column = %s s", fmt(end), fmt((long) per)));
        StringBuilder axis = new StringBuilder(" ".repeat(width));
        for (int c = 0; c < width; c += 10) {
            String lbl = fmt(start + (long) (c * per)).replaceAll("\\.?0+$", "") + "s";
            for (int i = 0; i < lbl.length() && c + i < width; i++) axis.setCharAt(c + i, lbl.charAt(i));
        }
        out.add(String.format("%-22s %s", "", axis));
        for (Timeline.Phase p : t.phases) {
            StringBuilder row = new StringBuilder(".".repeat(width));
            for (int c = 0; c < width; c++) {
                long mid = start + (long) ((c + 0.5) * per);
                if (mid >= p.startNs() && mid < p.endNs()) row.setCharAt(c, p.targetAt(mid) == 1 ? 'P' : 'U');
            }
            int s = col(p.startNs(), per, width);
            row.setCharAt(s, '[');
            for (long r : p.reversals()) row.setCharAt(col(r, per, width), 'R');
            if (p.completed()) row.setCharAt(col(p.endNs(), per, width), ']');
            out.add(String.format("%-22s %s", trim(p.patch(), 22), row));
        }
        int others = 0;
        for (Timeline.Track tr : t.tracks.values()) {
            if (!tr.blockedOnce()) {
                others++;
                continue;
            }
            StringBuilder row = new StringBuilder();
            for (int c = 0; c < width; c++) {
                int st = Timeline.stateAt(tr, start + (long) ((c + 0.5) * per));
                row.append(st < 0 ? '.' : (char) ('0' + st));
            }
            out.add(String.format("%-22s %s", trim(tr.label(), 22), row));
        }
        if (others > 0) out.add(String.format("%-22s %s", "(" + others + " other tasks)", "switched at the first attempt that saw them"));
        StringBuilder ev = new StringBuilder(" ".repeat(width));
        for (Timeline.Point p : t.points) {
            char mark = switch (p.category()) {
                case CALLBACKS -> p.kind().equals("call") ? 'c' : ' ';
                case MODULE -> p.kind().equals("load") || p.kind().equals("free") ? 'm' : ' ';
                case SHADOW -> 's';
                case STATE -> 't';
                case TRANSITION -> switch (p.kind()) {
                    case "signals" -> 'S';
                    case "force" -> 'F';
                    case "reverse" -> 'R';
                    default -> ' ';
                };
                default -> ' ';
            };
            if (mark == ' ') continue;
            int c = col(p.timeNs(), per, width);
            char cur = ev.charAt(c);
            if (cur == ' ' || "csmt".indexOf(cur) >= 0 && "SFR".indexOf(mark) >= 0) ev.setCharAt(c, mark);
        }
        out.add(String.format("%-22s %s", "events", ev.toString().stripTrailing()));
        out.add("legend: P/U patching/unpatching ([ start, ] complete, R reversed); 0/1 patch state; c callback, m module, s shadow, t state, S fake signals, F force");
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

    private static int col(long ns, double per, int width) {
        return Math.max(0, Math.min(width - 1, (int) (ns / per)));
    }

    static String fmt(long ns) {
        return dev.klpsim.kernel.Timers.seconds(ns, false).replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }

    private static String trim(String s, int n) {
        return s == null ? "" : s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }
}
