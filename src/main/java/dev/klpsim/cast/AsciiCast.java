package dev.klpsim.cast;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * A terminal recording in asciinema's asciicast v2 format
 * (https://docs.asciinema.org/manual/asciicast/v2/): newline-delimited JSON, a header object
 * on the first line ({@code version} 2, {@code width}, {@code height}, {@code timestamp},
 * {@code title}, {@code env}), then one {@code [time, "o", data]} event per line, time in
 * seconds since the start and never decreasing. {@code asciinema play}, asciinema-player and
 * {@code agg} read it.
 */
public final class AsciiCast implements Closeable {
    private final Path file;
    private final BufferedWriter w;
    private double last;
    private IOException failed;

    /** The recording's shape: the terminal it plays on and what it is called. */
    public record Header(int width, int height, long timestamp, String title, Double idleTimeLimit) {
        String json() {
            StringBuilder sb = new StringBuilder("{\"version\": 2, \"width\": ").append(width).append(", \"height\": ").append(height)
                    .append(", \"timestamp\": ").append(timestamp);
            if (idleTimeLimit != null) sb.append(", \"idle_time_limit\": ").append(seconds(idleTimeLimit));
            sb.append(", \"title\": ").append(string(title));
            // the player's terminal: colours as klpsim wrote them
            sb.append(", \"env\": {");
            int i = 0;
            for (var e : Map.of("TERM", "xterm-256color", "SHELL", "/bin/bash").entrySet().stream().sorted(Map.Entry.comparingByKey()).toList())
                sb.append(i++ > 0 ? ", " : "").append(string(e.getKey())).append(": ").append(string(e.getValue()));
            return sb.append("}}").toString();
        }
    }

    private AsciiCast(Path file, BufferedWriter w) {
        this.file = file;
        this.w = w;
    }

    /** Creates (or replaces) {@code file} and writes the header. */
    public static AsciiCast create(Path file, Header h) throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        AsciiCast c = new AsciiCast(file, w);
        w.write(h.json());
        w.write('\n');
        return c;
    }

    public Path file() {
        return file;
    }

    /**
     * Output at {@code time} seconds: a terminal with its output processing on (ONLCR) turns
     * each "\n" into "\r\n", and a recording holds what the terminal was sent, so a player,
     * which is a raw terminal, moves back to the first column as the user's terminal did.
     */
    public synchronized void output(double time, String text) {
        if (text.isEmpty() || failed != null) return;
        last = Math.max(last, time);
        String data = text.replace("\r\n", "\n").replace("\n", "\r\n");
        try {
            w.write("[" + seconds(last) + ", \"o\", " + string(data) + "]\n");
            w.flush(); // written as it goes: a session that ends abruptly keeps what it showed
        } catch (IOException e) {
            failed = e;
        }
    }

    /** The time of the last event. */
    public synchronized double duration() {
        return last;
    }

    /** Writes what is left; throws the first write error, so that a caller can say the file is incomplete. */
    @Override
    public synchronized void close() throws IOException {
        try {
            w.close();
        } catch (IOException e) {
            if (failed == null) failed = e;
        }
        if (failed != null) throw failed;
    }

    static String seconds(double t) {
        return String.format(Locale.ROOT, "%.6f", t);
    }

    /** A JSON string (RFC 8259): quote, backslash and control characters escaped. */
    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
