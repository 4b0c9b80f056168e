package dev.klpsim.cast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks a .cast file against the asciicast v2 specification
 * (https://docs.asciinema.org/manual/asciicast/v2/) with an independent JSON parser
 * (Jackson), and plays it through Debian's asciinema ({@code asciinema cat}) when it is
 * installed. `.ci/run` installs it and passes -Dklpsim.asciinemaTest=required, which turns
 * a missing asciinema into a failure; elsewhere that check is skipped with a printed reason.
 */
public final class CastFiles {
    private CastFiles() {}

    public static final String ASCIINEMA = System.getProperty("klpsim.asciinema", "/usr/bin/asciinema");

    public record Event(double time, String data) {}

    public record Cast(JsonNode header, List<Event> events) {
        /** Everything the recording writes to the terminal, in order. */
        public String text() {
            StringBuilder sb = new StringBuilder();
            for (Event e : events) sb.append(e.data());
            return sb.toString();
        }
    }

    /** Parses {@code file}, failing the test at the first line that is not asciicast v2. */
    public static Cast validate(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertTrue(!lines.isEmpty(), file + " is empty");
        JsonNode h = json.readTree(lines.get(0));
        assertTrue(h.isObject(), "the header is a JSON object: " + lines.get(0));
        assertTrue(h.get("version").isInt() && h.get("version").asInt() == 2, "version 2 (an integer): " + h);
        for (String f : List.of("width", "height", "timestamp"))
            assertTrue(h.has(f) && h.get(f).isIntegralNumber() && h.get(f).asLong() > 0, f + " is a positive integer: " + h);
        assertTrue(h.get("title").isTextual(), "title is a string: " + h);
        if (h.has("env")) h.get("env").fields().forEachRemaining(e -> assertTrue(e.getValue().isTextual(), "env values are strings: " + h));
        if (h.has("idle_time_limit")) assertTrue(h.get("idle_time_limit").isNumber(), "idle_time_limit is a number: " + h);
        List<Event> events = new ArrayList<>();
        double last = 0;
        for (int i = 1; i < lines.size(); i++) {
            JsonNode e = json.readTree(lines.get(i));
            assertTrue(e.isArray() && e.size() == 3, "line " + (i + 1) + " is a 3-element array: " + lines.get(i));
            assertTrue(e.get(0).isNumber(), "line " + (i + 1) + ": the time is a number");
            double t = e.get(0).asDouble();
            assertTrue(t >= last, "line " + (i + 1) + ": time " + t + " goes back from " + last);
            last = t;
            assertEquals("o", e.get(1).asText(), "line " + (i + 1) + ": an output event");
            assertTrue(e.get(2).isTextual(), "line " + (i + 1) + ": the data is a string");
            events.add(new Event(t, e.get(2).asText()));
        }
        return new Cast(h, events);
    }

    /** What {@code asciinema cat FILE} writes (all the output, without the timing); aborts the test when asciinema is not installed and not required. */
    public static String asciinemaCat(Path file) throws Exception {
        if (!new File(ASCIINEMA).canExecute()) {
            String why = "asciinema: " + ASCIINEMA + " not found (apt-get install asciinema)";
            if ("required".equals(System.getProperty("klpsim.asciinemaTest"))) fail(why + "; -Dklpsim.asciinemaTest=required makes this a failure");
            System.out.println(why + ": skipped");
            Assumptions.abort(why);
        }
        // asciinema 2.2's cat puts /dev/tty in raw mode (it fails where there is none, as in CI):
        // util-linux's script gives it a terminal, and raw mode passes the output through unchanged
        String cmd = "'" + ASCIINEMA + "' cat '" + file.toString().replace("'", "'\\''") + "'";
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "asciinema cat finished");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "asciinema cat " + file + ": " + text);
        return text;
    }
}
