package dev.klpsim.shell;

import dev.klpsim.Sim;
import org.jline.console.CmdDesc;
import org.jline.reader.Parser;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11: the console's parser is the shell's lexer, and its command descriptions come from the models. */
class ConsoleModelTest {
    private final ShellParser parser = new ShellParser(Map.of("P", "/sys"));

    private ShellParser.Line at(String line) {
        return parser.parse(line, line.length(), Parser.ParseContext.COMPLETE);
    }

    @Test
    void theWordsAreThoseOfTheCommandTheCursorIsIn() {
        ShellParser.Line l = at("dmesg | grep -c live");
        assertEquals(List.of("grep", "-c", "live"), l.words());
        assertEquals(2, l.wordIndex());
        assertEquals("live", l.word());
        l = at("lsmod && klp ");
        assertEquals(List.of("klp", ""), l.words());
        assertEquals(1, l.wordIndex());
    }

    @Test
    void aRedirectionTargetIsMarkedAndLeftOutOfTheWords() {
        ShellParser.Line l = at("echo 0 >/sys/kernel/livepatch/");
        assertTrue(l.redirectTarget());
        assertEquals("/sys/kernel/livepatch/", l.word());
        l = at("echo 0 > /sys/ke");
        assertTrue(l.redirectTarget());
        assertEquals("/sys/ke", l.word());
        l = at("echo 0 >/dev/null x");
        assertFalse(l.redirectTarget());
        assertEquals(List.of("echo", "0", "x"), l.words());
        l = at("cat 2>&1 /pr");
        assertFalse(l.redirectTarget(), "2>&1 takes no file");
        assertEquals(List.of("cat", "/pr"), l.words());
    }

    @Test
    void quotesAndVariablesAreReadAsExecutionReadsThem() {
        ShellParser.Line l = at("cat '/proc/cm");
        assertEquals("/proc/cm", l.word());
        assertEquals("'/proc/cmdline'", l.escape("/proc/cmdline", true).toString());
        l = at("ls $P/ker");
        assertEquals("/sys/ker", l.word());
        l = at("cat a\\ b");
        assertEquals("a b", l.word());
        assertEquals("a\\ b\\ c", l.escape("a b c", true).toString());
    }

    @Test
    void theCursorInsideTheLineSelectsItsWord() {
        String line = "klp show test_klp_livepatch";
        ShellParser.Line l = parser.parse(line, 6, Parser.ParseContext.COMPLETE);
        assertEquals(1, l.wordIndex());
        assertEquals("show", l.word());
        assertEquals(2, l.wordCursor());
        assertEquals(List.of("klp", "show", "test_klp_livepatch"), l.words());
    }

    @Test
    void descriptionsComeFromTheModelsAndLeaveTheCommandsWorking() {
        Sim s = new Sim();
        CommandDescriptions d = new CommandDescriptions(s.sh);
        CmdDesc klpShow = d.describe(List.of("klp", "show", "x"));
        assertEquals("klp show [-h] PATCH", klpShow.getMainDesc().get(0).toString());
        assertTrue(klpShow.getOptsDesc().containsKey("-h --help"), klpShow.getOptsDesc().toString());
        CmdDesc wait = d.describe(List.of("klp", "wait", ""));
        assertTrue(wait.getOptsDesc().containsKey("--timeout=SECONDS"), wait.getOptsDesc().toString());
        CmdDesc modprobe = d.describe(List.of("modprobe", "x"));
        assertEquals(List.of("modprobe [-r] [-f] MODULE [param=value...]", "load (or with -r remove; -f: remove with O_TRUNC) a module by name"),
                modprobe.getMainDesc().stream().map(AttributedString::toString).toList());
        assertNull(d.describe(List.of("nosuchcommand")));
        // the registry adopts models of its own: the shell's commands still run as before
        assertEquals("klp: Unmatched argument at index 2: 'y'", s.run("klp show x y").get(0));
        assertEquals(List.of("no livepatches loaded"), s.ok("klp list"));
    }
}
