package dev.klpsim.shell;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #21: what record and trace export write, and what they never destroy or leave out. */
class RecordWriteTest {
    @Test
    void aFileThatAppearedAfterRecordStartedIsNotReplaced(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.klpt");
        Sim s = new Sim();
        s.ok("record " + f);
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        Files.writeString(f, "another session's recording\n");   // a second shell recording to the same name
        List<String> out = s.run("record stop");
        assertNotEquals(0, s.status);
        assertEquals("another session's recording\n", Files.readString(f));
        assertTrue(String.join("\n", out).contains("File exists"), out.toString());
        try (var left = Files.list(dir)) {
            assertEquals(List.of(f), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void forceAtTheStartAllowsTheReplace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.klpt");
        Files.writeString(f, "old\n");
        Sim s = new Sim();
        s.ok("record --force " + f);
        s.ok("lsmod");
        s.ok("record stop");
        assertTrue(Files.readString(f).contains("% lsmod"));
    }

    @Test
    void traceExportDoesNotReplaceAFileThatAppeared(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "mine\n");
        Sim s = new Sim();
        s.run("trace export " + f);
        assertNotEquals(0, s.status);
        assertEquals("mine\n", Files.readString(f));
    }

    @Test
    void onlyALineThatIsOneObserverCommandIsLeftOut() {
        assertTrue(Session.isObserver("record status"));
        assertTrue(Session.isObserver("  klp explore --depth 3 "));
        assertTrue(Session.isObserver("'record' stop"));
        assertFalse(Session.isObserver("record status; insmod test_modules/test_klp_livepatch.ko"), "the insmod runs: a replay needs it");
        assertFalse(Session.isObserver("record status && lsmod"));
        assertFalse(Session.isObserver("record status | grep x"));
        assertFalse(Session.isObserver("recorder"));
        assertFalse(Session.isObserver("klp list"));
    }

    @Test
    void theInsmodAfterAnObserverOnOneLineIsRecorded(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.klpt");
        Sim s = new Sim();
        s.ok("record " + f);
        s.ok("record status; insmod test_modules/test_klp_livepatch.ko");
        s.ok("record stop");
        assertTrue(Files.readString(f).contains("% record status; insmod test_modules/test_klp_livepatch.ko"), Files.readString(f));
    }

    @Test
    void commandsPastTheLimitAreCountedNotDroppedSilently(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("long.klpt");
        Sim s = new Sim();
        s.ok("record " + f);
        for (int i = 0; i < Session.maxSteps() + 2; i++) s.run("true");
        List<String> out = s.run("record stop");
        assertTrue(out.contains("record: 2 commands after the first 100,000 of this session are not in the recording"), out.toString());
    }

    @Test
    void aHostPathWithASpaceIsQuotedInTheHashBangLineAndReadBack(@TempDir Path dir) throws Exception {
        Path mods = Files.createDirectories(dir.resolve("my modules"));
        Path f = dir.resolve("s.klpt");
        Sim s = new Sim();
        s.sh.modulePath().add(mods.toString());
        s.ok("record " + f);
        s.ok("lsmod");
        s.ok("record stop");
        String text = Files.readString(f);
        assertTrue(text.startsWith("#! --module-path 'my modules'\n"), text);
        assertEquals(List.of("--module-path", "my modules"), dev.klpsim.transcript.Transcript.parse(text).options);
    }
}
