package dev.klpsim.shell;

/** Linux x86-64 signal numbers and names, as bash's kill -l lists them. */
final class Signals {
    private Signals() {}

    private static final String[] NAMES = {"EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"};

    /** The name without SIG (RTMIN+n, RTMAX-n for real-time signals), or null for none. */
    static String name(int sig) {
        if (sig >= 0 && sig < NAMES.length) return NAMES[sig];
        if (sig >= 34 && sig <= 64) return sig == 34 ? "RTMIN" : sig == 64 ? "RTMAX" : sig <= 48 ? "RTMIN+" + (sig - 34) : "RTMAX-" + (64 - sig);
        return null;
    }

    /** A sigspec (9, KILL, SIGKILL, kill) as a number, or -1. */
    static int number(String spec) {
        if (spec.matches("\\d+")) {
            try {
                int n = Integer.parseInt(spec);
                return name(n) == null ? -1 : n;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        String s = spec.toUpperCase(java.util.Locale.ROOT);
        if (s.startsWith("SIG")) s = s.substring(3);
        for (int i = 0; i <= 64; i++) if (s.equals(name(i))) return i;
        return -1;
    }

    /** bash's kill -l table: five per line, tab-separated. */
    static String table() {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (int i = 1; i <= 64; i++) {
            if (name(i) == null) continue;
            sb.append(String.format("%2d) SIG%s", i, name(i)));
            if (++col % 5 == 0) sb.append('\n');
            else sb.append('\t');
        }
        if (col % 5 != 0) sb.append('\n');
        return sb.toString();
    }

    /** Signals whose default action leaves the process running (or stops it, which klpsim does not simulate). */
    static boolean terminates(int sig) {
        return switch (sig) {
            case 0, 17, 18, 19, 20, 21, 22, 23, 28 -> false;
            default -> true;
        };
    }
}
