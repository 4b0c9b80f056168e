package dev.klpsim.trace;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #26: the HTML patch-state chart ticks at round steps and puts each transition's label at its time. */
class PatchStateChartTest {
    @Test
    void roundTickSteps() {
        long s = 1_000_000_000L;
        assertEquals(5 * s, HtmlPage.tickStep(22 * s)); // not 2.2 s
        assertEquals(s / 2, HtmlPage.tickStep(22 * s / 10));
        assertEquals(10 * s, HtmlPage.tickStep(100 * s));
        assertEquals(20 * s, HtmlPage.tickStep(101 * s));
        assertEquals(1, HtmlPage.tickStep(0));
    }

    @Test
    void ticksAreRoundAndAZeroLengthTransitionIsLabelledAtItsTime(@TempDir Path dir) throws Exception {
        Sim sim = new Sim();
        sim.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y", "insmod test_modules/test_klp_callbacks_demo.ko", "sleep 10",
                "echo 0 > /sys/kernel/livepatch/test_klp_callbacks_demo/enabled", "sleep 1",
                "insmod test_modules/test_klp_livepatch.ko", "sleep 11"); // a transition at 11 s that takes no virtual time; 22 s in all
        Path f = dir.resolve("t.html");
        sim.ok("trace export " + f);
        String html = Files.readString(f);
        List<String> ticks = new ArrayList<>();
        Matcher m = Pattern.compile("<text class=\"tick\"[^>]*>([^<]*)</text>").matcher(html);
        while (m.find()) ticks.add(m.group(1));
        assertEquals(List.of("0.0 s", "5.0 s", "10.0 s", "15.0 s", "20.0 s", "25.0 s"), ticks);
        Matcher l = Pattern.compile("<text class=\"phase-label\" x=\"([0-9.]+)\"[^>]*>patching test_klp_livepatch: started 11.0 s, complete 11.0 s").matcher(html);
        assertTrue(l.find(), html);
        // the chart's 1100 px span 25 s from x = 220: 11 s is at 704 px; the label sits just after the bar there
        double x = Double.parseDouble(l.group(1));
        assertTrue(x > 700 && x < 720, "label at " + x);
    }
}
