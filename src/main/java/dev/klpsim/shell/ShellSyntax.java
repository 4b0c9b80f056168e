package dev.klpsim.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of bash's grammar klpsim speaks. {@link #lex} splits a line into words and
 * operators with their positions (the same tokens completion sees); {@link #parse} builds
 * the command tree: lists joined by {@code ; & && ||} and newlines, pipelines, simple
 * commands with assignments and redirections, {@code if/then/elif/else/fi},
 * {@code for NAME in WORDS; do ...; done}, {@code while}/{@code until}, {@code { ...; }}.
 * Words stay as written (quotes and {@code $} included): they are expanded when they run,
 * so {@code a=1; echo $a} sees the new value, as in bash.
 */
public final class ShellSyntax {
    /** A syntax error, worded as bash words it; {@code incomplete} when more input would finish the line. */
    public static final class SyntaxError extends Exception {
        public final boolean incomplete;

        public SyntaxError(String msg) {
            this(msg, false);
        }

        SyntaxError(String msg, boolean incomplete) {
            super(msg, null, false, false);
            this.incomplete = incomplete;
        }
    }

    /** A word as written, with its place in the line: [start, end). */
    public record Word(String raw, int start, int end) {
        @Override
        public String toString() {
            return raw;
        }
    }

    /** A lexical token: a word, or an operator ({@code ; & && || | ( ) newline} or a redirection). */
    public record Token(Kind kind, String text, int start, int end, int fd) {
        public boolean is(String op) {
            return kind != Kind.WORD && text.equals(op);
        }
    }

    public enum Kind { WORD, OP, REDIRECT }

    /** The tokens of a line; {@code unfinished} is bash's complaint when a quote or $( is left open (else null). */
    public record Lexed(List<Token> tokens, String unfinished) {}

    /**
     * One redirection, applied in order as bash applies them: {@code fd op target}.
     * Ops: {@code >} (truncate), {@code >>} (append), {@code <} (read), {@code >&} (duplicate
     * the fd named by target onto fd), {@code &>} / {@code &>>} (stdout and stderr to a file).
     */
    public record Redirect(int fd, String op, Word target) {}

    /** A command of the tree; each kind may carry redirections. */
    public sealed interface Command permits Simple, If, For, While, Group {}

    public record Simple(List<Word> assignments, List<Word> words, List<Redirect> redirects) implements Command {}

    public record If(List<CommandList> conditions, List<CommandList> bodies, CommandList otherwise, List<Redirect> redirects) implements Command {}

    public record For(String name, List<Word> items, CommandList body, List<Redirect> redirects) implements Command {}

    public record While(CommandList condition, CommandList body, boolean until, List<Redirect> redirects) implements Command {}

    public record Group(CommandList body, List<Redirect> redirects) implements Command {}

    /** Commands joined by pipes; {@code !} negates the status. */
    public record Pipeline(boolean negate, List<Command> commands) {}

    /** Pipelines joined by {@code &&} / {@code ||}: ops.get(i) joins pipelines i and i+1. */
    public record AndOr(List<Pipeline> pipelines, List<String> ops, boolean background) {}

    public record CommandList(List<AndOr> items) {}

    private ShellSyntax() {}

    // ---------------------------------------------------------------- lexer

    private static final String META = " \t\r\n;&|()<>";

    /** Splits a line into tokens; an unfinished quote is noted in the result, never thrown. */
    public static Lexed lex(String line) {
        List<Token> out = new ArrayList<>();
        int n = line.length();
        int i = 0;
        String unfinished = null;
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            if (c == '#') {
                while (i < n && line.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '\n') {
                out.add(new Token(Kind.OP, "\n", i, i + 1, -1));
                i++;
                continue;
            }
            int r = redirectAt(line, i, -1);
            if (r > 0) {
                out.add(new Token(Kind.REDIRECT, line.substring(i, r), i, r, -1));
                i = r;
                continue;
            }
            if (META.indexOf(c) >= 0) {
                String op = line.startsWith("&&", i) ? "&&" : line.startsWith("||", i) ? "||" : line.startsWith(";;", i) ? ";;"
                        : line.startsWith("|&", i) ? "|&" : String.valueOf(c);
                out.add(new Token(Kind.OP, op, i, i + op.length(), -1));
                i += op.length();
                continue;
            }
            int start = i;
            String[] err = new String[1];
            i = scanWord(line, i, err);
            if (err[0] != null && unfinished == null) unfinished = err[0];
            String text = line.substring(start, i);
            // an io number: digits right before < or >
            if (text.chars().allMatch(Character::isDigit) && i < n && (line.charAt(i) == '<' || line.charAt(i) == '>')) {
                int rr = redirectAt(line, i, 0);
                if (rr > 0 && text.length() < 4) {
                    out.add(new Token(Kind.REDIRECT, line.substring(i, rr), start, rr, Integer.parseInt(text)));
                    i = rr;
                    continue;
                }
            }
            out.add(new Token(Kind.WORD, text, start, i, -1));
        }
        return new Lexed(out, unfinished);
    }

    private static final String[] REDIRECTS = {"&>>", "&>", ">>", ">&", ">|", "<&", "<<", "<>", ">", "<"};

    /** The end of a redirection operator at i, or -1. */
    private static int redirectAt(String line, int i, int unused) {
        for (String op : REDIRECTS) if (line.startsWith(op, i)) return i + op.length();
        return -1;
    }

    /** Scans one word from i; returns its end. An unclosed quote ends the word at the line's end. */
    private static int scanWord(String s, int i, String[] err) {
        int n = s.length();
        int start = i;
        while (i < n) {
            char c = s.charAt(i);
            // klpsim reads ( and ) inside a word as part of it, so `java machine.tasks().size()`
            // needs no quotes; bash rejects such a line, so no valid bash line reads differently
            if ((c == '(' || c == ')') && i > start) {
                i++;
                continue;
            }
            if (META.indexOf(c) >= 0) return i;
            i = scanUnit(s, i, err);
        }
        return i;
    }

    /** One quoting unit: 'x', "x", \x, $(...), $((...)), ${...}, `x`, or one plain character. */
    static int scanUnit(String s, int i, String[] err) {
        int n = s.length();
        char c = s.charAt(i);
        switch (c) {
            case '\\':
                return Math.min(n, i + 2);
            case '\'': {
                int end = s.indexOf('\'', i + 1);
                if (end < 0) {
                    err[0] = "unexpected EOF while looking for matching `''";
                    return n;
                }
                return end + 1;
            }
            case '"': {
                int j = i + 1;
                while (j < n) {
                    char d = s.charAt(j);
                    if (d == '"') return j + 1;
                    if (d == '\\') j = Math.min(n, j + 2);
                    else if (d == '$' || d == '`') j = scanUnit(s, j, err);
                    else j++;
                }
                err[0] = "unexpected EOF while looking for matching `\"'";
                return n;
            }
            case '`': {
                int j = i + 1;
                while (j < n && s.charAt(j) != '`') j += s.charAt(j) == '\\' ? 2 : 1;
                if (j >= n) {
                    err[0] = "unexpected EOF while looking for matching ``'";
                    return n;
                }
                return j + 1;
            }
            case '$': {
                if (i + 1 < n && s.charAt(i + 1) == '(') return closing(s, i + 2, '(', ')', err);
                if (i + 1 < n && s.charAt(i + 1) == '{') return closing(s, i + 2, '{', '}', err);
                return i + 1;
            }
            default:
                return i + 1;
        }
    }

    /** The index after the bracket closing one opened before {@code i}, skipping quotes. */
    private static int closing(String s, int i, char open, char close, String[] err) {
        int depth = 1, n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == close && --depth == 0) return i + 1;
            if (c == open) depth++;
            if (c == '\'' || c == '"' || c == '\\' || c == '`' || c == '$') i = scanUnit(s, i, err);
            else i++;
        }
        err[0] = "unexpected EOF while looking for matching `" + close + "'";
        return n;
    }

    // ---------------------------------------------------------------- parser

    /** Parses a whole script or line. An empty list means nothing to run. */
    public static CommandList parse(String text) throws SyntaxError {
        Lexed lx = lex(text);
        if (lx.unfinished() != null) throw new SyntaxError(lx.unfinished(), true);
        Parser p = new Parser(lx.tokens());
        CommandList l = p.list(List.of());
        if (p.pos < p.toks.size()) throw p.unexpected();
        return l;
    }

    /** Whether a word, as written, is a NAME=value assignment. */
    static boolean isAssignment(String raw) {
        int eq = raw.indexOf('=');
        return eq > 0 && raw.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    private static final List<String> RESERVED = List.of("if", "then", "elif", "else", "fi", "for", "in", "do", "done",
            "while", "until", "{", "}", "!", "case", "esac", "select", "function");

    private static final class Parser {
        final List<Token> toks;
        int pos;

        Parser(List<Token> toks) {
            this.toks = toks;
        }

        Token peek() {
            return pos < toks.size() ? toks.get(pos) : null;
        }

        boolean atWord(String w) {
            Token t = peek();
            return t != null && t.kind == Kind.WORD && t.text.equals(w);
        }

        boolean atOp(String op) {
            Token t = peek();
            return t != null && t.is(op);
        }

        void skipNewlines() {
            while (atOp("\n")) pos++;
        }

        SyntaxError unexpected() {
            Token t = peek();
            if (t == null) return new SyntaxError("syntax error: unexpected end of file", true);
            return new SyntaxError("syntax error near unexpected token `" + (t.text.equals("\n") ? "newline" : t.text) + "'");
        }

        /** A list up to (not including) one of the reserved words in {@code stops}, or the end. */
        CommandList list(List<String> stops) throws SyntaxError {
            List<AndOr> items = new ArrayList<>();
            while (true) {
                skipNewlines();
                Token t = peek();
                if (t == null) break;
                if (t.kind == Kind.WORD && stops.contains(t.text)) break;
                if (t.kind == Kind.OP && (t.text.equals(")") || t.text.equals(";;"))) throw unexpected();
                AndOr a = andOr();
                if (atOp("&")) {
                    pos++;
                    a = new AndOr(a.pipelines(), a.ops(), true);
                } else if (atOp(";")) {
                    pos++;
                } else if (!atOp("\n") && peek() != null && !(peek().kind == Kind.WORD && stops.contains(peek().text))) {
                    throw unexpected();
                }
                items.add(a);
            }
            return new CommandList(items);
        }

        AndOr andOr() throws SyntaxError {
            List<Pipeline> ps = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            ps.add(pipeline());
            while (atOp("&&") || atOp("||")) {
                ops.add(toks.get(pos++).text);
                skipNewlines();
                ps.add(pipeline());
            }
            return new AndOr(ps, ops, false);
        }

        Pipeline pipeline() throws SyntaxError {
            boolean negate = false;
            if (atWord("!")) {
                pos++;
                negate = true;
            }
            List<Command> cs = new ArrayList<>();
            cs.add(command());
            while (atOp("|") || atOp("|&")) {
                if (atOp("|&")) throw unexpected();
                pos++;
                skipNewlines();
                cs.add(command());
            }
            return new Pipeline(negate, cs);
        }

        Command command() throws SyntaxError {
            Token t = peek();
            if (t == null) throw unexpected();
            if (t.kind == Kind.WORD) {
                switch (t.text) {
                    case "if" -> {
                        pos++;
                        return ifCommand();
                    }
                    case "for" -> {
                        pos++;
                        return forCommand();
                    }
                    case "while", "until" -> {
                        pos++;
                        CommandList cond = list(List.of("do"));
                        expect("do");
                        CommandList body = list(List.of("done"));
                        expect("done");
                        return new While(cond, body, t.text.equals("until"), redirects());
                    }
                    case "{" -> {
                        pos++;
                        CommandList body = list(List.of("}"));
                        expect("}");
                        return new Group(body, redirects());
                    }
                    case "then", "elif", "else", "fi", "do", "done", "}", "in", "esac" -> throw unexpected();
                    default -> { }
                }
            }
            if (t.kind == Kind.OP) throw unexpected();
            return simple();
        }

        void expect(String word) throws SyntaxError {
            if (!atWord(word)) throw unexpected();
            pos++;
        }

        If ifCommand() throws SyntaxError {
            List<CommandList> conds = new ArrayList<>(), bodies = new ArrayList<>();
            CommandList otherwise = null;
            conds.add(list(List.of("then")));
            expect("then");
            bodies.add(list(List.of("elif", "else", "fi")));
            while (atWord("elif")) {
                pos++;
                conds.add(list(List.of("then")));
                expect("then");
                bodies.add(list(List.of("elif", "else", "fi")));
            }
            if (atWord("else")) {
                pos++;
                otherwise = list(List.of("fi"));
            }
            expect("fi");
            return new If(conds, bodies, otherwise, redirects());
        }

        For forCommand() throws SyntaxError {
            Token name = peek();
            if (name == null) throw unexpected();
            if (name.kind != Kind.WORD || !name.text.matches("[A-Za-z_][A-Za-z0-9_]*"))
                throw new SyntaxError("`" + name.text + "': not a valid identifier");
            pos++;
            List<Word> items = null;
            if (atOp(";")) pos++;
            skipNewlines();
            if (atWord("in")) {
                pos++;
                items = new ArrayList<>();
                while (peek() != null && peek().kind == Kind.WORD) {
                    Token w = toks.get(pos++);
                    items.add(new Word(w.text, w.start, w.end));
                }
                if (atOp(";") || atOp("\n")) pos++;
                else throw unexpected();
            }
            skipNewlines();
            expect("do");
            CommandList body = list(List.of("done"));
            expect("done");
            return new For(name.text, items == null ? List.of() : items, body, redirects());
        }

        List<Redirect> redirects() throws SyntaxError {
            List<Redirect> rs = new ArrayList<>();
            while (peek() != null && peek().kind == Kind.REDIRECT) rs.add(redirect());
            return rs;
        }

        Redirect redirect() throws SyntaxError {
            Token op = toks.get(pos++);
            Token target = peek();
            if (target == null || target.kind != Kind.WORD) {
                if (target == null) throw new SyntaxError("syntax error near unexpected token `newline'");
                throw unexpected();
            }
            pos++;
            Word w = new Word(target.text, target.start, target.end);
            int fd = op.fd;
            return switch (op.text) {
                case ">", ">|" -> new Redirect(fd < 0 ? 1 : fd, ">", w);
                case ">>" -> new Redirect(fd < 0 ? 1 : fd, ">>", w);
                case "<" -> new Redirect(fd < 0 ? 0 : fd, "<", w);
                case ">&" -> fd < 0 && !w.raw().matches("\\d+|-") ? new Redirect(1, "&>", w) : new Redirect(fd < 0 ? 1 : fd, ">&", w);
                case "&>" -> new Redirect(1, "&>", w);
                case "&>>" -> new Redirect(1, "&>>", w);
                case "<&" -> new Redirect(fd < 0 ? 0 : fd, ">&", w);
                default -> throw new SyntaxError("syntax error near unexpected token `" + op.text + "'");
            };
        }

        Simple simple() throws SyntaxError {
            List<Word> assigns = new ArrayList<>(), words = new ArrayList<>();
            List<Redirect> rs = new ArrayList<>();
            while (true) {
                Token t = peek();
                if (t == null) break;
                if (t.kind == Kind.REDIRECT) {
                    rs.add(redirect());
                    continue;
                }
                if (t.kind != Kind.WORD) {
                    if (t.is("(")) throw unexpected();
                    break;
                }
                if (words.isEmpty() && isAssignment(t.text)) assigns.add(new Word(t.text, t.start, t.end));
                else words.add(new Word(t.text, t.start, t.end));
                pos++;
            }
            if (assigns.isEmpty() && words.isEmpty() && rs.isEmpty()) throw unexpected();
            return new Simple(assigns, words, rs);
        }
    }

    /**
     * A word with its quotes and backslashes taken off but nothing expanded: what completion
     * completes ({@code $x} stays as written; expanding could run a command substitution).
     */
    /** {@code w} as one shell word: as it is when nothing in it is special, else single-quoted. */
    public static String quote(String w) {
        return w.matches("[A-Za-z0-9_./=,:+@%-]+") ? w : "'" + w.replace("'", "'\\''") + "'";
    }

    /**
     * The words of a line that is one simple command, unquoted (a transcript's {@code #!}
     * options: a path with a space is written quoted); throws SyntaxError for anything else.
     */
    public static List<String> simpleWords(String line) throws SyntaxError {
        CommandList parsed = parse(line);
        List<String> out = new ArrayList<>();
        if (parsed.items().isEmpty()) return out;
        if (parsed.items().size() == 1 && parsed.items().get(0).pipelines().size() == 1
                && !parsed.items().get(0).background()
                && parsed.items().get(0).pipelines().get(0).commands().size() == 1
                && parsed.items().get(0).pipelines().get(0).commands().get(0) instanceof Simple cmd
                && cmd.assignments().isEmpty() && cmd.redirects().isEmpty()) {
            for (Word w : cmd.words()) out.add(unquote(w.raw()));
            return out;
        }
        throw new SyntaxError("not a list of words: " + line);
    }

    public static String unquote(String raw) {
        return unquote(raw, java.util.Map.of());
    }

    /**
     * The same, with {@code $NAME} and {@code ${NAME}} outside single quotes read from
     * {@code vars} (completion sees {@code $P/ker} as execution would); {@code $(...)} is
     * left as written, since expanding it would run a command.
     */
    public static String unquote(String raw, java.util.Map<String, String> vars) {
        StringBuilder sb = new StringBuilder();
        int n = raw.length();
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '\\') {
                if (i + 1 < n) sb.append(raw.charAt(++i));
            } else if (c == '\'') {
                int end = raw.indexOf('\'', i + 1);
                if (end < 0) end = n;
                sb.append(raw, i + 1, end);
                i = end;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < n && raw.charAt(j) != '"'; j++) {
                    if (raw.charAt(j) == '\\' && j + 1 < n && "$`\"\\".indexOf(raw.charAt(j + 1)) >= 0) j++;
                    else if (raw.charAt(j) == '$') {
                        int end = varEnd(raw, j);
                        if (end > 0) {
                            sb.append(vars.getOrDefault(varName(raw, j, end), ""));
                            j = end - 1;
                            continue;
                        }
                    }
                    sb.append(raw.charAt(j));
                }
                i = j;
            } else if (c == '$' && varEnd(raw, i) > 0) {
                int end = varEnd(raw, i);
                sb.append(vars.getOrDefault(varName(raw, i, end), ""));
                i = end - 1;
            } else sb.append(c);
        }
        return sb.toString();
    }

    /** The end of $NAME or ${NAME} at i, or -1. */
    private static int varEnd(String s, int i) {
        int j = i + 1;
        boolean braced = j < s.length() && s.charAt(j) == '{';
        if (braced) j++;
        int start = j;
        while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
        if (j == start || Character.isDigit(s.charAt(start))) return -1;
        if (braced) return j < s.length() && s.charAt(j) == '}' ? j + 1 : -1;
        return j;
    }

    private static String varName(String s, int i, int end) {
        return s.charAt(i + 1) == '{' ? s.substring(i + 2, end - 1) : s.substring(i + 1, end);
    }

    /** Reserved words in command position (for completion and help). */
    public static List<String> reservedWords() {
        return RESERVED;
    }
}
