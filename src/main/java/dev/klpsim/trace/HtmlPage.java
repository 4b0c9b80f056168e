package dev.klpsim.trace;

import java.util.List;
import java.util.Locale;

import static dev.klpsim.trace.Export.html;

/**
 * The HTML export: one self-contained page (no script, no external resource) that answers
 * from the page alone which callbacks ran, in which order, for which patch and object,
 * which were skipped and why, and which shadow variables are alive and who frees them.
 * The sequence view is SVG with every label written out (nothing hides in tooltips): lanes
 * for the core, the modules and each patch's objects; steps in the kernel's order with a
 * label column; transitions as labelled bands; shadow variables as bars from alloc to free.
 * Below it, the shadow-variable table and each task's patch state over virtual time.
 */
public final class HtmlPage {
    private HtmlPage() {}

    static final int ROW = 20, GUTTER = 150, LANE = 40, BAR = 16;
    /** Pixels per character of the 11.5 px monospace step labels (11 px for lane headers), as Chromium draws them. */
    static final double CHAR = 7.0, HEADER_CHAR = 6.7;
    static final String CALLBACK = "#1d4ed8", SKIPPED = "#6b7280", MODULE = "#047857", TRANSITION = "#b45309", WARN = "#dc2626",
            SHADOW = "#7c3aed", STATE = "#0e7490", FREED = "#9ca3af", LIVE = "#7c3aed", LEAKED = "#dc2626", PATCHING = "#dbeafe", UNPATCHING = "#fde68a";

