package dev.klpsim.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * trace export: trace-event JSON that a viewer shows correctly (named tracks, a logical
 * clock keeping the kernel's order, slices that nest or follow each other, labelled
 * callbacks with their arguments, flows from shadow alloc to free), and the HTML page.
 */
class ExportTest {
    /** The busy target module case: one worker blocks for 3 s, then the transition is reversed. */
    private static Sim busyCase() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y", "insmod test_modules/test_klp_callbacks_demo.ko",
                "sleep 3", "echo 0 > /sys/kernel/livepatch/test_klp_callbacks_demo/enabled", "sleep 1");
        return s;
    }

    private static JsonNode export(Sim s, Path dir) throws Exception {
        Path f = dir.resolve("t.json");
        s.ok("trace export " + f);
        return new ObjectMapper().readTree(Files.readString(f)).get("traceEvents");
    }

    /** Slices on one track either nest inside each other or follow each other: never a partial overlap. */
    static List<String> overlaps(JsonNode events) {
        Map<Integer, List<double[]>> byTid = new TreeMap<>();
        for (JsonNode e : events)
            if (e.get("ph").asText().equals("X"))
                byTid.computeIfAbsent(e.get("tid").asInt(), k -> new ArrayList<>()).add(new double[] {e.get("ts").asDouble(), e.get("ts").asDouble() + e.get("dur").asDouble()});
        List<String> bad = new ArrayList<>();
        for (var t : byTid.entrySet()) {
            List<double[]> l = t.getValue();
            l.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> -a[1]));
            Deque<double[]> open = new ArrayDeque<>();
            for (double[] s : l) {
                while (!open.isEmpty() && open.peek()[1] <= s[0]) open.pop();
                if (!open.isEmpty() && s[1] > open.peek()[1]) bad.add("tid " + t.getKey() + ": [" + s[0] + ", " + s[1] + "] overlaps [" + open.peek()[0] + ", " + open.peek()[1] + "]");
                open.push(s);
            }
        }
        return bad;
    }

    @Test
    void jsonOfARealSessionFollowsTheViewerRules(@TempDir Path dir) throws Exception {
        Sim s = CallbackSession.run();
        JsonNode events = export(s, dir);
        Map<Integer, String> names = new HashMap<>();
        for (JsonNode e : events)
            if (e.get("ph").asText().equals("M") && e.get("name").asText().equals("thread_name")) names.put(e.get("tid").asInt(), e.get("args").get("name").asText());
        assertEquals("livepatch core: transitions", names.get(1));
        assertTrue(names.containsValue("patch test_klp_callbacks_demo"), names.toString());
        assertTrue(names.containsValue("patch my_fix_v2"), names.toString());
        assertTrue(names.containsValue("task bash:412 patch_state"), names.toString());

        List<JsonNode> withSeq = new ArrayList<>();
        List<String> callbacks = new ArrayList<>();
        Map<String, Double> flowStart = new HashMap<>();
        Set<String> flowEnd = new HashSet<>();
        List<String> transitions = new ArrayList<>();
        for (JsonNode e : events) {
            String ph = e.get("ph").asText();
            if (ph.equals("M")) continue;
            assertTrue(e.get("ts").isNumber(), e.toString());
            assertTrue(names.containsKey(e.get("tid").asInt()), "every track has a name: " + e);
            if (e.has("args") && e.get("args").has("seq")) withSeq.add(e);
            if (ph.equals("X") && e.get("cat").asText().equals("callback")) {
                JsonNode a = e.get("args");
                assertEquals("patch " + a.get("patch").asText(), names.get(e.get("tid").asInt()), "a callback is on its patch's track");
                assertTrue(e.get("name").asText().startsWith(a.get("callback").asText() + "(" + a.get("object").asText() + ")"), e.toString());
                callbacks.add(e.get("args").get("seq").asLong() + " " + a.get("patch").asText() + " " + a.get("callback").asText() + "(" + a.get("object").asText() + ")");
            }
            if (ph.equals("X") && e.get("cat").asText().equals("transition")) transitions.add(e.get("name").asText());
            if (ph.equals("s")) flowStart.put(e.get("id").asText(), e.get("ts").asDouble());
            if (ph.equals("f")) {
                assertTrue(flowStart.containsKey(e.get("id").asText()), "a flow ends after it starts: " + e);
                assertTrue(e.get("ts").asDouble() > flowStart.get(e.get("id").asText()));
                flowEnd.add(e.get("id").asText());
            }
        }
        assertEquals(List.of(), overlaps(events));
        // the logical clock: ordered by sequence number, the stamps strictly increase
        withSeq.sort(Comparator.comparingLong(e -> e.get("args").get("seq").asLong()));
        for (int i = 1; i < withSeq.size(); i++) {
            long s0 = withSeq.get(i - 1).get("args").get("seq").asLong(), s1 = withSeq.get(i).get("args").get("seq").asLong();
            double t0 = end(withSeq.get(i - 1)), t1 = end(withSeq.get(i));
            if (s1 > s0) assertTrue(t1 > t0, "seq " + s0 + " at " + t0 + " but seq " + s1 + " at " + t1);
        }
        callbacks.sort(Comparator.comparingLong(c -> Long.parseLong(c.substring(0, c.indexOf(' ')))));
        assertEquals(CallbackSession.callbacksRun(s), callbacks.stream().map(c -> c.substring(c.indexOf(' ') + 1)).toList(),
                "every callback that ran is a slice, in the kernel's order");
        assertEquals(1, flowEnd.size(), "one shadow variable was freed: v1's alloc flows to v2's free");
        assertEquals(2, flowStart.size(), "two were allocated");
        assertTrue(transitions.contains("patching test_klp_callbacks_demo2: started 2.0 s, complete 2.0 s, 1 attempt"), transitions.toString());
        assertTrue(transitions.contains("unpatching my_fix_v2: started 3.0 s, complete 3.0 s, 1 attempt"), transitions.toString());
    }

    /** Where an event sits on the clock: a slice at its end (the event that closes it), anything else at its stamp. */
    private static double end(JsonNode e) {
        return e.get("ts").asDouble() + (e.has("dur") ? e.get("dur").asDouble() : 0);
    }

    @Test
    void busyTransitionKeepsVirtualTimeAndTheWorkersSpan(@TempDir Path dir) throws Exception {
        JsonNode events = export(busyCase(), dir);
        List<JsonNode> workerSpans = new ArrayList<>();
        List<String> phases = new ArrayList<>();
        int skipped = 0;
        for (JsonNode e : events) {
            String ph = e.get("ph").asText();
            if (ph.equals("X") && e.get("tid").asInt() == ChromeTrace.TASK_TID_BASE + 4) workerSpans.add(e);
            if (ph.equals("X") && e.get("cat").asText().equals("transition")) phases.add(e.get("name").asText());
            if (ph.equals("i") && e.get("cat").asText().equals("callback")) skipped++;
        }
        assertEquals(List.of("patching test_klp_callbacks_demo: started 0.0 s, complete 4.0 s, 4 attempts, reversed once"), phases);
        // the worker never switched: one span in state 0 from the start to the completion at 4 s
        assertEquals(1, workerSpans.size());
        assertEquals("patch_state 0", workerSpans.get(0).get("name").asText());
        assertEquals(4.0, workerSpans.get(0).get("args").get("virtual_end_s").asDouble());
        assertTrue(workerSpans.get(0).get("ts").asDouble() + workerSpans.get(0).get("dur").asDouble() >= 4_000_000.0);
        assertEquals(4, skipped, "the absent target's pre_patch and post_unpatch, and both pre_unpatch at the reversal");
        assertEquals(List.of(), overlaps(events));
    }

    @Test
    void htmlExportIsOnePageWithEveryLabelWrittenOut(@TempDir Path dir) throws Exception {
        Sim s = CallbackSession.run();
        Path f = dir.resolve("t.html");
        s.ok("trace export " + f);
        String html = Files.readString(f);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertEquals(List.of(), externalResources(html));
        // the check itself must see an external resource when there is one
        assertEquals(List.of("http://example.com/x.css"), externalResources(html.replace("<head>", "<head><link rel=\"stylesheet\" href=\"http://example.com/x.css\">")));
        assertEquals(List.of("//cdn.example.com/f.woff"), externalResources(html.replace("<head>", "<head><style>@font-face{src:url('//cdn.example.com/f.woff')}</style>")));
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("src="));
        assertFalse(html.contains("<title>") && html.indexOf("<title>") != html.lastIndexOf("<title>"), "no label hides in a tooltip");
        int at = 0;
        for (String cb : CallbackSession.callbacksRun(s)) {
            String label = cb.substring(0, cb.indexOf('(') + 1);
            int i = html.indexOf(">" + label, at);
            assertTrue(i > at, "callback '" + cb + "' in the kernel's order");
            at = i;
        }
        assertTrue(html.contains("test_klp_callbacks_demo pre_unpatch(vmlinux) skipped: replaced by &#39;test_klp_callbacks_demo2&#39;")
                || html.contains("test_klp_callbacks_demo pre_unpatch(vmlinux) skipped: replaced by 'test_klp_callbacks_demo2'"));
        assertTrue(html.contains("patching test_klp_callbacks_demo2: started 2.0 s, complete 2.0 s, 1 attempt"));
        assertTrue(html.contains("class=\"bar leaked\""), "v1 loaded again allocates a variable nothing will free");
        assertTrue(html.contains("freed by my_fix_v2 in post_unpatch(vmlinux)"));
        assertTrue(html.contains("id=\"legend\""));
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
