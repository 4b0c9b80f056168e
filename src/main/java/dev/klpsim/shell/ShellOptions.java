package dev.klpsim.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bash options klpsim's shell honours (set -e -u -x, set -o pipefail), and the set builtin
 * that changes them, worded as bash 5.2 words it.
 */
final class ShellOptions {
    /** set -e: a failing command that is not tested (if/while condition, left of && or ||, after !) ends the shell. */
    boolean errexit;
    /** set -u: expanding an unset variable is an error. */
    boolean nounset;
    /** set -o pipefail: a pipeline's status is its last failing command's. */
    boolean pipefail;
    /** set -x: each simple command is printed after expansion, "+ " first, on stderr. */
    boolean xtrace;

    /** bash 5.2's option names (set -o NAME), so a name bash knows is told apart from a misspelt one. */
    private static final List<String> BASH_NAMES = List.of("allexport", "braceexpand", "emacs", "errexit", "errtrace", "functrace",
            "hashall", "histexpand", "history", "ignoreeof", "interactive-comments", "keyword", "monitor", "noclobber", "noexec",
            "noglob", "nolog", "notify", "nounset", "onecmd", "physical", "pipefail", "posix", "privileged", "verbose", "vi", "xtrace");
    private static final String BASH_FLAGS = "abefhkmnptuvxBCEHPT";
    private static final String USAGE = "set: usage: set [-abefhkmnptuvxBCEHPT] [-o option-name] [--] [-] [arg ...]";

    private Map<String, Boolean> values() {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put("errexit", errexit);
        m.put("nounset", nounset);
        m.put("pipefail", pipefail);
        m.put("xtrace", xtrace);
        return m;
    }

    private boolean set(String name, boolean on) {
        switch (name) {
            case "errexit" -> errexit = on;
            case "nounset" -> nounset = on;
            case "pipefail" -> pipefail = on;
            case "xtrace" -> xtrace = on;
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String flagName(char c) {
        return switch (c) {
            case 'e' -> "errexit";
            case 'u' -> "nounset";
            case 'x' -> "xtrace";
            default -> null;
        };
    }

    /** set [-eux] [+eux] [-o NAME] [+o NAME] [-o] [+o]: no operand lists the variables as bash does. */
    static int set(Invocation inv) {
        ShellOptions o = inv.shell.interpreter().options;
        List<String> a = inv.operands();
        if (a.isEmpty()) {
            new java.util.TreeMap<>(inv.shell.env()).forEach((k, v) -> inv.println(k + "=" + Xtrace.quote(v)));
            return 0;
        }
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("--") || s.equals("-")) {
                if (i + 1 < a.size()) return positional(inv, a.get(i + 1));
                return 0;
            }
            boolean on = s.startsWith("-");
            if (!on && !s.startsWith("+") || s.length() < 2) return positional(inv, s);
            for (int j = 1; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == 'o') {
                    if (i + 1 >= a.size()) {
                        o.values().forEach((k, v) -> inv.println(on ? String.format("%-15s\t%s", k, v ? "on" : "off") : "set " + (v ? "-o " : "+o ") + k));
                        continue;
                    }
                    String name = a.get(++i);
                    if (!o.set(name, on)) {
                        if (BASH_NAMES.contains(name)) inv.errln("bash: set: " + name + ": klpsim's shell does not have this option (it has errexit, nounset, pipefail, xtrace)");
                        else inv.errln("bash: set: " + name + ": invalid option name");
                        return 2;
                    }
                } else if (flagName(c) != null) {
                    o.set(flagName(c), on);
                } else if (BASH_FLAGS.indexOf(c) >= 0) {
                    inv.errln("bash: set: " + s.charAt(0) + c + ": klpsim's shell does not have this option (it has -e, -u, -x, -o pipefail)");
                    return 2;
                } else {
                    inv.errln("bash: set: " + s.charAt(0) + c + ": invalid option");
                    inv.errln(USAGE);
                    return 2;
                }
            }
        }
        return 0;
    }

    private static int positional(Invocation inv, String arg) {
        inv.errln("bash: set: " + arg + ": klpsim's shell has no positional parameters ($1...)");
        return 2;
    }
}
