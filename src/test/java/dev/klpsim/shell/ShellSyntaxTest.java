package dev.klpsim.shell;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShellSyntaxTest {
    private static ShellSyntax.CommandList parse(String s) throws ShellSyntax.SyntaxError {
        return ShellSyntax.parse(s);
    }

    private static ShellSyntax.Simple first(ShellSyntax.CommandList l) {
        return (ShellSyntax.Simple) l.items().get(0).pipelines().get(0).commands().get(0);
    }

    private static List<String> raw(List<ShellSyntax.Word> ws) {
        return ws.stream().map(ShellSyntax.Word::raw).toList();
    }

    @Test
    void wordsStayAsWrittenWithTheirPositions() throws Exception {
        String line = "grep 'live patched' \"/proc/cm\"dline a\\ b $(echo x y) `z`";
        var s = first(parse(line));
        assertEquals(List.of("grep", "'live patched'", "\"/proc/cm\"dline", "a\\ b", "$(echo x y)", "`z`"), raw(s.words()));
        for (ShellSyntax.Word w : s.words()) assertEquals(w.raw(), line.substring(w.start(), w.end()));
    }

    @Test
    void redirectionsKeepTheirOrder() throws Exception {
        var s = first(parse("echo hi >&2 2>/dev/null"));
        assertEquals(List.of(new ShellSyntax.Redirect(1, ">&", new ShellSyntax.Word("2", 10, 11)),
                new ShellSyntax.Redirect(2, ">", new ShellSyntax.Word("/dev/null", 14, 23))), s.redirects());
        assertEquals("&>", first(parse("ls &>f")).redirects().get(0).op());
        assertEquals("&>", first(parse("ls >&f")).redirects().get(0).op());
        assertEquals(2, first(parse("ls 2>>f")).redirects().get(0).fd());
    }

    @Test
    void aDigitInsideAWordIsNotAFileDescriptor() throws Exception {
        var s = first(parse("echo a2>b"));
        assertEquals(List.of("echo", "a2"), raw(s.words()));
        assertEquals(1, s.redirects().get(0).fd());
    }

    @Test
    void listsAndOrAndBackground() throws Exception {
        var l = parse("echo 0 > /sys/x 2>&1 && cat /a | grep b; sleep 1 & x=1 y=2");
        assertEquals(3, l.items().size());
        assertEquals(List.of("&&"), l.items().get(0).ops());
        assertEquals(2, l.items().get(0).pipelines().get(1).commands().size());
        assertTrue(l.items().get(1).background());
        var assign = (ShellSyntax.Simple) l.items().get(2).pipelines().get(0).commands().get(0);
        assertEquals(List.of("x=1", "y=2"), raw(assign.assignments()));
        assertTrue(assign.words().isEmpty());
    }

    @Test
    void compoundCommands() throws Exception {
        var l = parse("for i in 1 $x; do echo $i; done; if true; then a; elif b; then c; else d; fi\nwhile false; do :; done > /f");
        var f = assertInstanceOf(ShellSyntax.For.class, l.items().get(0).pipelines().get(0).commands().get(0));
        assertEquals("i", f.name());
        assertEquals(List.of("1", "$x"), raw(f.items()));
        var i = assertInstanceOf(ShellSyntax.If.class, l.items().get(1).pipelines().get(0).commands().get(0));
        assertEquals(2, i.conditions().size());
        assertFalse(i.otherwise().items().isEmpty());
        var w = assertInstanceOf(ShellSyntax.While.class, l.items().get(2).pipelines().get(0).commands().get(0));
        assertEquals(1, w.redirects().size());
        // a reserved word after a command's name is an argument
        assertEquals(List.of("echo", "done", "fi"), raw(first(parse("echo done fi")).words()));
    }

    @Test
    void parenthesesInsideAWordArePartOfIt() throws Exception {
        assertEquals(List.of("java", "machine.task(412).comm"), raw(first(parse("java machine.task(412).comm")).words()));
        assertEquals(List.of("echo", "$(seq 1 2)"), raw(first(parse("echo $(seq 1 2); ls")).words()));
    }

    @Test
    void commentsAndBlankLines() throws Exception {
        assertEquals(0, parse("   # nothing").items().size());
        assertEquals(List.of("ls"), raw(first(parse("ls # the rest")).words()));
        assertEquals(List.of("echo", "a#b"), raw(first(parse("echo a#b")).words()));
    }

    @Test
    void lexingNeverThrowsAndSaysWhatIsUnfinished() {
        var lx = ShellSyntax.lex("echo 'abc");
        assertEquals("unexpected EOF while looking for matching `''", lx.unfinished());
        assertEquals("'abc", lx.tokens().get(1).text());
        assertEquals("unexpected EOF while looking for matching `)'", ShellSyntax.lex("echo $(ls").unfinished());
    }

    @Test
    void errorsReadLikeBash() {
        assertEquals("unexpected EOF while looking for matching `''", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("echo 'x")).getMessage());
        assertEquals("syntax error near unexpected token `newline'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("echo >")).getMessage());
        assertEquals("syntax error near unexpected token `|'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("| cat")).getMessage());
        assertEquals("syntax error near unexpected token `;;'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse(";;")).getMessage());
        assertEquals("syntax error near unexpected token `;'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("; ls")).getMessage());
        assertEquals("syntax error near unexpected token `fi'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("if true; then echo; fi fi")).getMessage());
        assertEquals("syntax error near unexpected token `done'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("done")).getMessage());
        assertEquals("syntax error near unexpected token `('", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("(echo hi)")).getMessage());
        var eof = assertThrows(ShellSyntax.SyntaxError.class, () -> parse("for x in 1; do"));
        assertEquals("syntax error: unexpected end of file", eof.getMessage());
        assertTrue(eof.incomplete);
        assertTrue(assertThrows(ShellSyntax.SyntaxError.class, () -> parse("ls &&")).incomplete);
    }
}