    public static String render(Timeline t, SequenceModel s, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(html(title)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:12px;color:#111}h1{font-size:20px;margin:4px 0}h2{font-size:16px;margin:16px 0 4px}\n")
                .append("svg text{font-family:monospace;font-size:11.5px}svg .lane-label{font-size:11px}svg .small{font-size:10px;fill:#555}\n")
                .append("#legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;margin:6px 0}#legend span{white-space:nowrap}\n")
                .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}\n")
                .append(".leaked{color:").append(LEAKED).append(";font-weight:bold}\n</style></head><body>\n");
        sb.append("<h1>").append(html(title)).append("</h1>\n");
        sb.append("<p>Callback order: every step the livepatch core took, top to bottom in the order the kernel ran it (#n is its place in the event log). ")
                .append(dev.klpsim.text.Plural.of(s.steps.size(), "step")).append(", ").append(dev.klpsim.text.Plural.of(s.bands.size(), "transition"))
                .append(", ").append(dev.klpsim.text.Plural.of(s.bars.size(), "shadow variable")).append(". Virtual time: ").append(TextTimeline.fmt(t.endNs)).append(" s.</p>\n");
        legend(sb);
        sequence(sb, s);
        shadowTable(sb, s);
        tasks(sb, t);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static void legend(StringBuilder sb) {
        sb.append("<div id=\"legend\">\n");
        item(sb, "<circle cx=\"7\" cy=\"7\" r=\"5\" fill=\"" + CALLBACK + "\"/>", "callback ran");
        item(sb, "<circle cx=\"7\" cy=\"7\" r=\"4.5\" fill=\"white\" stroke=\"" + SKIPPED + "\" stroke-width=\"1.5\"/>", "callback skipped (reason in its label)");
        item(sb, "<rect x=\"2\" y=\"2\" width=\"10\" height=\"10\" fill=\"" + MODULE + "\"/>", "module coming / going");
        item(sb, "<path d=\"M7 1 L13 7 L7 13 L1 7 Z\" fill=\"" + TRANSITION + "\"/>", "transition step");
        item(sb, "<path d=\"M7 1 L13 13 L1 13 Z\" fill=\"" + WARN + "\"/>", "WARN");
        item(sb, "<text x=\"1\" y=\"12\" fill=\"" + SHADOW + "\" style=\"font-size:14px;font-weight:bold\">+</text>", "shadow alloc");
        item(sb, "<text x=\"1\" y=\"12\" fill=\"" + SHADOW + "\" style=\"font-size:14px;font-weight:bold\">&gt;</text>", "shadow taken over (get_or_alloc)");
        item(sb, "<text x=\"1\" y=\"12\" fill=\"" + SHADOW + "\" style=\"font-size:14px;font-weight:bold\">\u2212</text>", "shadow freed");
        item(sb, "<rect x=\"2\" y=\"2\" width=\"10\" height=\"10\" fill=\"white\" stroke=\"" + STATE + "\" stroke-width=\"2\"/>", "system state installed / taken over");
        item(sb, "<rect x=\"0\" y=\"1\" width=\"14\" height=\"12\" fill=\"" + PATCHING + "\"/>", "patching transition");
        item(sb, "<rect x=\"0\" y=\"1\" width=\"14\" height=\"12\" fill=\"" + UNPATCHING + "\"/>", "unpatching transition");
        item(sb, "<rect x=\"4\" y=\"0\" width=\"6\" height=\"14\" fill=\"" + FREED + "\"/>", "shadow variable, freed");
        item(sb, "<rect x=\"4\" y=\"0\" width=\"6\" height=\"14\" fill=\"" + LIVE + "\"/>", "shadow variable, still allocated");
        item(sb, "<rect x=\"4\" y=\"0\" width=\"6\" height=\"14\" fill=\"" + LEAKED + "\"/>", "shadow variable, leaked (nobody frees it)");
        item(sb, "<line x1=\"0\" y1=\"7\" x2=\"14\" y2=\"7\" stroke=\"#444\" stroke-dasharray=\"3 2\"/>", "virtual time advances");
        sb.append("</div>\n");
    }

    private static void item(StringBuilder sb, String icon, String text) {
        sb.append("<span><svg width=\"14\" height=\"14\" style=\"vertical-align:middle\">").append(icon).append("</svg> ").append(html(text)).append("</span>\n");
    }

    private static void sequence(StringBuilder sb, SequenceModel s) {
        int lanesX = GUTTER, barsX = lanesX + LANE * s.lanes.size() + 10, labelX = barsX + BAR * s.bars.size() + 14;
        // lane headers are written at -40 degrees: the longest one sets the header's height
        int longestLane = 16;
        for (SequenceModel.Lane l : s.lanes) longestLane = Math.max(longestLane, l.label().length());
        int top = (int) (longestLane * HEADER_CHAR * Math.sin(Math.toRadians(40))) + 30, rows = s.steps.size();
        int longestLabel = 40;
        for (SequenceModel.Step st : s.steps) longestLabel = Math.max(longestLabel, st.label().length() + 4);
        int timeRows = 0;
        long last = -1;
        for (SequenceModel.Step st : s.steps) if (st.timeNs() != last) { timeRows++; last = st.timeNs(); }
        int height = top + ROW * (rows + timeRows) + 20;
        // as wide as the labels need: a 1400 px window shows the whole width when they fit
        int width = (int) (labelX + longestLabel * CHAR + 8);
        sb.append("<h2>Sequence of callbacks, transitions, modules and shadow variables</h2>\n");
        sb.append("<svg id=\"sequence\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height).append("\">\n");
        // where each step's row is, with a line above every advance of virtual time
        int[] y = new int[rows];
        StringBuilder times = new StringBuilder();
        int cur = top;
        last = -1;
        for (int r = 0; r < rows; r++) {
            SequenceModel.Step st = s.steps.get(r);
            if (st.timeNs() != last) {
                last = st.timeNs();
                times.append(String.format(Locale.ROOT, "<line class=\"time\" x1=\"4\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\" stroke-dasharray=\"4 3\"/>%n",
                        cur + 4, width - 10, cur + 4));
                times.append(String.format(Locale.ROOT, "<text class=\"time-label\" x=\"6\" y=\"%d\" style=\"font-weight:bold\">t = %s s</text>%n",
                        cur + 16, TextTimeline.fmt(last)));
                cur += ROW;
            }
            y[r] = cur + ROW / 2;
            cur += ROW;
        }
        // transition bands behind everything, labelled at their first row
        for (SequenceModel.Band b : s.bands) {
            int y0 = y[b.first()] - ROW / 2, y1 = y[b.last()] + ROW / 2;
            boolean patching = b.label().startsWith("patching");
            sb.append(String.format(Locale.ROOT, "<rect class=\"band\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                    lanesX - 8, y0, width - lanesX, y1 - y0, patching ? PATCHING : UNPATCHING));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"4\" height=\"%d\" fill=\"%s\"/>%n",
                    lanesX - 8, y0, y1 - y0, TRANSITION));
        }
        sb.append(times);
        // lanes: a header (rotated so long names stay whole) and a line down
        for (int i = 0; i < s.lanes.size(); i++) {
            int x = lanesX + LANE * i + LANE / 2;
            SequenceModel.Lane l = s.lanes.get(i);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#bbb\"/>%n", x, top - 6, x, height - 10));
            sb.append(String.format(Locale.ROOT, "<text class=\"lane-label\" x=\"%d\" y=\"%d\" transform=\"rotate(-40 %d %d)\"%s>%s</text>%n",
                    x, top - 10, x, top - 10, l.kind() == SequenceModel.LaneKind.OBJECT ? "" : " style=\"font-weight:bold\"", html(l.label())));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"small\" x=\"4\" y=\"%d\">seq</text>%n", top - 10));
        sb.append(String.format(Locale.ROOT, "<text class=\"lane-label\" x=\"%d\" y=\"%d\" style=\"font-weight:bold\">what happened (in the kernel's order)</text>%n", labelX, top - 10));
        if (!s.bars.isEmpty())
            sb.append(String.format(Locale.ROOT, "<text class=\"lane-label\" x=\"%d\" y=\"%d\" transform=\"rotate(-40 %d %d)\" style=\"font-weight:bold\">shadow variables</text>%n",
                    barsX + 4, top - 10, barsX + 4, top - 10));
        // shadow variables: a bar per variable from alloc to free (or to the end), numbered
        for (int i = 0; i < s.bars.size(); i++) {
            SequenceModel.Bar b = s.bars.get(i);
            int x = barsX + BAR * i + 3;
            int y0 = y[b.first()], y1 = b.last() < 0 ? height - 14 : y[b.last()];
            String colour = b.last() >= 0 ? FREED : b.leaked() ? LEAKED : LIVE;
            sb.append(String.format(Locale.ROOT, "<rect class=\"bar%s\" x=\"%d\" y=\"%d\" width=\"8\" height=\"%d\" fill=\"%s\"/>%n",
                    b.leaked() ? " leaked" : "", x, y0 - 6, Math.max(12, y1 - y0 + 12), colour));
            sb.append(String.format(Locale.ROOT, "<text class=\"small\" x=\"%d\" y=\"%d\">%d</text>%n", x, y0 - 8, i + 1));
        }
        for (int r = 0; r < rows; r++) {
            SequenceModel.Step st = s.steps.get(r);
            int x = lanesX + LANE * st.lane() + LANE / 2;
            sb.append(String.format(Locale.ROOT, "<text class=\"small\" x=\"%d\" y=\"%d\">#%d</text>%n", 70, y[r] + 4, st.seq()));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\" stroke-dasharray=\"1 3\"/>%n", x + 7, y[r], labelX - 4, y[r]));
            sb.append(markSvg(st.kind(), x, y[r]));
            String bar = "";
            for (int i = 0; i < s.bars.size(); i++) if (s.bars.get(i).first() == r || s.bars.get(i).last() == r) bar = " [" + (i + 1) + "]";
            sb.append(String.format(Locale.ROOT, "<text class=\"step %s\" x=\"%d\" y=\"%d\" fill=\"%s\"%s>%s</text>%n",
                    st.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), labelX, y[r] + 4, colour(st.kind()),
                    st.kind() == SequenceModel.StepKind.TRANSITION && isBandStart(s, r) ? " style=\"font-weight:bold\"" : "",
                    html(st.label() + bar)));
        }
        sb.append("</svg>\n");
    }

    private static boolean isBandStart(SequenceModel s, int r) {
        for (SequenceModel.Band b : s.bands) if (b.first() == r) return true;
        return false;
    }

    private static String colour(SequenceModel.StepKind k) {
        return switch (k) {
            case CALLBACK -> CALLBACK;
            case SKIPPED -> SKIPPED;
            case MODULE -> MODULE;
            case TRANSITION -> "#7c2d12";
            case WARN -> WARN;
            case SHADOW_ALLOC, SHADOW_TAKEOVER, SHADOW_FREE -> SHADOW;
            case SHADOW_FAULT -> WARN;
            case STATE -> STATE;
        };
    }

    private static String markSvg(SequenceModel.StepKind k, int x, int y) {
        return switch (k) {
            case CALLBACK -> String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"%s\"/>%n", x, y, CALLBACK);
            case SKIPPED -> String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"white\" stroke=\"%s\" stroke-width=\"2\"/>%n", x, y, SKIPPED);
            case MODULE -> String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"11\" height=\"11\" fill=\"%s\"/>%n", x - 5, y - 5, MODULE);
            case TRANSITION -> String.format(Locale.ROOT, "<path d=\"M%d %d l6 6 l-6 6 l-6 -6 Z\" fill=\"%s\"/>%n", x, y - 6, TRANSITION);
            case WARN -> String.format(Locale.ROOT, "<path d=\"M%d %d l6 12 l-12 0 Z\" fill=\"%s\"/>%n", x, y - 6, WARN);
            case SHADOW_FAULT -> String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"%s\" style=\"font-size:16px;font-weight:bold\">\u2715</text>%n", x - 5, y + 5, WARN);
            case STATE -> String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"white\" stroke=\"%s\" stroke-width=\"2\"/>%n", x - 5, y - 5, STATE);
            case SHADOW_ALLOC, SHADOW_TAKEOVER, SHADOW_FREE -> String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"%s\" style=\"font-size:16px;font-weight:bold\">%s</text>%n", x - 5, y + 5, SHADOW,
                    k == SequenceModel.StepKind.SHADOW_ALLOC ? "+" : k == SequenceModel.StepKind.SHADOW_FREE ? "\u2212" : "&gt;");
        };
    }

    private static void shadowTable(StringBuilder sb, SequenceModel s) {
        sb.append("<h2>Shadow variables</h2>\n");
        if (s.bars.isEmpty()) {
            sb.append("<p id=\"shadow\">No shadow variable was allocated in this session.</p>\n");
            return;
        }
        sb.append("<table id=\"shadow\"><tr><th>bar</th><th>variable &lt;obj, id&gt;</th><th>allocated by</th><th>reads</th><th>now</th></tr>\n");
        for (int i = 0; i < s.bars.size(); i++) {
            SequenceModel.Bar b = s.bars.get(i);
            sb.append("<tr><td>").append(i + 1).append("</td><td>").append(html(b.variable())).append("</td><td>").append(html(b.allocated()))
                    .append("</td><td>").append(html(b.reads().isEmpty() ? "none" : b.reads()))
                    .append("</td><td").append(b.leaked() ? " class=\"leaked\"" : "").append(">").append(html(b.end())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
    }

    /**
     * The axis of the patch-state chart: ticks every 1, 2 or 5 times a power of ten
     * nanoseconds, at most ten of them, the axis ending at the first tick at or after the
     * last event (a 22 s session ticks at 0, 5, 10 ... 25 s, not at 2.2 s steps).
     */
    static long tickStep(long endNs) {
        long end = Math.max(endNs, 1);
        for (long p = 1; ; p *= 10)
            for (long m : new long[] {1, 2, 5})
                if (m * p * 10 >= end) return m * p;
    }

    /** Each task's patch state over virtual time: the tasks a transition waited for, and the transitions. */
    private static void tasks(StringBuilder sb, Timeline t) {
        int left = 220, width = 1100, rowH = 22;
        long step = tickStep(t.endNs);
        long end = Math.max(step, (Math.max(t.endNs, 1) + step - 1) / step * step);
        List<Timeline.Track> rows = t.tracks.values().stream().filter(Timeline.Track::blockedOnce).toList();
        sb.append("<h2>Patch state of the tasks a transition waited for, over virtual time</h2>\n");
        if (t.phases.stream().noneMatch(p -> p.endNs() > p.startNs())) {
            sb.append("<p>No virtual time passed during a transition: every task switched at once.</p>\n");
            return;
        }
        int height = 40 + rowH * (t.phases.size() + rows.size()) + 10;
        sb.append("<svg id=\"tasks\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 60).append("\" height=\"").append(height).append("\">\n");
        for (long tick = 0; tick <= end; tick += step) {
            double x = left + (double) width * tick / end;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"26\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, x, height));
            sb.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"20\" text-anchor=\"middle\">%s s</text>%n", x, TextTimeline.fmt(tick)));
        }
        int y = 30;
        for (Timeline.Phase p : t.phases) {
            double x0 = left + (double) width * p.startNs() / end, x1 = left + (double) width * p.endNs() / end;
            double w = Math.max(2, x1 - x0);
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    x0, y, w, rowH - 4, p.initialTarget() == 1 ? PATCHING : UNPATCHING));
            // the label where the transition is: inside its bar when it fits, else just after it (a
            // transition that took no virtual time is a thin bar at its moment), or before it at the right edge
            double labelW = p.label().length() * CHAR;
            String at = w >= labelW + 8 ? String.format(Locale.ROOT, "x=\"%.1f\"", x0 + 4)
                    : x0 + w + 4 + labelW <= left + width + 60 ? String.format(Locale.ROOT, "x=\"%.1f\"", x0 + w + 4)
                    : String.format(Locale.ROOT, "x=\"%.1f\" text-anchor=\"end\"", x0 - 4);
            sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">transition</text><text class=\"phase-label\" %s y=\"%d\">%s</text>%n",
                    y + 13, at, y + 13, html(p.label())));
            y += rowH;
        }
        for (Timeline.Track tr : rows) {
            sb.append("<text x=\"4\" y=\"").append(y + 13).append("\">").append(html(tr.label())).append("</text>\n");
            for (Timeline.Span s : tr.spans()) {
                double x0 = left + (double) width * s.startNs() / end, x1 = left + (double) width * s.endNs() / end;
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", x0, y, Math.max(1, x1 - x0), rowH - 6,
                        s.state() == 1 ? "#16a34a" : "#f59e0b"));
                if (x1 - x0 > 40) sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d</text>", x0 + 4, y + 12, s.state()));
                sb.append('\n');
            }
            y += rowH;
        }
        sb.append("</svg>\n<p>Task rows: orange 0 = unpatched, green 1 = patched.</p>\n");
    }
}
