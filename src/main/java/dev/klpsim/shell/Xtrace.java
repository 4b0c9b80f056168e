package dev.klpsim.shell;

import java.util.List;
import java.util.Map;

/** set -x's trace lines: "+ " and the expanded words, quoted as bash quotes them so they could be typed back. */
final class Xtrace {
    private Xtrace() {}

    /** One line per assignment, then the command's words, as bash 5.2 prints them. */
    static String lines(Map<String, String> assignments, List<String> words) {
        StringBuilder sb = new StringBuilder();
        assignments.forEach((k, v) -> sb.append("+ ").append(k).append('=').append(quote(v)).append('\n'));
        if (!words.isEmpty()) {
            sb.append('+');
            for (String w : words) sb.append(' ').append(quote(w));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** bash's sh_single_quote when a word holds a shell metacharacter (or is empty); else the word as it is. */
    static String quote(String w) {
        if (w.isEmpty()) return "''";
        boolean meta = w.charAt(0) == '~' || w.charAt(0) == '#';
        for (int i = 0; i < w.length() && !meta; i++) meta = " \t\n'\"\\|&;()<>!{}*[?]^$`".indexOf(w.charAt(i)) >= 0;
        return meta ? "'" + w.replace("'", "'\\''") + "'" : w;
    }
}
