package dev.klpsim.explore;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted bugs written in C (docs/examples/*.c) are found by klp explore as their .jsh
 * twins are: the same properties, at the same depth, by the same order of commands.
 */
class ExploreCModulesTest {
    static final String EX = ExploreTest.EX;

    /** Explores the C files and their .jsh twins alike; returns the C run after checking the two agree. */
    private static Explorer.Result twins(int depth, boolean all, List<String> tasks, String... modules) {
        String[] c = new String[modules.length], jsh = new String[modules.length];
        for (int i = 0; i < modules.length; i++) {
            boolean file = modules[i].endsWith(".X");
            c[i] = file ? EX + modules[i].replace(".X", ".c") : modules[i];
            jsh[i] = file ? EX + modules[i].replace(".X", ".jsh") : modules[i];
        }
        Explorer.Result rc = ExploreTest.explore(depth, all, 2, tasks, c);
        Explorer.Result rj = ExploreTest.explore(depth, all, 2, tasks, jsh);
        assertFalse(rc.found().isEmpty(), "explore found nothing in the C twins");
        assertEquals(rj.found().stream().map(f -> f.violation().property()).toList(), rc.found().stream().map(f -> f.violation().property()).toList());
        assertEquals(rj.found().stream().map(f -> ExploreTest.commands(f).stream().map(s -> s.replace(".jsh", ".c")).toList()).toList(),
                rc.found().stream().map(ExploreTest::commands).toList());
        return rc;
    }

    @Test
    void thePrePatchLeak() {
        Explorer.Result r = twins(2, false, List.of(), "explore-bug-prepatch-leak.X", "test_klp_callbacks_mod");
        assertEquals("shadow-leak", r.found().get(0).violation().property());
        assertTrue(r.found().get(0).violation().message().matches("shadow variable <[0-9a-f]{16}, 0x20> allocated by explore_bug_prepatch_leak: .*"), r.found().get(0).violation().message());
        assertEquals(List.of("insmod test_modules/test_klp_callbacks_mod.ko", "insmod " + EX + "explore-bug-prepatch-leak.c mod_pre_patch_ret=-19"), ExploreTest.commands(r.found().get(0)));
    }

    @Test
    void theReplaceLeak() {
        assertEquals("shadow-leak", twins(3, false, List.of(), "explore-bug-replace-leak-v1.X", "explore-bug-replace-leak-v2.X").found().get(0).violation().property());
    }

    @Test
    void theTakeover() {
        assertEquals(List.of("module-assertion", "shadow-leak"),
                twins(4, true, List.of(), "klp-cumulative-v1.X", "explore-bug-takeover.X").found().stream().map(f -> f.violation().property()).toList());
    }

    /** With a task sleeping in cmdline_proc_show: the first violation in breadth-first order is the leak, for both twins. */
    @Test
    void theUnpatchFree() {
        assertEquals("shadow-leak", twins(5, false, List.of("cmdline_proc_show"), "klp-cumulative-v1.X", "explore-bug-unpatch-free.X").found().get(0).violation().property());
    }

    /** From a session with version 1 loaded and a task blocking in cmdline_proc_show, as the .jsh case is tested: the reversed replace frees v1's counter. */
    @Test
    void theUnpatchFreeFromTheSession(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        dev.klpsim.Sim s = new dev.klpsim.Sim();
        s.ok("insmod " + EX + "klp-cumulative-v1.c", "task spawn blocker --stack cmdline_proc_show");
        List<String> out = s.run("klp explore --depth 3 --out " + dir + " " + EX + "explore-bug-unpatch-free.c");
        assertTrue(out.stream().anyMatch(l -> l.contains("VIOLATION module-assertion") && l.contains("the request counter exists while this patch is enabled")), out.toString());
        // the counterexample replays
        ExploreTest.assertVerifies(dir.resolve("module-assertion.klpt"));
    }

    @Test
    void theStackedReader() {
        assertEquals("shadow-read-after-free", twins(5, false, List.of(), "explore-bug-stacked-reader-v2.X", "explore-bug-stacked-reader-v3.X").found().get(0).violation().property());
    }

    @Test
    void theStateDowngrade() {
        assertEquals("state-downgrade", twins(3, false, List.of(), "explore-downgrade-v1.X", "explore-downgrade-v2-bug.X").found().get(0).violation().property());
    }
}
