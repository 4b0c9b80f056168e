package dev.klpsim.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history file: where it is, that it is private, and that a bad one costs one line. */
class SessionHistoryTest {
    @TempDir Path dir;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private SessionHistory attached(Path file) throws IOException {
        SessionHistory h = new SessionHistory(file, new PrintStream(err, true, StandardCharsets.UTF_8));
        DumbTerminal t = new DumbTerminal(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        LineReader r = LineReaderBuilder.builder().terminal(t).variable(LineReader.HISTORY_FILE, file).history(h).build();
        h.attach(r);
        return h;
    }

    @Test
    void keptInTheEnvironmentsHomeOrTheXdgStateDirectory() {
        assertEquals(Path.of("/home/u/.klpsim_history"), SessionHistory.location(Map.of("HOME", "/home/u")));
        assertEquals(Path.of("/s/klpsim/history"), SessionHistory.location(Map.of("HOME", "/home/u", "XDG_STATE_HOME", "/s")));
        // a relative XDG_STATE_HOME is invalid by the XDG spec and ignored
        assertEquals(Path.of("/home/u/.klpsim_history"), SessionHistory.location(Map.of("HOME", "/home/u", "XDG_STATE_HOME", "rel")));
    }

    @Test
    void aNewHistoryFileIsPrivateToTheUserAsBashMakesIt() throws IOException {
        Path file = dir.resolve("state/klpsim/history");
        SessionHistory h = attached(file);
        h.add("insmod test_klp_livepatch.ko");
        h.save();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertTrue(Files.readString(file).contains("insmod test_klp_livepatch.ko"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedOnceWithoutATrace() throws IOException {
        Path notADir = Files.writeString(dir.resolve("plain"), "x");   // fails for root too
        Path file = notADir.resolve(".klpsim_history");
        SessionHistory h = attached(file);
        for (int i = 0; i < 3; i++) {
            h.add("echo " + i);
            h.save();
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(h.failed());
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.contains(file + ": Not a directory"), said);
        assertFalse(said.contains("Exception"), said);
        assertEquals(3, h.size(), "the session keeps its history in memory");
    }
}
