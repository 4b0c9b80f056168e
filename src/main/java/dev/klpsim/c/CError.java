package dev.klpsim.c;

/**
 * A C module that does not build, worded as gcc words it:
 * {@code FILE:LINE:COL: error: MESSAGE}, preceded by gcc's "In function" line when the
 * error is inside one, and followed by the source line and a caret.
 */
public final class CError extends Exception {
    public CError(String gccText) {
        super(gccText, null, false, false);
    }

    /** gcc's column: 1-based, a tab advancing to the next multiple of 8 (-fdiagnostics-column-unit=display). */
    static int displayColumn(String line, int charIndex) {
        int col = 0;
        for (int i = 0; i < charIndex && i < line.length(); i++) col = line.charAt(i) == '\t' ? (col / 8 + 1) * 8 : col + 1;
        return col + 1 + Math.max(0, charIndex - line.length());
    }

    /** The diagnostic: the "In function" line, the error, the line and its caret as gcc shows them. */
    static String format(String file, String function, String[] lines, int line, int charIndex, String message, String fixit) {
        StringBuilder b = new StringBuilder();
        if (function != null) b.append(file).append(": In function '").append(function).append("':\n");
        String text = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        int col = displayColumn(text, charIndex);
        b.append(file).append(':').append(line).append(':').append(col).append(": error: ").append(message);
        if (line >= 1 && line <= lines.length) {
            String expanded = expandTabs(text);
            b.append('\n').append(String.format("%5d | %s", line, expanded));
            b.append('\n').append("      | ").append(" ".repeat(col - 1)).append('^');
            if (fixit != null) b.append('\n').append("      | ").append(" ".repeat(col - 1)).append(fixit);
        }
        return b.toString();
    }

    static String expandTabs(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\t') do b.append(' '); while (b.length() % 8 != 0);
            else b.append(c);
        }
        return b.toString();
    }
}
