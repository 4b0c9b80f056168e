package dev.klpsim.c;

import dev.klpsim.c.parser.CLexer;
import dev.klpsim.c.parser.CParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Parses preprocessed C with the parser ANTLR generates from grammars-v4's C.g4, and words
 * a syntax error as gcc does: {@code expected ';' before '}' token} at the end of the token
 * after which the ';' is missing, else {@code expected X before Y} at the offending token.
 */
final class CSyntax {
    private CSyntax() {}

    static CParser.CompilationUnitContext parse(Preprocessed pre, Positions pos) throws CError {
        CLexer lexer = new CLexer(CharStreams.fromString(pre.text)) {
            /**
             * C.g4's AsmBlock rule (MSVC's `asm { ... }`) also matches an identifier that
             * starts with "asm" (asm_init) up to the next braces, hiding a whole function:
             * such a token is lexed again as the identifier it is.
             */
            @Override
            public Token nextToken() {
                Token t = super.nextToken();
                if (t.getType() != CLexer.AsmBlock) return t;
                String s = t.getText();
                int n = 3;
                while (n < s.length() && (Character.isLetterOrDigit(s.charAt(n)) || s.charAt(n) == '_')) n++;
                if (n == 3) return t;
                int start = t.getStartIndex();
                getInputStream().seek(start + n);
                org.antlr.v4.runtime.CommonToken id = new org.antlr.v4.runtime.CommonToken(new org.antlr.v4.runtime.misc.Pair<>(this, getInputStream()),
                        CLexer.Identifier, Token.DEFAULT_CHANNEL, start, start + n - 1);
                id.setText(s.substring(0, n));
                id.setLine(t.getLine());
                id.setCharPositionInLine(t.getCharPositionInLine());
                setLine(t.getLine());
                setCharPositionInLine(t.getCharPositionInLine() + n);
                return id;
            }
        };
        lexer.removeErrorListeners();
        String[] error = {null};
        lexer.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
                if (error[0] == null) error[0] = pos.error(pre.line(offset(pre.text, line, col)), pre.charIndex(offset(pre.text, line, col)), "stray character in program", null, null);
            }
        });
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        CParser parser = new CParser(tokens);
        parser.removeErrorListeners();
        // SLL first (fast); a failure there is retried with full LL before it is an error
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new org.antlr.v4.runtime.BailErrorStrategy());
        try {
            CParser.CompilationUnitContext cu = parser.compilationUnit();
            if (error[0] != null) throw new CError(error[0]);
            return cu;
        } catch (ParseCancellationException sllFailed) {
            // fall through
        }
        tokens.seek(0);
        parser.reset();
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        parser.setErrorHandler(new org.antlr.v4.runtime.DefaultErrorStrategy());
        parser.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
                if (error[0] != null) return;
                Parser p = (Parser) r;
                Token at = (Token) sym;
                IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : p.getExpectedTokens();
                error[0] = message(pre, pos, p, at, expected);
            }
        });
        CParser.CompilationUnitContext cu = parser.compilationUnit();
        if (error[0] != null) throw new CError(error[0]);
        return cu;
    }

    private static int offset(String text, int line, int col) {
        int off = 0;
        for (int l = 1; l < line; l++) off = text.indexOf('\n', off) + 1;
        return off + col;
    }

    private static String message(Preprocessed pre, Positions pos, Parser p, Token at, IntervalSet expected) {
        String before = before(at);
        String fn = null;
        for (org.antlr.v4.runtime.RuleContext c = p.getContext(); c != null; c = c.parent)
            if (c instanceof CParser.FunctionDefinitionContext fd && fd.declarator() != null) fn = CLoader.name(fd.declarator());
        if (expected.contains(CLexer.Semi)) {
            Token prev = previous(p, at);
            if (prev != null) {
                int end = prev.getStopIndex() + 1;
                // gcc places a missing ';' right after the token it follows
                int line = pre.line(prev.getStartIndex());
                int ch = pre.charIndex(prev.getStartIndex()) + (end - prev.getStartIndex());
                return pos.error(line, ch, "expected ';' " + before, fn, ";");
            }
        }
        String what;
        if (expected.contains(CLexer.Identifier) && expected.contains(CLexer.Constant)) what = "expression";
        else if (expected.contains(CLexer.RightParen)) what = "')'";
        else if (expected.contains(CLexer.RightBrace)) what = "'}'";
        else if (expected.contains(CLexer.RightBracket)) what = "']'";
        else if (expected.contains(CLexer.Identifier)) what = "identifier";
        else what = "declaration specifiers";
        return pos.error(pre.line(at.getStartIndex()), pre.charIndex(at.getStartIndex()), "expected " + what + " " + before, fn, null);
    }

    private static Token previous(Parser p, Token at) {
        var ts = (CommonTokenStream) p.getInputStream();
        for (int i = at.getTokenIndex() - 1; i >= 0; i--) {
            Token t = ts.get(i);
            if (t.getChannel() == Token.DEFAULT_CHANNEL) return t;
        }
        return null;
    }

    /** gcc's "before 'return'", "before '}' token", "before numeric constant", "at end of input". */
    private static String before(Token t) {
        if (t.getType() == Token.EOF) return "at end of input";
        String s = t.getText();
        if (t.getType() == CLexer.Constant) return s.startsWith("'") ? "before character constant" : "before numeric constant";
        if (t.getType() == CLexer.StringLiteral) return "before string constant";
        if (Character.isJavaIdentifierStart(s.charAt(0))) return "before '" + s + "'";
        return "before '" + s + "' token";
    }

    /** Maps positions in the module's file to gcc diagnostics; knows which function a line is in. */
    interface Positions {
        /** {@code function}: gcc's "In function" (null outside one); {@code fixit}: gcc's suggested insertion, or null. */
        String error(int line, int charIndex, String message, String function, String fixit);
    }
}
