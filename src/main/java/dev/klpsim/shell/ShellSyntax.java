package dev.klpsim.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of bash's grammar klpsim speaks: words with quotes and backslashes, {@code $?},
 * comments, pipes, {@code ; && ||}, background {@code &}, and the redirections
 * {@code > >> < 2> 2>> &> 2>&1}.
 */
public final class ShellSyntax {
    /** A syntax error, reported as bash would. */
    public static final class SyntaxError extends Exception {
        public SyntaxError(String msg) {
            super(msg, null, false, false);
        }
    }

    public record Redirect(int fd, String op, String target) {}

    public static final class Simple {
        public final List<String> words = new ArrayList<>();
        /** Which words hold an unquoted *, ? or [ and so are patterns for pathname expansion. */
        public final List<Boolean> globs = new ArrayList<>();
        public final List<Redirect> redirects = new ArrayList<>();
    }

    public static final class Pipeline {
        public final List<Simple> commands = new ArrayList<>();
        public boolean background;
        /** How this pipeline joins the previous one: ";", "&&" or "||". */
        public String connector = ";";
    }

    /** A word (quotes removed, $ expanded) or an operator, with where it stands in the raw line. */
    public record Token(String text, boolean op, boolean glob, int start, int end) {
        Token(String text, boolean op, int start, int end) {
            this(text, op, false, start, end);
        }
    }

    /**
     * The tokens of a line as {@link #parse} reads them, with their raw offsets: the console's
     * JLine parser uses this, so that Tab completion sees exactly the words execution sees.
     */
    public static List<Token> lex(String line, int status, java.util.Map<String, String> env) throws SyntaxError {
        return tokenize(line, status, env);
    }

    private ShellSyntax() {}

    /** Parses one command line; {@code status} expands {@code $?}. */
    public static List<Pipeline> parse(String line, int status, java.util.Map<String, String> env) throws SyntaxError {
        List<Token> toks = tokenize(line, status, env);
        List<Pipeline> out = new ArrayList<>();
        Pipeline p = new Pipeline();
        Simple s = new Simple();
        for (int i = 0; i < toks.size(); i++) {
            Token t = toks.get(i);
            if (!t.op) {
                s.words.add(t.text);
                s.globs.add(t.glob);
                continue;
            }
            switch (t.text) {
                case "|" -> {
                    if (s.words.isEmpty()) throw new SyntaxError("syntax error near unexpected token `|'");
                    p.commands.add(s);
                    s = new Simple();
                }
                case ";", "&&", "||", "&" -> {
                    if (s.words.isEmpty() && s.redirects.isEmpty())
                        throw new SyntaxError("syntax error near unexpected token `" + t.text + "'");
                    p.commands.add(s);
                    if (t.text.equals("&")) p.background = true;
                    out.add(p);
                    p = new Pipeline();
                    p.connector = t.text.equals("&") ? ";" : t.text;
                    s = new Simple();
                }
                case "2>&1" -> s.redirects.add(new Redirect(2, ">&", "1"));
                case ">&2" -> s.redirects.add(new Redirect(1, ">&", "2"));
                default -> {
                    if (i + 1 >= toks.size() || toks.get(i + 1).op)
                        throw new SyntaxError("syntax error near unexpected token `"
                                + (i + 1 >= toks.size() ? "newline" : toks.get(i + 1).text) + "'");
                    String target = toks.get(++i).text;
                    switch (t.text) {
                        case ">", "1>" -> s.redirects.add(new Redirect(1, ">", target));
                        case ">>", "1>>" -> s.redirects.add(new Redirect(1, ">>", target));
                        case "2>" -> s.redirects.add(new Redirect(2, ">", target));
                        case "2>>" -> s.redirects.add(new Redirect(2, ">>", target));
                        case "&>" -> {
                            s.redirects.add(new Redirect(1, ">", target));
                            s.redirects.add(new Redirect(2, ">&", "1"));
                        }
                        case "<" -> s.redirects.add(new Redirect(0, "<", target));
                        default -> throw new SyntaxError("syntax error near unexpected token `" + t.text + "'");
                    }
                }
            }
        }
        if (!s.words.isEmpty() || !s.redirects.isEmpty()) {
            p.commands.add(s);
            out.add(p);
        } else if (!p.commands.isEmpty()) {
            throw new SyntaxError("syntax error near unexpected token `newline'");
        } else if (!out.isEmpty() && !p.connector.equals(";")) {
            throw new SyntaxError("syntax error near unexpected token `newline'");
        }
        return out;
    }

