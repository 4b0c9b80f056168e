package dev.klpsim.livepatch;

import dev.klpsim.Sim;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** patch.c: func stacks and the handler rule (kernel/livepatch/patch.c: klp_ftrace_handler()). */
class PatchTest {
    private static Symbol sym(Sim s, String name) {
        return s.m.kallsyms.lookupAny(name);
    }

    @Test
    void unpatchedFunctionsRunTheOriginal() {
        Sim s = new Sim();
        Symbol cmdline = sym(s, "cmdline_proc_show");
        assertSame(cmdline, s.m.klp.patch.klpFtraceHandler(cmdline, s.m.shell));
        assertNull(s.m.klp.patch.klpFindOps(cmdline));
    }

    @Test
    void theNewestPatchOnTheStackWinsAndDisablingItUncoversTheOlder() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko", "insmod test_modules/livepatch-sample.ko");
        Symbol cmdline = sym(s, "cmdline_proc_show");
        KlpOps ops = s.m.klp.patch.klpFindOps(cmdline);
        assertEquals(2, ops.funcStack().size());
        assertEquals("livepatch_sample", ops.funcStack().get(0).object().patch().name());
        assertEquals(List.of("this has been live patched"), s.ok("cat /proc/cmdline"));
        s.ok("echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled");
        assertEquals(1, ops.funcStack().size());
        assertEquals(List.of("test_klp_livepatch: this has been live patched"), s.ok("cat /proc/cmdline"));
        s.ok("echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled");
        assertNull(s.m.klp.patch.klpFindOps(cmdline), "the last func off the stack frees the ops");
        assertEquals(null, s.m.ftrace.ipModifyOwner(cmdline), "and unregisters the ftrace handler");
    }

    @Test
    void duringATransitionEachTaskGetsTheVersionOfItsPatchState() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y",
                "insmod test_modules/test_klp_callbacks_demo.ko");
        Symbol busy = sym(s, "busymod_work_func");
        Symbol patched = s.m.kallsyms.lookup("test_klp_callbacks_demo", "patched_work_func");
        Task old = s.m.tasks().stream().filter(t -> t.patchState == 0).findFirst().orElseThrow();
        Task switched = s.m.shell;
        assertEquals(1, switched.patchState);
        assertSame(busy, s.m.klp.patch.klpFtraceHandler(busy, old));
        assertSame(patched, s.m.klp.patch.klpFtraceHandler(busy, switched));
    }

    @Test
    void aNopFallsThroughToTheOriginalOnceTheReplacedPatchIsBelowIt() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko", "task spawn reader --stack cmdline_proc_show --uninterruptible");
        // the reader sleeps in the livepatch's version; a replace patch adds a nop for cmdline_proc_show
        s.ok("insmod test_modules/test_klp_atomic_replace.ko replace=1");
        Symbol cmdline = sym(s, "cmdline_proc_show");
        KlpOps ops = s.m.klp.patch.klpFindOps(cmdline);
        KlpFunc top = ops.funcStack().get(0);
        assertEquals(true, top.nop);
        assertEquals(true, top.transition);
        Task reader = s.m.task(1000);
        assertEquals(0, reader.patchState, "the reader sleeps in the replaced patch's code");
        assertEquals("livepatch_cmdline_proc_show", s.m.klp.patch.klpFtraceHandler(cmdline, reader).name);
        assertSame(cmdline, s.m.klp.patch.klpFtraceHandler(cmdline, s.m.shell), "a patched task runs the original");
        assertEquals(List.of("1"), s.ok("cat /sys/kernel/livepatch/test_klp_atomic_replace/transition"));
        s.ok("task kill 1000", "sleep 1");
        assertNull(s.m.klp.patch.klpFindOps(cmdline), "after the replace, nothing patches cmdline_proc_show");
        assertEquals(List.of("test_klp_atomic_replace"), s.ok("ls /sys/kernel/livepatch"));
    }
}
