package dev.klpsim.kernel;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module loader as kernel/module/main.c and kernel/params.c have it: array parameters
 * cut in place, a blocking init, forced unload (decisions.md #51).
 */
class LoaderFidelityTest {
    @Test
    void paramArrayCutsTheCallersBufferAtEachCommaItReached() {
        ModuleParam p = new ModuleParam("klp_pids", ModuleParam.Type.INT_ARRAY, 0, new int[0], null, 4);
        StringBuilder buf = new StringBuilder("1,x,3");
        assertEquals(Errno.EINVAL.neg(), p.set(buf, true, l -> { }));
        assertEquals("1", ModuleParam.cString(buf));
        // the element before the bad one is stored and counted, as param_array() leaves it
        assertEquals(1, p.count());
        assertEquals(1, p.intArray()[0]);
        StringBuilder first = new StringBuilder("x,1");
        assertEquals(Errno.EINVAL.neg(), p.set(first, true, l -> { }));
        assertEquals("x", ModuleParam.cString(first));
        StringBuilder ok = new StringBuilder("4,5,6\n");
        assertEquals(0, p.set(ok, true, l -> { }));
        assertEquals("4,5,6\n", p.get());
        StringBuilder many = new StringBuilder("1,2,3,4,5");
        List<String> log = new java.util.ArrayList<>();
        assertEquals(Errno.EINVAL.neg(), p.set(many, true, log::add));
        assertEquals(List.of("klp_pids: can only take 4 arguments"), log);
        assertEquals("1", ModuleParam.cString(many));
    }

    @Test
    void anInitWaitingForACompletionKeepsTheModuleComing() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_demo.ko");
        s.run("insmod test_modules/test_klp_callbacks_busy.ko");
        assertEquals(130, s.status);
        Module busy = s.m.modules.find("test_klp_callbacks_busy");
        assertEquals(ModuleState.COMING, busy.state);
        assertEquals(1, busy.refcnt);
        assertNotNull(busy.initWaiter);
        assertEquals(TaskState.UNINTERRUPTIBLE, busy.initWaiter.state);
        assertEquals("insmod", busy.initWaiter.comm);
        assertEquals(List.of("coming"), s.run("cat /sys/module/test_klp_callbacks_busy/initstate"));
        // signals wait for the uninterruptible sleep to end
        s.run("kill -KILL " + busy.initWaiter.pid);
        assertEquals(TaskState.UNINTERRUPTIBLE, busy.initWaiter.state);
        assertEquals(Errno.EBUSY.neg(), s.m.modules.unload("test_klp_callbacks_busy", true), "O_TRUNC does not take a loading module");
        assertEquals(0, s.m.modules.taints() & Taint.FORCED_RMMOD.bit());
    }

    @Test
    void anotherLoadOfAComingModuleWaitsInterruptibly() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_demo.ko");
        s.run("insmod test_modules/test_klp_callbacks_busy.ko &");
        s.run("sleep 1");
        s.run("insmod test_modules/test_klp_callbacks_busy.ko &");
        s.run("sleep 1");
        Task second = s.m.modules.blockedProcess();
        assertEquals(TaskState.INTERRUPTIBLE, second.state);
        assertEquals(List.of("S    insmod"), s.run("ps -o stat=,comm= -p " + second.pid));
        s.ok("kill -INT " + second.pid);
        assertEquals(TaskState.DEAD, second.state, "a signal ends an interruptible wait");
        // in the foreground klpsim ends the wait as Ctrl-C would
        List<String> out = s.run("insmod test_modules/test_klp_callbacks_busy.ko");
        assertEquals(130, s.status);
        assertTrue(out.get(0).contains("still loading"), out.toString());
        assertEquals(ModuleState.COMING, s.m.modules.find("test_klp_callbacks_busy").state);
    }

    @Test
    void anInitThatWaitsForAnEarlyCompletionGoesOn() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_busy.ko");
        Module busy = s.m.modules.find("test_klp_callbacks_busy");
        assertEquals(ModuleState.LIVE, busy.state);
        assertEquals(0, busy.refcnt);
    }

    @Test
    void oTruncRemovesAModuleInUseAndTaintsR() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_mod.ko");
        Module mod = s.m.modules.find("test_klp_callbacks_mod");
        assertTrue(s.m.modules.tryModuleGet(mod));
        assertEquals(Errno.EAGAIN.neg(), s.m.modules.unload("test_klp_callbacks_mod", false));
        assertEquals(0, s.m.modules.taints() & Taint.FORCED_RMMOD.bit());
        assertEquals(0, s.m.modules.unload("test_klp_callbacks_mod", true));
        assertEquals(null, s.m.modules.find("test_klp_callbacks_mod"));
        assertEquals(Taint.FORCED_RMMOD.bit(), s.m.modules.taints() & Taint.FORCED_RMMOD.bit());
        long said = s.m.printk.records().stream().filter(r -> r.text().equals("Disabling lock debugging due to kernel taint")).count();
        assertEquals(1, said);
    }
}
