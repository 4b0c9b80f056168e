package dev.klpsim.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * `trace seq`: the sequence view in the terminal. One line per step in the order the kernel
 * ran them: a gutter for transitions ([ first step, | inside, ] completion), the sequence
 * number, one column per lane with the step's mark, one column per shadow variable (its
 * life from + to -), and the step's label. A line "@ T s" marks each advance of virtual time.
 */
public final class SequenceText {
    private SequenceText() {}

    static final String LEGEND = "marks: o callback ran, x callback skipped, m module coming/going, # transition step, ! WARN,"
            + " + shadow alloc, > shadow taken over (get_or_alloc), - shadow freed, X shadow read after free (NULL), t system state installed, taken over or consulted; shadow columns: + alloc, | alive, - freed,"
            + " v still allocated at the end, L leaked";

    public static List<String> render(SequenceModel s) {
        List<String> out = new ArrayList<>();
        out.add("trace seq: " + dev.klpsim.text.Plural.of(s.steps.size(), "step") + " in the order the kernel ran them (trace export FILE.html draws the same)");
        if (s.steps.isEmpty()) {
            out.add("(no steps recorded: no callback, transition, module or shadow event yet)");
            return out;
        }
        StringBuilder lanes = new StringBuilder("lanes:");
        for (int i = 0; i < s.lanes.size(); i++) lanes.append(i == 0 ? " " : ", ").append(letter(i)).append(" = ").append(s.lanes.get(i).label());
        out.add(lanes.toString());
        for (int i = 0; i < s.bars.size(); i++) {
            SequenceModel.Bar b = s.bars.get(i);
            out.add("shadow " + (i + 1) + " = " + b.variable() + ": allocated by " + b.allocated() + (b.reads().isEmpty() ? "" : "; " + b.reads()) + "; " + b.end());
        }
        StringBuilder head = new StringBuilder("  seq    ");
        for (int i = 0; i < s.lanes.size(); i++) head.append(letter(i)).append(' ');
        if (!s.bars.isEmpty()) head.append(' ');
        for (int i = 0; i < s.bars.size(); i++) head.append((i + 1) % 10).append(' ');
        out.add(head.toString().stripTrailing());
        long time = -1;
        for (int r = 0; r < s.steps.size(); r++) {
            SequenceModel.Step st = s.steps.get(r);
            if (st.timeNs() != time) {
                time = st.timeNs();
                out.add("  @ " + dev.klpsim.kernel.Timers.seconds(time, false) + " s");
            }
            StringBuilder row = new StringBuilder();
            row.append(gutter(s, r)).append(' ');
            row.append(String.format("%-6s ", "#" + st.seq()));
            for (int i = 0; i < s.lanes.size(); i++) row.append(i == st.lane() ? mark(st.kind()) : '|').append(' ');
            if (!s.bars.isEmpty()) row.append(' ');
            for (SequenceModel.Bar b : s.bars) row.append(barMark(b, r, s.steps.size())).append(' ');
            row.append(' ').append(st.label());
            out.add(row.toString());
        }
        out.add(LEGEND);
        return out;
    }

    private static char gutter(SequenceModel s, int r) {
        for (SequenceModel.Band b : s.bands) {
            if (r == b.first()) return '[';
            if (r == b.last() && b.completed()) return ']';
            if (r > b.first() && r <= b.last()) return '|';
        }
        return ' ';
    }

    private static char barMark(SequenceModel.Bar b, int r, int rows) {
        if (r == b.first()) return '+';
        if (r == b.last()) return '-';
        if (b.last() < 0 && r > b.first()) return r == rows - 1 ? (b.leaked() ? 'L' : 'v') : '|';
        if (r > b.first() && r < b.last()) return '|';
        return ' ';
    }

    static char mark(SequenceModel.StepKind k) {
        return switch (k) {
            case CALLBACK -> 'o';
            case SKIPPED -> 'x';
            case MODULE -> 'm';
            case TRANSITION -> '#';
            case WARN -> '!';
            case SHADOW_ALLOC -> '+';
            case SHADOW_TAKEOVER -> '>';
            case SHADOW_FREE -> '-';
            case SHADOW_FAULT -> 'X';
            case STATE -> 't';
        };
    }

    static String letter(int i) {
        return String.valueOf((char) ('a' + i % 26)) + (i >= 26 ? String.valueOf(i / 26) : "");
    }
}