    private static List<Token> tokenize(String line, int status, java.util.Map<String, String> env) throws SyntaxError {
        List<Token> toks = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false, glob = false;
        int n = line.length();
        int start = 0;
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (!inWord) start = i;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    toks.add(new Token(w.toString(), false, glob, start, i));
                    w.setLength(0);
                    inWord = false;
                    glob = false;
                }
                continue;
            }
            if (c == '#' && !inWord) break;
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) throw new SyntaxError("unexpected EOF while looking for matching `''");
                w.append(line, i + 1, end);
                inWord = true;
                i = end;
                continue;
            }
            if (c == '"') {
                int j = i + 1;
                boolean closed = false;
                for (; j < n; j++) {
                    char d = line.charAt(j);
                    if (d == '"') {
                        closed = true;
                        break;
                    }
                    if (d == '\\' && j + 1 < n && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) {
                        w.append(line.charAt(++j));
                    } else if (d == '$') {
                        j = expand(line, j, w, status, env);
                    } else {
                        w.append(d);
                    }
                }
                if (!closed) throw new SyntaxError("unexpected EOF while looking for matching `\"'");
                inWord = true;
                i = j;
                continue;
            }
            if (c == '\\') {
                if (i + 1 < n) w.append(line.charAt(++i));
                inWord = true;
                continue;
            }
            if (c == '$') {
                i = expand(line, i, w, status, env);
                inWord = true;
                continue;
            }
            String op = operatorAt(line, i, inWord);
            if (op != null) {
                if (inWord && !(op.startsWith("2") || op.startsWith("1"))) {
                    toks.add(new Token(w.toString(), false, glob, start, i));
                    w.setLength(0);
                    inWord = false;
                    glob = false;
                }
                toks.add(new Token(op, true, i, i + op.length()));
                i += op.length() - 1;
                continue;
            }
            if (c == '*' || c == '?' || c == '[') glob = true;
            w.append(c);
            inWord = true;
        }
        if (inWord) toks.add(new Token(w.toString(), false, glob, start, n));
        return toks;
    }

    private static final String[] OPS = {"2>&1", ">&2", "2>>", "1>>", "&&", "||", ">>", "&>", "2>", "1>", ">", "<", "|", ";", "&"};

    /** An operator starting at i; digits 1/2 count only at a word start. */
    private static String operatorAt(String line, int i, boolean inWord) {
        char c = line.charAt(i);
        if ("<>|;&12".indexOf(c) < 0) return null;
        for (String op : OPS) {
            if (!line.startsWith(op, i)) continue;
            if ((op.startsWith("2") || op.startsWith("1")) && inWord) continue;
            return op;
        }
        return null;
    }

    private static int expand(String line, int i, StringBuilder w, int status, java.util.Map<String, String> env) {
        if (i + 1 < line.length() && line.charAt(i + 1) == '?') {
            w.append(status);
            return i + 1;
        }
        int j = i + 1;
        boolean braced = j < line.length() && line.charAt(j) == '{';
        if (braced) j++;
        int start = j;
        while (j < line.length() && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_')) j++;
        if (j == start) {
            w.append('$');
            return i;
        }
        String name = line.substring(start, j);
        if (braced && j < line.length() && line.charAt(j) == '}') j++;
        w.append(env.getOrDefault(name, ""));
        return j - 1;
    }
}
