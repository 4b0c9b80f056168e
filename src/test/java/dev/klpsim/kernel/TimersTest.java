package dev.klpsim.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimersTest {
    private static final long MS = Timers.NSEC_PER_MSEC;

    @Test
    void roundJiffiesRelativeRoundsToAWholeSecond() {
        Timers t = new Timers();
        assertEquals(1000 * MS, t.roundJiffiesRelativeSecond());
        t.advanceTo(100 * MS, null);   // 1.1 s rounds down
        assertEquals(1000 * MS, t.roundJiffiesRelativeSecond());
        t.advanceTo(500 * MS, null);   // 1.5 s rounds up
        assertEquals(2000 * MS, t.roundJiffiesRelativeSecond());
        t.advanceTo(1000 * MS, null);
        assertEquals(2000 * MS, t.roundJiffiesRelativeSecond());
    }

    @Test
    void eventsRunInDueOrderThenInsertionOrder() {
        Timers t = new Timers();
        List<String> ran = new ArrayList<>();
        t.at(2 * MS, () -> ran.add("b"));
        t.at(1 * MS, () -> ran.add("a"));
        t.at(2 * MS, () -> ran.add("c"));
        Timers.Timer cancelled = t.at(1 * MS, () -> ran.add("x"));
        cancelled.cancel();
        t.advanceTo(3 * MS, null);
        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(3 * MS, t.now());
    }

    @Test
    void anEventMayScheduleAnotherWithinTheSameAdvance() {
        Timers t = new Timers();
        List<Long> at = new ArrayList<>();
        t.at(MS, () -> {
            at.add(t.now());
            t.after(MS, () -> at.add(t.now()));
        });
        t.advanceTo(5 * MS, null);
        assertEquals(List.of(MS, 2 * MS), at);
    }
}
