package dev.klpsim.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Word expansion in bash's order: tilde, parameters ($NAME ${NAME} $? $! $$ and the
 * ${NAME:-word} family), command substitution ($(...) and backticks), arithmetic $((...)),
 * then field splitting of unquoted results and quote removal. Pathname expansion follows
 * in {@link Glob}, on the words marked as patterns.
 */
final class Expander {
    /** An expansion that fails the command, worded as bash words it (without "bash: "). */
    static final class Failure extends Exception {
        Failure(String msg) {
            super(msg, null, false, false);
        }
    }

    /** Fields from expansion, each marked when an unquoted *, ? or [ makes it a pattern. */
    record Fields(List<String> words, List<Boolean> globs) {}

    private final Interpreter run;
    private final Fds fds;

    Expander(Interpreter run, Fds fds) {
        this.run = run;
        this.fds = fds;
    }

    /** Expands words into fields (splitting unquoted expansions on blanks). */
    Fields fields(List<ShellSyntax.Word> words) throws Failure {
        Builder b = new Builder(true);
        for (ShellSyntax.Word w : words) {
            expand(w.raw(), b, false);
            b.endWord();
        }
        return new Fields(b.out, b.globs);
    }

    /** Expands one word into one string, without splitting or globbing (assignments, redirection targets). */
    String string(String raw) throws Failure {
        Builder b = new Builder(false);
        expand(raw, b, false);
        return b.cur.toString();
    }

    private final class Builder {
        final boolean split;
        final List<String> out = new ArrayList<>();
        final List<Boolean> globs = new ArrayList<>();
        final StringBuilder cur = new StringBuilder();
        boolean started, glob;

        Builder(boolean split) {
            this.split = split;
        }

        void literal(char c, boolean quoted) {
            cur.append(c);
            started = true;
            if (!quoted && (c == '*' || c == '?' || c == '[')) glob = true;
        }

        void quoted(String s) {
            cur.append(s);
            started = true;
        }

        /** The result of an unquoted expansion: split on blanks. */
        void unquoted(String s) {
            if (!split) {
                cur.append(s);
                started |= !s.isEmpty();
                return;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\t' || c == '\n') {
                    if (started) emit();
                } else literal(c, false);
            }
        }

        void emit() {
            out.add(cur.toString());
            globs.add(glob);
            cur.setLength(0);
            started = false;
            glob = false;
        }

