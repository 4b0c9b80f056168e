package dev.klpsim.shell;

import dev.klpsim.Sim;
import dev.klpsim.text.Plural;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #26: a count of one takes the singular ("1 transition", not "1 transitions"). */
class PluralTest {
    @Test
    void plural() {
        assertEquals("1 transition", Plural.of(1, "transition"));
        assertEquals("0 shadow variables", Plural.of(0, "shadow variable"));
        assertEquals("2 tasks were", Plural.of(2, "task was", "tasks were"));
    }

    @Test
    void oneTransitionInTheExportsAndOneCommandInTheRecording(@TempDir Path dir) throws Exception {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        Path json = dir.resolve("t.json"), html = dir.resolve("t.html"), rec = dir.resolve("r.klpt");
        assertTrue(s.ok("trace export " + json).get(0).matches("trace: wrote .* \\(\\d+ events, 1 transition, \\d+ task tracks\\)"));
        s.ok("trace export " + html);
        assertTrue(Files.readString(html).contains(" steps, 1 transition, 0 shadow variables. "), "the HTML page's summary");
        Sim one = new Sim();
        one.ok("echo x", "record " + rec);
        assertTrue(one.ok("record stop").get(0).contains(" (1 command); check it"), "record counts the session's one command");
    }
}
