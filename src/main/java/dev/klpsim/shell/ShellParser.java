package dev.klpsim.shell;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Parser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JLine's view of a command line, read by {@link ShellSyntax}'s own lexer, so that Tab
 * completion and the console's command descriptions see the words execution will see:
 * {@code echo 0 >/sys/kernel/livepatch/<Tab>} completes a path, {@code dmesg | grep <Tab>}
 * completes grep's arguments. A thin adapter: all lexing is ShellSyntax's.
 */
final class ShellParser implements Parser {
    private static final Set<String> SEPARATORS = Set.of("|", ";", "&&", "||", "&", "\n", "|&", "(", ")", ";;");
    private static final Set<String> FD_DUPS = Set.of("2>&1", ">&2");
    private static final String SPECIAL = " \t\\'\"$|&;<>()*?[]#~{}!`";

    private final Map<String, String> env;

    ShellParser(Map<String, String> env) {
        this.env = env;
    }

    /** The simple command the cursor is in; {@code redirectTarget} when the word is the file of a redirection. */
    record Line(String line, int cursor, List<String> words, int wordIndex, String word, int wordCursor,
                int rawWordCursor, int rawWordLength, char openQuote, boolean redirectTarget) implements CompletingParsedLine {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            String c = candidate.toString();
            if (openQuote != 0) return openQuote + c + (complete ? String.valueOf(openQuote) : "");
            StringBuilder sb = new StringBuilder();
            for (char ch : c.toCharArray()) {
                if (SPECIAL.indexOf(ch) >= 0) sb.append('\\');
                sb.append(ch);
            }
            return sb;
        }
    }

    @Override
    public Line parse(String line, int cursor, ParseContext context) {
        char quote = 0;
        List<ShellSyntax.Token> toks = lex(line);
        if (toks == null) {
            // an open quote while typing: read the line as if it were closed
            for (char q : new char[] {'\'', '"'}) {
                toks = lex(line + q);
                if (toks != null) {
                    quote = q;
                    break;
                }
            }
        }
        if (toks == null) toks = List.of();
        List<String> words = new ArrayList<>();
        int wordIndex = -1;
        String word = "";
        int wordCursor = 0, rawCursor = 0, rawLength = 0;
        boolean redirect = false, afterRedirectOp = false, cursorSeen = false;
        for (ShellSyntax.Token t : toks) {
            boolean op = t.kind() != ShellSyntax.Kind.WORD;
            boolean atCursor = !op && t.start() <= cursor && cursor <= Math.min(t.end(), line.length());
            if (!cursorSeen && (atCursor || t.start() >= cursor)) {
                cursorSeen = true;
                wordIndex = words.size();
                redirect = afterRedirectOp;
                if (atCursor) {
                    word = ShellSyntax.unquote(t.text(), env);
                    wordCursor = unquoted(line.substring(t.start(), cursor), quote).length();
                    rawCursor = cursor - t.start();
                    rawLength = Math.min(t.end(), line.length()) - t.start();
                    afterRedirectOp = false;
                    if (!redirect) words.add(word);
                    continue;
                }
                words.add("");
                if (redirect) words.remove(words.size() - 1);
            }
            if (op) {
                if (SEPARATORS.contains(t.text())) {
                    if (cursorSeen) break;
                    words.clear();
                    afterRedirectOp = false;
                } else afterRedirectOp = !FD_DUPS.contains(t.text());
                continue;
            }
            if (afterRedirectOp) {
                afterRedirectOp = false;
                continue;
            }
            words.add(ShellSyntax.unquote(t.text(), env));
        }
        if (!cursorSeen) {
            wordIndex = words.size();
            redirect = afterRedirectOp;
            if (!redirect) words.add("");
        }
        if (redirect) return new Line(line, cursor, List.of(word), 0, word, wordCursor, rawCursor, rawLength, quote, true);
        return new Line(line, cursor, words, wordIndex, word, wordCursor, rawCursor, rawLength, quote, false);
    }

    private List<ShellSyntax.Token> lex(String line) {
        ShellSyntax.Lexed lx = ShellSyntax.lex(line);
        return lx.unfinished() == null ? lx.tokens() : null;
    }

    /** The text of a word's raw prefix once its quotes and backslashes are taken off. */
    private String unquoted(String raw, char openQuote) {
        List<ShellSyntax.Token> t = lex(openQuote == 0 ? raw : raw + openQuote);
        return t == null || t.isEmpty() ? "" : ShellSyntax.unquote(t.get(0).text(), env);
    }
}
