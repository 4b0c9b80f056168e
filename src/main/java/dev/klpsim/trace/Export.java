package dev.klpsim.trace;

import dev.klpsim.kernel.Trace;

import java.util.List;
import java.util.Locale;

/**
 * Timeline exports: the Chrome trace-event format (opens in Perfetto and chrome://tracing)
 * and a self-contained HTML page drawing the same timeline as SVG.
 */
public final class Export {
    private Export() {}

    private static final int PID = 1;
    private static final int PHASE_TID = 1;

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1000.0);
    }

    /** Chrome trace-event JSON: a track per task (its patch state), one for the transitions, instant events. */
    public static String chromeJson(Timeline t) {
        StringBuilder sb = new StringBuilder("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
        sb.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"klpsim machine\"}}");
        sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(PHASE_TID).append(",\"args\":{\"name\":\"transitions\"}}");
        for (Timeline.Track tr : t.tracks.values())
            sb.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":").append(tid(tr.pid())).append(",\"args\":{\"name\":").append(json(tr.label())).append("}}");
        for (Timeline.Phase p : t.phases) {
            // one slice per direction: a reversal ends one and starts the other
            java.util.List<Long> cuts = new java.util.ArrayList<>();
            cuts.add(p.startNs());
            cuts.addAll(p.reversals());
            cuts.add(p.endNs());
            for (int i = 0; i + 1 < cuts.size(); i++) {
                long from = cuts.get(i), to = cuts.get(i + 1);
                sb.append(",\n{\"name\":").append(json((p.targetAt(from) == 1 ? "patching " : "unpatching ") + p.patch()))
                        .append(",\"cat\":\"transition\",\"ph\":\"X\",\"pid\":").append(PID).append(",\"tid\":").append(PHASE_TID)
                        .append(",\"ts\":").append(us(from)).append(",\"dur\":").append(us(Math.max(1000, to - from)))
                        .append(",\"args\":{\"completed\":").append(p.completed() && i + 2 == cuts.size()).append("}}");
            }
        }
        for (Timeline.Track tr : t.tracks.values())
            for (Timeline.Span s : tr.spans())
                sb.append(",\n{\"name\":\"patch_state ").append(s.state()).append("\",\"cat\":\"task\",\"ph\":\"X\",\"pid\":").append(PID)
                        .append(",\"tid\":").append(tid(tr.pid())).append(",\"ts\":").append(us(s.startNs()))
                        .append(",\"dur\":").append(us(Math.max(1000, s.endNs() - s.startNs()))).append("}");
        for (Timeline.Point p : t.points)
            sb.append(",\n{\"name\":").append(json(p.text())).append(",\"cat\":").append(json(p.category().label()))
                    .append(",\"ph\":\"i\",\"s\":\"").append(p.pid() > 0 && t.tracks.containsKey(p.pid()) ? "t" : "p").append("\",\"pid\":").append(PID)
                    .append(",\"tid\":").append(p.pid() > 0 && t.tracks.containsKey(p.pid()) ? tid(p.pid()) : PHASE_TID)
                    .append(",\"ts\":").append(us(p.timeNs())).append(",\"args\":{\"kind\":").append(json(p.kind())).append("}}");
        return sb.append("\n]}\n").toString();
    }

    /** Task tracks use pid + 2 as thread id, so pid 0 (idle) does not collide with the transitions track. */
    private static int tid(int pid) {
        return pid + 2;
    }

    static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** One HTML page, no scripts or network: the timeline as SVG, with hover titles. */
    public static String htmlPage(Timeline t, String title) {
        int left = 190, width = 900, rowH = 22;
        long end = Math.max(t.endNs, 1_000_000_000L);
        List<Timeline.Track> rows = t.tracks.values().stream().toList();
        int height = 60 + rowH * (2 + rows.size()) + 40;
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(html(title)).append("</title>\n");
        sb.append("<style>body{font-family:sans-serif;margin:16px}text{font-size:12px;font-family:monospace}"
                + ".s-1{fill:#ddd}.s0{fill:#f0a030}.s1{fill:#3a3}.ph1{fill:#9cf}.ph0{fill:#fc9}</style></head><body>\n");
        sb.append("<h1>").append(html(title)).append("</h1>\n<p>Patch state per task over virtual time: <b style=\"color:#f0a030\">0</b> unpatched, "
                + "<b style=\"color:#3a3\">1</b> patched. Marks: callbacks, module, shadow and state events, fake signals, force.</p>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 20).append("\" height=\"").append(height).append("\">\n");
        for (int i = 0; i <= 10; i++) {
            double x = left + width * i / 10.0;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, x, height - 30));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"24\">%ss</text>%n", x, TextTimeline.fmt(end * i / 10)));
        }
        int y = 40;
        sb.append("<text x=\"4\" y=\"").append(y + 15).append("\">transitions</text>\n");
        for (Timeline.Phase p : t.phases) {
            double x0 = left + (double) width * p.startNs() / end, x1 = left + (double) width * p.endNs() / end;
            sb.append(String.format(Locale.ROOT, "<rect class=\"ph%d\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>%n",
                    p.target(), x0, y, Math.max(2, x1 - x0), rowH - 4, html((p.initialTarget() == 1 ? "patching " : "unpatching ") + p.patch()
                            + (p.reversals().isEmpty() ? "" : ", reversed " + p.reversals().size() + "x")
                            + (p.completed() ? " (complete)" : " (in progress)"))));
        }
        y += rowH;
        sb.append("<text x=\"4\" y=\"").append(y + 15).append("\">events</text>\n");
        for (Timeline.Point p : t.points) {
            double x = left + (double) width * p.timeNs() / end;
            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"4\" fill=\"%s\"><title>%s</title></circle>%n",
                    x, y + 9, colour(p.category()), html(p.category().label() + ": " + p.text())));
        }
        y += rowH;
        for (Timeline.Track tr : rows) {
            sb.append("<text x=\"4\" y=\"").append(y + 15).append("\">").append(html(tr.label())).append("</text>\n");
            for (Timeline.Span s : tr.spans()) {
                double x0 = left + (double) width * s.startNs() / end, x1 = left + (double) width * s.endNs() / end;
                sb.append(String.format(Locale.ROOT, "<rect class=\"s%d\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>%n",
                        s.state(), x0, y, Math.max(1, x1 - x0), rowH - 6, html(tr.label() + ": patch_state " + s.state())));
            }
            y += rowH;
        }
        sb.append("</svg>\n</body></html>\n");
        return sb.toString();
    }

    private static String colour(Trace.Category c) {
        return switch (c) {
            case CALLBACKS -> "#36c";
            case MODULE -> "#888";
            case SHADOW -> "#a3c";
            case STATE -> "#0aa";
            default -> "#c33";
        };
    }
}
