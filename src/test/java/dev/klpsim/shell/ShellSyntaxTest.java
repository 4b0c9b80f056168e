package dev.klpsim.shell;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShellSyntaxTest {
    private static List<ShellSyntax.Pipeline> parse(String s) throws ShellSyntax.SyntaxError {
        return ShellSyntax.parse(s, 3, Map.of("HOME", "/root"));
    }

    @Test
    void quotesAndEscapesMakeOneWord() throws Exception {
        var p = parse("grep 'live patched' \"/proc/cm\"dline a\\ b");
        assertEquals(List.of("grep", "live patched", "/proc/cmdline", "a b"), p.get(0).commands.get(0).words);
    }

    @Test
    void redirectionsAndOperators() throws Exception {
        var p = parse("echo 0 > /sys/x 2>&1 && cat /a | grep b; sleep 1 &");
        assertEquals(3, p.size());
        var echo = p.get(0).commands.get(0);
        assertEquals(List.of("echo", "0"), echo.words);
        assertEquals(new ShellSyntax.Redirect(1, ">", "/sys/x"), echo.redirects.get(0));
        assertEquals(new ShellSyntax.Redirect(2, ">&", "1"), echo.redirects.get(1));
        assertEquals("&&", p.get(1).connector);
        assertEquals(2, p.get(1).commands.size());
        assertTrue(p.get(2).background);
    }

    @Test
    void aDigitInsideAWordIsNotAFileDescriptor() throws Exception {
        var p = parse("echo a2>b");
        assertEquals(List.of("echo", "a2"), p.get(0).commands.get(0).words);
        assertEquals(new ShellSyntax.Redirect(1, ">", "b"), p.get(0).commands.get(0).redirects.get(0));
    }

    @Test
    void statusAndVariablesExpandButNotInSingleQuotes() throws Exception {
        assertEquals(List.of("echo", "3", "/root", "$HOME"), parse("echo $? $HOME '$HOME'").get(0).commands.get(0).words);
    }

    @Test
    void commentsAndBlankLines() throws Exception {
        assertEquals(0, parse("   # nothing").size());
        assertEquals(List.of("ls"), parse("ls # the rest").get(0).commands.get(0).words);
    }

    @Test
    void errorsReadLikeBash() {
        assertEquals("unexpected EOF while looking for matching `''", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("echo 'x")).getMessage());
        assertEquals("syntax error near unexpected token `newline'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("echo >")).getMessage());
        assertEquals("syntax error near unexpected token `|'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("| cat")).getMessage());
        assertEquals("syntax error near unexpected token `;'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse(";;")).getMessage());
        assertEquals("syntax error near unexpected token `newline'", assertThrows(ShellSyntax.SyntaxError.class, () -> parse("ls &&")).getMessage());
    }
}
