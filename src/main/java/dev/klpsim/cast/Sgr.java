package dev.klpsim.cast;

/**
 * The colours klpsim's terminal output uses, as ANSI SGR sequences: the one table the
 * interactive shell, presenter mode and recordings share (kernel lines by log level, like
 * dmesg's colours; errors red; trace events magenta).
 */
public final class Sgr {
    private Sgr() {}

    public static final String RESET = "\u001b[0m";
    public static final String STDERR = "\u001b[31m";
    public static final String TRACE = "\u001b[35m";
    /** Presenter mode: a narration line (a script's # comment). */
    public static final String NARRATION = "\u001b[3;36m";
    /** Presenter mode: the command being typed after the prompt. */
    public static final String COMMAND = "\u001b[1m";
    public static final String PROMPT = "\u001b[32m";
    /** Presenter mode: what a transcript expected and did not get. */
    public static final String MISMATCH = "\u001b[1;33m";

    /** A kernel line of log level {@code level} (0 emerg ... 7 debug). */
    public static String kernel(int level) {
        return switch (level) {
            case 0, 1, 2, 3 -> "\u001b[1;31m";
            case 4 -> "\u001b[1;33m";
            case 5 -> "\u001b[36m";
            case 7 -> "\u001b[90m";
            default -> "\u001b[32m";
        };
    }

    /** {@code text} in {@code style}, or as it is when {@code colour} is off or there is no style. */
    public static String paint(String text, String style, boolean colour) {
        if (!colour || style == null || text.isEmpty()) return text;
        // the reset goes before a final newline, so that a colour never runs into the next line
        if (text.endsWith("\n")) return style + text.substring(0, text.length() - 1) + RESET + "\n";
        return style + text + RESET;
    }
}
