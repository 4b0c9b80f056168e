package dev.klpsim.livepatch;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** transition.c: the stack rule, retries, signals and force (kernel/livepatch/transition.c). */
class TransitionTest {
    @Test
    void aFreshOneCpuMachineCompletesInsideTheCommand() {
        Sim s = new Sim();
        List<String> out = s.ok("insmod test_modules/test_klp_livepatch.ko");
        assertTrue(out.contains("livepatch: 'test_klp_livepatch': patching complete"));
        assertNull(s.m.klp.transition.transitionPatch());
        assertTrue(s.m.tasks().stream().allMatch(t -> t.patchState == -1 && !t.patchPending));
    }

    @Test
    void patchingForbidsTheCodeBelowAndUnpatchingTheFuncsOwnCode() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko", "insmod test_modules/livepatch-sample.ko");
        s.ok("task spawn r --stack cmdline_proc_show --uninterruptible");
        // r sleeps in livepatch_sample's version; disabling test_klp_livepatch (below) is not blocked by it
        List<String> out = s.ok("echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled");
        assertTrue(out.contains("livepatch: 'test_klp_livepatch': unpatching complete"), out.toString());
        // disabling livepatch_sample is: its own new_func is on r's stack
        s.ok("echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled");
        assertEquals(List.of("1"), s.ok("cat /sys/kernel/livepatch/livepatch_sample/transition"));
        KlpFunc f = s.m.klp.transition.transitionPatch().objList().get(0).funcList().get(0);
        assertEquals("livepatch_cmdline_proc_show", s.m.klp.transition.forbiddenFor(f).name);
        assertEquals("livepatch_sample", s.m.klp.transition.forbiddenFor(f).owner);
    }

    @Test
    void retriesComeEverySecondAndSignalsAtTheSixteenthAttempt() {
        Sim s = new Sim();
        s.ok("task spawn r --stack cmdline_proc_show --uninterruptible", "insmod test_modules/test_klp_livepatch.ko");
        assertEquals(1, s.m.klp.transition.attempts());
        s.ok("sleep 14");
        assertEquals(15, s.m.klp.transition.attempts());
        assertEquals(15, s.m.klp.transition.signalsCnt());
        assertEquals(List.of("livepatch: signaling remaining tasks"), s.ok("sleep 1"));
        assertEquals(List.of(), s.ok("sleep 15"), "the notice is printed only at the first round");
        assertEquals(31, s.m.klp.transition.attempts());
    }

    @Test
    void forceSwitchesEveryTaskButTheNextAttemptCompletes() {
        Sim s = new Sim();
        s.ok("task spawn r --stack cmdline_proc_show --uninterruptible", "insmod test_modules/test_klp_livepatch.ko");
        assertEquals(List.of("livepatch: forcing remaining tasks to the patched state"),
                s.ok("echo 1 > /sys/kernel/livepatch/test_klp_livepatch/force"));
        assertTrue(s.m.tasks().stream().noneMatch(t -> t.patchPending));
        assertEquals(1, s.m.task(1000).patchState);
        assertFalse(s.m.klp.transition.transitionPatch() == null, "force does not complete by itself");
        s.ok("sleep 1");
        assertNull(s.m.klp.transition.transitionPatch());
        assertFalse(s.m.klp.core.klpPatches().get(0).forced, "5.19+: forcing a plain patching transition marks nothing");
    }

    @Test
    void on510ForceMarksEveryPatchInTheList() {
        dev.klpsim.kernel.MachineOptions o = new dev.klpsim.kernel.MachineOptions();
        o.profile = dev.klpsim.kernel.Profile.V5_10;
        Sim s = new Sim(o);
        s.ok("insmod test_modules/test_klp_atomic_replace.ko");
        s.ok("task spawn r --stack cmdline_proc_show --uninterruptible", "insmod test_modules/test_klp_livepatch.ko");
        s.ok("echo 1 > /sys/kernel/livepatch/test_klp_livepatch/force", "sleep 1");
        assertTrue(s.m.klp.core.klpPatches().stream().allMatch(p -> p.forced));
        s.ok("echo 0 > /sys/kernel/livepatch/test_klp_atomic_replace/enabled");
        assertEquals(List.of("rmmod: ERROR: Module test_klp_atomic_replace is in use"), s.run("rmmod test_klp_atomic_replace"));
    }

    @Test
    void aTaskDeeperThanMaxStackEntriesHasAnUnreliableStack() {
        Sim s = new Sim();
        StringBuilder deep = new StringBuilder("vfs_read");
        for (int i = 0; i < 100; i++) deep.append(",vfs_read");
        s.ok("echo 'func klp_try_switch_task +p' > /sys/kernel/debug/dynamic_debug/control");
        s.ok("task spawn deep --stack " + deep + " --uninterruptible");
        List<String> out = s.ok("insmod test_modules/test_klp_livepatch.ko");
        assertTrue(out.contains("livepatch: klp_try_switch_task: deep:1000 has an unreliable stack"), out.toString());
    }

    @Test
    void aProcessForkedDuringATransitionInheritsItsParentsState() {
        Sim s = new Sim();
        s.ok("task spawn r --stack cmdline_proc_show --uninterruptible", "insmod test_modules/test_klp_livepatch.ko");
        s.ok("./test_klp-call_getpid &");
        assertEquals(1, s.m.task(1001).patchState, "the shell (its parent) had switched");
    }

    /**
     * issue 20: one rule for the attempt and cond_resched() (klp_try_switch_task()): a stack
     * deeper than MAX_STACK_ENTRIES is unreliable in both. A running kthread with 101 vfs_read
     * frames once switched at cond_resched() and completed the transition; it must stay
     * pending (as a sleeper with the same stack does), and say why.
     */
    @Test
    void aRunningKthreadWithATooDeepStackStaysPendingAtCondResched() {
        Sim s = new Sim(options(2));
        String deep = String.join(",", java.util.Collections.nCopies(101, "vfs_read"));
        s.ok("task spawn deep --kthread --running --stack " + deep, "task spawn deep2 --kthread --stack " + deep,
                "insmod test_modules/test_klp_livepatch.ko", "sleep 10");
        Transition tr = s.m.klp.transition;
        assertEquals("test_klp_livepatch", tr.transitionPatch().name(), "still in transition");
        var t = s.m.task(500);
        assertEquals(Transition.Outcome.STACK_TOO_DEEP, tr.klpDecideSwitch(t, true).outcome());
        assertTrue(t.patchPending);
        // the same stack asleep: the same decision
        assertEquals(Transition.Outcome.STACK_TOO_DEEP, tr.klpDecideSwitch(s.m.task(501), false).outcome());
        // and one of 100 entries switches at cond_resched()
        s.ok("task spawn ok --kthread --running --stack " + String.join(",", java.util.Collections.nCopies(96, "vfs_read")), "sleep 2");
        assertEquals(1, s.m.task(502).patchState);
    }

    private static dev.klpsim.kernel.MachineOptions options(int cpus) {
        dev.klpsim.kernel.MachineOptions o = new dev.klpsim.kernel.MachineOptions();
        o.cpus = cpus;
        return o;
    }
}
