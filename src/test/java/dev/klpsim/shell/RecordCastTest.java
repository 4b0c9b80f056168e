package dev.klpsim.shell;

import dev.klpsim.Sim;
import dev.klpsim.cast.CastFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #26: record --cast FILE.cast writes the session as its terminal showed it, in asciicast v2. */
class RecordCastTest {
    @Test
    void theTerminalIsRecordedAsAsciicastV2(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("session.cast");
        Sim s = new Sim();
        s.ok("echo before");
        assertEquals(List.of("record: recording the terminal to " + f + " (asciicast v2); 'record stop' ends it"), s.ok("record --cast " + f));
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        s.run("nosuch");
        assertEquals(List.of("recording the terminal to " + f), s.ok("record status"));
        List<String> stop = s.ok("record stop");
        assertEquals(1, stop.size());
        assertTrue(stop.get(0).matches("record: wrote " + java.util.regex.Pattern.quote(f.toString()) + " \\(\\d+\\.\\d s\\); play it with: asciinema play .*"), stop.get(0));
        assertEquals(List.of("not recording"), s.ok("record status"));

        CastFiles.Cast c = CastFiles.validate(f);
        assertEquals(2.0, c.header().get("idle_time_limit").asDouble(), "long pauses at the prompt play shorter");
        String text = c.text();
        assertTrue(text.startsWith("[0.000000] ~ # insmod test_modules/test_klp_livepatch.ko\r\n"
                + "\u001b[36mtest_klp_livepatch: tainting kernel with TAINT_LIVEPATCH\u001b[0m\r\n"), "the prompt, the command, its coloured output: " + text);
        assertTrue(text.contains("[0.000000] ~ # nosuch\r\n\u001b[31mbash: nosuch: command not found\u001b[0m\r\n"), text);
        assertTrue(text.endsWith("~ # record stop\r\n"), text);
        assertTrue(!text.contains("before") && !text.contains("(asciicast v2)"), "only what came after record --cast: " + text);
        assertEquals(text, CastFiles.asciinemaCat(f));

        // an existing file is kept unless --force
        assertEquals(List.of("record: " + f + " exists; add --force to overwrite it"), s.run("record --cast " + f));
        assertEquals(1, s.status);
        s.ok("record --cast " + f + " --force", "record stop");
        assertTrue(CastFiles.validate(f).text().endsWith("~ # record stop\r\n"));
    }

    @Test
    void aTranscriptAndACastAtOnceAndTheSessionEndWritesBoth(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("s.klpt"), c = dir.resolve("s.cast");
        Sim s = new Sim();
        s.ok("record " + t + " --cast " + c, "echo hello");
        assertEquals(2, s.ok("record status").size());
        s.sh.finish();
        assertTrue(CastFiles.validate(c).text().contains("echo hello\r\nhello\r\n"));
        assertTrue(java.nio.file.Files.readString(t).contains("% echo hello\nhello\n"));
    }
}
