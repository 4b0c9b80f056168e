package dev.klpsim.explore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.klpsim.explore.ExploreTest.EX;
import static dev.klpsim.explore.ExploreTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** explore's limits: options that would run without end or without memory get an error instead. */
class ExploreLimitsTest {
    @Test
    void randomZeroIsAnErrorNotAnExhaustiveSearch() {
        StringBuilder p = new StringBuilder();
        assertEquals(2, cli(p, "--random", "0", EX + "explore-downgrade-v1.jsh"));
        assertTrue(p.toString().contains("--random must be at least 1"), p.toString());
    }

    @Test
    void aHugeMachineIsRefused() {
        StringBuilder p = new StringBuilder();
        int st = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> cli(p, "--cpus", "4096", "--depth", "2", EX + "explore-downgrade-v1.jsh"));
        assertEquals(2, st, p.toString());
        assertTrue(p.toString().contains("a machine of 4096 CPUs is too big to explore"), p.toString());
    }

    @Test
    void aStartScriptThatIsADeviceIsRefused() {
        StringBuilder p = new StringBuilder();
        assertEquals(2, assertTimeoutPreemptively(Duration.ofSeconds(30), () -> cli(p, "--start", "/dev/zero", EX + "explore-downgrade-v1.jsh")));
        assertTrue(p.toString().contains("cannot read the start script /dev/zero: not a regular file"), p.toString());
    }

    /** States never repeat when time passes: a deep search stops at its state limit with a message. */
    @Test
    void aDeepSearchStopsAtTheStateLimit(@TempDir Path dir) {
        int before = Explorer.maxStates;
        Explorer.maxStates = 300;
        try {
            StringBuilder p = new StringBuilder();
            int st = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> cli(p, "--depth", "50", "--jobs", "2", "--out", dir.toString(),
                    "--task", "cmdline_proc_show", EX + "explore-downgrade-v1.jsh"));
            assertEquals(ExploreRun.LIMIT, st, p.toString());
            assertTrue(p.toString().contains("more than the 300 explore keeps in memory"), p.toString());
        } finally {
            Explorer.maxStates = before;
        }
    }

    /** Runs are taken in order from a bounded window: the result is still the same on 1 and 2 threads. */
    @Test
    void manyRandomRunsAreTakenInOrder(@TempDir Path dir) {
        StringBuilder one = new StringBuilder(), two = new StringBuilder();
        String[] common = {"--random", "300", "--depth", "6", "--out", dir.toString(), EX + "explore-downgrade-v1.jsh"};
        cli(one, concat(new String[] {"--jobs", "1"}, common));
        cli(two, concat(new String[] {"--jobs", "2"}, common));
        assertEquals(strip(one.toString()), strip(two.toString()));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The output without timings and thread counts. */
    private static String strip(String s) {
        return s.replaceAll("explore: depth [^\n]*\n", "").replaceAll("in [0-9.]+ s, [0-9]+ states/s", "").replaceAll("[0-9]+ threads?", "");
    }
}