        void endWord() {
            if (started) emit();
        }
    }

    private void expand(String raw, Builder b, boolean inDouble) throws Failure {
        int n = raw.length();
        int i = 0;
        if (!inDouble && raw.startsWith("~") && (n == 1 || raw.charAt(1) == '/')) {
            b.quoted(run.shell.env().getOrDefault("HOME", "/root"));
            i = 1;
        }
        while (i < n) {
            char c = raw.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < n) {
                        char d = raw.charAt(i + 1);
                        if (d != '\n') b.literal(d, true);
                    }
                    i += 2;
                }
                case '\'' -> {
                    int end = raw.indexOf('\'', i + 1);
                    if (end < 0) end = n;
                    b.quoted(raw.substring(i + 1, end));
                    i = end + 1;
                }
                case '"' -> {
                    int end = ShellSyntax.scanUnit(raw, i, new String[1]);
                    String inner = raw.substring(i + 1, Math.max(i + 1, end - 1));
                    b.quoted(doubleQuoted(inner));
                    i = end;
                }
                case '$', '`' -> {
                    int simple = simpleParamEnd(raw, i);
                    if (simple > 0) {
                        String v = value(raw.substring(i + 1, simple));
                        b.unquoted(v == null ? "" : v);
                        i = simple;
                        continue;
                    }
                    int end = ShellSyntax.scanUnit(raw, i, new String[1]);
                    String text = raw.substring(i, end);
                    String v = dollar(text);
                    if (v == null) b.literal('$', false);
                    else b.unquoted(v);
                    i = end;
                }
                default -> {
                    b.literal(c, false);
                    i++;
                }
            }
        }
    }

    /** The inside of "...": backslash escapes only $ ` " \ and newline; expansions are not split. */
    private String doubleQuoted(String inner) throws Failure {
        StringBuilder sb = new StringBuilder();
        int n = inner.length();
        int i = 0;
        while (i < n) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < n && "$`\"\\\n".indexOf(inner.charAt(i + 1)) >= 0) {
                if (inner.charAt(i + 1) != '\n') sb.append(inner.charAt(i + 1));
                i += 2;
            } else if (c == '$' && simpleParamEnd(inner, i) > 0) {
                int simple = simpleParamEnd(inner, i);
                String v = value(inner.substring(i + 1, simple));
                sb.append(v == null ? "" : v);
                i = simple;
            } else if (c == '$' || c == '`') {
                int end = ShellSyntax.scanUnit(inner, i, new String[1]);
                String v = dollar(inner.substring(i, end));
                sb.append(v == null ? "$" : v);
                i = end;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** The value of one $-expansion or backtick substitution; null for a lone $ (kept literally). */
    private String dollar(String t) throws Failure {
        if (t.startsWith("`")) {
            String body = t.substring(1, Math.max(1, t.length() - 1)).replaceAll("\\\\([$`\\\\])", "$1");
            return run.substitute(body, fds);
        }
        if (t.startsWith("$((") && t.endsWith("))")) {
            String expr = doubleQuoted(t.substring(3, t.length() - 2));
            try {
                return Long.toString(Arithmetic.eval(expr, run.shell.env()));
            } catch (Arithmetic.Error e) {
                throw new Failure(e.getMessage());
            }
        }
        if (t.startsWith("$(")) return run.substitute(t.substring(2, Math.max(2, t.length() - 1)), fds);
        if (t.startsWith("${")) return braced(t, t.substring(2, Math.max(2, t.length() - 1)));
        return null;
    }

    /** ${NAME}, ${#NAME}, ${NAME:-w} ${NAME-w} ${NAME:=w} ${NAME=w} ${NAME:+w} ${NAME+w} ${NAME:?w}. */
    private String braced(String whole, String in) throws Failure {
        if (in.startsWith("#") && in.length() > 1) {
            String name = in.substring(1);
            if (!validName(name)) throw new Failure(whole + ": bad substitution");
            String v = value(name);
            return Integer.toString(v == null ? 0 : v.length());
        }
        int k = 0;
        if (!in.isEmpty() && "?!$#@*-".indexOf(in.charAt(0)) >= 0) k = 1;
        else while (k < in.length() && (Character.isLetterOrDigit(in.charAt(k)) || in.charAt(k) == '_')) k++;
        String name = in.substring(0, k);
        if (name.isEmpty() || !validName(name)) throw new Failure(whole + ": bad substitution");
        String v = param(name);
        if (k == in.length()) return v == null && value(name) == null ? "" : v;
        String rest = in.substring(k);
        boolean colon = rest.startsWith(":");
        if (colon) rest = rest.substring(1);
        if (rest.isEmpty() || "-=+?".indexOf(rest.charAt(0)) < 0) throw new Failure(whole + ": bad substitution");
        char op = rest.charAt(0);
        String word = rest.substring(1);
        boolean unset = v == null || (colon && v.isEmpty());
        switch (op) {
            case '-':
                return unset ? string(word) : v;
            case '=':
                if (unset) {
                    if (!Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') throw new Failure("$" + name + ": cannot assign in this way");
                    String w = string(word);
                    run.shell.env().put(name, w);
                    return w;
                }
                return v;
            case '+':
                return unset ? "" : string(word);
            default:
                if (unset) throw new Failure(name + ": " + (word.isEmpty() ? "parameter null or not set" : string(word)));
                return v;
        }
    }

    /** The end of $NAME, $0-$9 or a special $? $! $$ $# $@ $* $- at i; -1 when it is none of these. */
    private static int simpleParamEnd(String s, int i) {
        if (s.charAt(i) != '$' || i + 1 >= s.length()) return -1;
        char c = s.charAt(i + 1);
        if ("?!$#@*-".indexOf(c) >= 0 || Character.isDigit(c)) return i + 2;
        if (!(Character.isLetter(c) || c == '_')) return -1;
        int j = i + 1;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
        return j;
    }

    private static boolean validName(String n) {
        return n.matches("[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?!$#@*-]");
    }

    /** A parameter's value for $NAME, ${NAME}, ${#NAME}: under set -u an unset one is bash's error. */
    private String value(String name) throws Failure {
        String v = param(name);
        if (v == null && run.options.nounset && !name.equals("@") && !name.equals("*")) {
            run.unbound = true;
            throw new Failure((name.chars().allMatch(Character::isDigit) || name.equals("!") ? "$" : "") + name + ": unbound variable");
        }
        return v;
    }

    /** A parameter's value, or null when unset. */
    String param(String name) {
        return run.param(name);
    }
}
