package dev.klpsim.reliability;

import dev.klpsim.Sim;
import dev.klpsim.explore.StateDigest;
import dev.klpsim.kernel.Journal;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Trace;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Machine.fork(): the journal replayed on a fresh boot gives the same machine. Checked after
 * random sessions of every kind of command (loads, rmmod, sysfs writes, forces, tasks, time,
 * programs, reads of patched /proc files): same state, same kernel log, same trace.
 */
class ForkTest {
    static void assertSameMachine(Machine a, Machine b, String what) {
        assertEquals(StateDigest.text(a, true), StateDigest.text(b, true), what);
        assertEquals(a.printk.records().stream().map(Printk.Record::dmesgLine).toList(),
                b.printk.records().stream().map(Printk.Record::dmesgLine).toList(), what);
        assertEquals(a.trace.all().stream().map(Trace.Event::bufferLine).toList(),
                b.trace.all().stream().map(Trace.Event::bufferLine).toList(), what);
    }

    @Test
    void aForkOfARandomSessionIsTheSameMachine() {
        for (long seed = 1; seed <= 150; seed++) {
            Sim s = new Sim();
            for (String c : RandomSessions.session(seed, 40)) s.run(c);
            assertEquals(List.of(), s.m.journal.unreplayable());
            assertSameMachine(s.m, s.m.fork(), "seed " + seed);
        }
    }

    @Test
    void aForkGoesOnLikeTheOriginal() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y", "insmod test_modules/test_klp_callbacks_demo.ko",
                "task spawn t --stack cmdline_proc_show", "sleep 3");
        Machine copy = s.m.fork();
        s.ok("sleep 20", "echo N > /sys/module/test_klp_callbacks_busy/parameters/block_transition", "sleep 2");
        Sim c = new Sim();
        // the same three commands, on the copy, through a shell of its own
        dev.klpsim.shell.Shell sh = new dev.klpsim.shell.Shell(copy, new dev.klpsim.transcript.CapturingOutput());
        for (String l : List.of("sleep 20", "echo N > /sys/module/test_klp_callbacks_busy/parameters/block_transition", "sleep 2")) sh.execute(l);
        assertSameMachine(s.m, copy, "after the same commands");
        assertNotEquals(StateDigest.text(c.m, true), StateDigest.text(copy, true));
    }

    /** A loop of calls is one journal entry that counts them; the copy makes every one of them again. */
    @Test
    void aRunOfTheSameCallIsOneEntryReplayedAsOften() {
        Sim s = new Sim();
        s.ok("echo function > /sys/kernel/tracing/current_tracer", "echo cmdline_proc_show > /sys/kernel/tracing/set_ftrace_filter",
                "echo 1 > /sys/kernel/tracing/tracing_on");
        int before = s.m.journal.size();
        dev.klpsim.kernel.Symbol fn = s.m.kallsyms.lookup(null, "cmdline_proc_show");
        for (int i = 0; i < 1000; i++) s.m.call(s.m.shell, fn, new StringBuilder());
        s.m.call(s.m.task(1), fn, new StringBuilder());
        List<Journal.Action> j = s.m.journal.entries();
        assertEquals(before + 2, j.size(), j.toString());
        assertTrue(j.get(before) instanceof Journal.Call c && c.times() == 1000 && c.pid() == s.m.shell.pid, j.toString());
        assertTrue(j.get(before + 1) instanceof Journal.Call c && c.times() == 1 && c.pid() == 1, j.toString());
        Machine copy = s.m.fork();
        String trace = "/sys/kernel/tracing/trace";
        assertEquals(1001, s.read(trace).lines().filter(l -> l.contains("cmdline_proc_show")).count());
        assertEquals(s.read(trace), copy.journal.unrecorded(() -> ((dev.klpsim.kernel.Vfs.File) copy.vfs.resolve(trace)).read()));
    }

    /** The issue-11 case: a task that Java code spawned is part of the copy. */
    @Test
    void aTaskSpawnedByJavaCodeIsInTheCopy() {
        Sim s = new Sim();
        s.m.spawnSleeper("blocker", false, List.of(s.m.kallsyms.lookup(null, "cmdline_proc_show")), false, 0);
        Machine copy = s.m.fork();
        assertTrue(copy.tasks().stream().anyMatch(t -> t.comm.equals("blocker")));
        assertSameMachine(s.m, copy, "java-spawned task");
    }

    /** What module init does (spawning kthreads, work) is not recorded: the load is, and does it again. */
    @Test
    void onlyTheOutermostActionIsRecorded() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y");
        List<Journal.Action> j = s.m.journal.entries();
        assertEquals(2, j.size(), j.toString());
        assertTrue(j.get(0) instanceof Journal.Read r && r.path().equals("/proc/cmdline"), j.toString());
        assertTrue(j.get(1) instanceof Journal.Load l && l.source().name().equals("test_klp_callbacks_busy")
                && l.args().equals(List.of("block_transition=Y")), j.toString());
    }

    /** A sleep cut short by Ctrl-C is replayed to the same point. */
    @Test
    void anInterruptedSleepReplaysToTheSamePoint() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y", "insmod test_modules/test_klp_callbacks_demo.ko");
        int[] checks = {0};
        s.m.sleep(30_000_000_000L, () -> ++checks[0] > 40);
        assertTrue(s.m.now() < 30_000_000_000L, "the sleep was cut short");
        assertSameMachine(s.m, s.m.fork(), "interrupted sleep");
    }
}
