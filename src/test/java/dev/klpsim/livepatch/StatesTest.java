package dev.klpsim.livepatch;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kernel/livepatch/state.c: the compatibility rule (klp_is_patch_compatible()) and klp_get_prev_state(). */
class StatesTest {
    @Test
    void anOlderStateVersionIsIncompatible() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_state2.ko");
        List<String> out = s.run("insmod test_modules/test_klp_state.ko");
        assertEquals(1, s.status);
        assertEquals("livepatch: Livepatch patch (test_klp_state) is not compatible with the already installed livepatches.", out.get(0));
    }

    @Test
    void aCumulativePatchWithoutTheStateIsIncompatibleButANonCumulativeOneIsFine() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_state.ko");
        List<String> out = s.run("insmod test_modules/test_klp_atomic_replace.ko replace=1");
        assertEquals(1, s.status, out.toString());
        assertTrue(out.get(0).contains("is not compatible"));
        s.ok("insmod test_modules/test_klp_atomic_replace.ko replace=0");
    }

    @Test
    void theSameOrNewerVersionIsCompatible() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_state.ko", "insmod test_modules/test_klp_state2.ko", "insmod test_modules/test_klp_state3.ko");
        assertEquals(List.of("test_klp_state3"), s.ok("ls /sys/kernel/livepatch"));
    }

    @Test
    void prevStateOutsideATransitionWarnsOnceAndReturnsNull() {
        Sim s = new Sim();
        assertNull(s.m.klp.state.klpGetPrevState(1));
        assertNull(s.m.klp.state.klpGetPrevState(1));
        long warns = s.m.printk.records().stream().filter(r -> r.text().startsWith("WARNING: CPU: 0 PID: 412 at kernel/livepatch/state.c")).count();
        assertEquals(1, warns);
    }
}
