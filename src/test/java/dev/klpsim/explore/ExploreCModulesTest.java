package dev.klpsim.explore;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planted bugs written in C are found by klp explore as their .jsh twins are: same property, same order. */
class ExploreCModulesTest {
    static final String EX = ExploreTest.EX;

    @Test
    void thePrePatchLeakInCIsFoundAsItsJshTwinIs() {
        Explorer.Result c = ExploreTest.explore(2, false, 2, List.of(), EX + "explore-bug-prepatch-leak.c", "test_klp_callbacks_mod");
        Explorer.Result jsh = ExploreTest.explore(2, false, 2, List.of(), EX + "explore-bug-prepatch-leak.jsh", "test_klp_callbacks_mod");
        assertEquals(1, c.found().size());
        assertEquals(jsh.found().get(0).violation().property(), c.found().get(0).violation().property());
        assertEquals("shadow-leak", c.found().get(0).violation().property());
        assertTrue(c.found().get(0).violation().message().matches("shadow variable <[0-9a-f]{16}, 0x20> allocated by explore_bug_prepatch_leak: .*"), c.found().get(0).violation().message());
        assertEquals(List.of("insmod test_modules/test_klp_callbacks_mod.ko", "insmod " + EX + "explore-bug-prepatch-leak.c mod_pre_patch_ret=-19"), ExploreTest.commands(c.found().get(0)));
    }

    @Test
    void theReplaceLeakInCIsFoundAsItsJshTwinIs() {
        Explorer.Result c = ExploreTest.explore(3, false, 2, List.of(), EX + "explore-bug-replace-leak-v1.c", EX + "explore-bug-replace-leak-v2.c");
        Explorer.Result jsh = ExploreTest.explore(3, false, 2, List.of(), EX + "explore-bug-replace-leak-v1.jsh", EX + "explore-bug-replace-leak-v2.jsh");
        assertEquals(1, c.found().size(), c.found().toString());
        assertEquals(jsh.found().get(0).violation().property(), c.found().get(0).violation().property());
        assertEquals(ExploreTest.commands(jsh.found().get(0)).stream().map(s -> s.replace(".jsh", ".c")).toList(), ExploreTest.commands(c.found().get(0)));
    }
}
