package dev.klpsim.cast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #26: the asciicast v2 writer, read back by an independent JSON parser and by asciinema itself. */
class AsciiCastTest {
    @Test
    void headerAndEventsAreAsciicastV2AndEveryCharacterSurvives(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.cast");
        String nasty = "quote \" backslash \\ tab \t bell \u0007 esc \u001b[1m del \u007f é ✓ 𝄞";
        try (AsciiCast c = AsciiCast.create(f, new AsciiCast.Header(91, 27, 1796000000L, "a \"title\"", null))) {
            c.output(0.5, "first line\n");
            c.output(0.25, nasty); // earlier than the last event: kept in order, at the last event's time
            c.output(2, "\r\nend\n");
        }
        CastFiles.Cast cast = CastFiles.validate(f);
        assertEquals(91, cast.header().get("width").asInt());
        assertEquals(27, cast.header().get("height").asInt());
        assertEquals(1796000000L, cast.header().get("timestamp").asLong());
        assertEquals("a \"title\"", cast.header().get("title").asText());
        assertFalse(cast.header().has("idle_time_limit"));
        assertEquals(3, cast.events().size());
        assertEquals(0.5, cast.events().get(1).time());
        // a newline is sent as the terminal sent it (ONLCR): CR LF, and a CR LF stays one
        assertEquals("first line\r\n" + nasty + "\r\nend\r\n", cast.text());
        assertTrue(Files.readString(f).lines().allMatch(l -> l.chars().noneMatch(ch -> ch < 0x20)), "one JSON value per line");
        assertEquals(cast.text(), CastFiles.asciinemaCat(f));
    }

    @Test
    void paintResetsBeforeTheNewline() {
        assertEquals("\u001b[31merr\u001b[0m\n", Sgr.paint("err\n", Sgr.STDERR, true));
        assertEquals("err\n", Sgr.paint("err\n", Sgr.STDERR, false));
    }
}
