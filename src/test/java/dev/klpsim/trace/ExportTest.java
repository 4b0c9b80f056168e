package dev.klpsim.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** trace export: valid trace-event JSON with the tracks and events, and a self-contained HTML page. */
class ExportTest {
    /** The busy target module case: one worker blocks for 3 s, then the transition is reversed. */
    private static Sim busyCase() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y", "insmod test_modules/test_klp_callbacks_demo.ko",
                "sleep 3", "echo 0 > /sys/kernel/livepatch/test_klp_callbacks_demo/enabled", "sleep 1");
        return s;
    }

    @Test
    void jsonExportIsTraceEventJsonWithATrackPerTask(@TempDir Path dir) throws Exception {
        Sim s = busyCase();
        Path f = dir.resolve("t.json");
        s.ok("trace export " + f);
        JsonNode root = new ObjectMapper().readTree(Files.readString(f));
        JsonNode events = root.get("traceEvents");
        assertTrue(events.isArray());
        Set<String> threads = new HashSet<>();
        List<JsonNode> workerSpans = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        int callbacks = 0, skipped = 0, modules = 0;
        for (JsonNode e : events) {
            String ph = e.get("ph").asText();
            assertTrue(Set.of("M", "X", "i").contains(ph), ph);
            if (ph.equals("M") && e.get("name").asText().equals("thread_name")) threads.add(e.get("args").get("name").asText());
            if (ph.equals("X") && e.get("tid").asInt() == 4 + 2) workerSpans.add(e);
            if (ph.equals("X") && e.get("cat").asText().equals("transition")) phases.add(e.get("name").asText());
            if (ph.equals("i") && e.get("cat").asText().equals("callbacks")) {
                if (e.get("args").get("kind").asText().equals("call")) callbacks++;
                else skipped++;
            }
            if (ph.equals("i") && e.get("cat").asText().equals("module")) modules++;
            if (!ph.equals("M")) assertTrue(e.get("ts").isNumber());
        }
        assertTrue(threads.contains("transitions"));
        assertTrue(threads.contains("kworker/0:0:4"), threads.toString());
        assertTrue(threads.contains("bash:412"));
        assertEquals(List.of("patching test_klp_callbacks_demo", "unpatching test_klp_callbacks_demo"), phases);
        // the worker never switched: one span in state 0 from 0 s to the completion at 4 s
        assertEquals(1, workerSpans.size());
        assertEquals("patch_state 0", workerSpans.get(0).get("name").asText());
        assertEquals(0.0, workerSpans.get(0).get("ts").asDouble());
        assertEquals(4_000_000.0, workerSpans.get(0).get("dur").asDouble());
        assertEquals(4, callbacks, "pre_patch and post_unpatch of vmlinux and the busy module ran");
        assertEquals(4, skipped, "the absent target's pre_patch and post_unpatch, and both pre_unpatch at the reversal");
        assertTrue(modules >= 4);
    }

    @Test
    void htmlExportIsOnePageWithARowPerTaskAndNoNetwork(@TempDir Path dir) throws Exception {
        Sim s = busyCase();
        Path f = dir.resolve("t.html");
        s.ok("trace export " + f);
        String html = Files.readString(f);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(List.of(), externalResources(html));
        // the check itself must see an external resource when there is one
        assertEquals(List.of("http://example.com/x.css"), externalResources(html.replace("<head>", "<head><link rel=\"stylesheet\" href=\"http://example.com/x.css\">")));
        assertEquals(List.of("//cdn.example.com/f.woff"), externalResources(html.replace("<head>", "<head><style>@font-face{src:url('//cdn.example.com/f.woff')}</style>")));
        assertFalse(html.contains("<script"));
        Timeline t = Timeline.of(s.m.trace.all(), s.m.now());
        for (Timeline.Track tr : t.tracks.values()) assertTrue(html.contains(">" + tr.label() + "</text>"), tr.label());
        assertEquals(18, t.tracks.size(), "17 tasks and the idle task");
    }

    @Test
    void exportsRefuseToOverwriteUnlessForced(@TempDir Path dir) throws Exception {
        Sim s = busyCase();
        Path f = dir.resolve("t.json");
        Files.writeString(f, "keep me");
        assertEquals(List.of("trace: " + f + " exists; add --force to overwrite it"), s.run("trace export " + f));
        assertEquals("keep me", Files.readString(f));
        s.ok("trace export " + f + " --force");
        assertTrue(Files.readString(f).startsWith("{"));
    }

    /** Every URL the page would fetch: href/src attributes and CSS url(...)/@import that leave the file (xmlns names no resource). */
    static List<String> externalResources(String html) {
        List<String> out = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "(?i)(?:\\b(?:href|src|xlink:href|srcset|data)\\s*=\\s*[\"']?|url\\(\\s*[\"']?|@import\\s+[\"'])([^\"'\\s)>]+)").matcher(html);
        while (m.find()) {
            String url = m.group(1);
            if (url.matches("(?i)([a-z][a-z0-9+.-]*:|//).*") && !url.startsWith("#") && !url.toLowerCase().startsWith("data:")) out.add(url);
        }
        return out;
    }
}
