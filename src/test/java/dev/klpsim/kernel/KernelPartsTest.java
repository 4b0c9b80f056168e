package dev.klpsim.kernel;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel around livepatch: printk, kallsyms, ftrace, kprobes, the module loader. */
class KernelPartsTest {
    @Test
    void printkTimestampsLikeDmesgAndFeedsConsoles() {
        Timers clock = new Timers();
        Printk p = new Printk(clock);
        StringBuilder console = new StringBuilder();
        p.addConsole(r -> console.append(r.text()).append('|'));
        clock.advanceTo(1_500_000_000L, null);
        p.log(Printk.KERN_INFO, "a\nb");
        assertEquals("a|b|", console.toString());
        assertEquals("[    1.500000] a", p.records().get(0).dmesgLine());
        p.clear();
        assertTrue(p.records().isEmpty());
    }

    @Test
    void kallsymsKeepsDuplicateNamesInOrderPerObject() {
        Machine m = new Machine();
        List<Symbol> all = m.kallsyms.occurrences(null, "type_show");
        assertEquals(3, all.size());
        assertTrue(all.get(0).addr < all.get(1).addr && all.get(1).addr < all.get(2).addr);
        assertEquals(List.of(), m.kallsyms.occurrences("some_module", "type_show"));
        assertNull(m.kallsyms.lookup(null, "no_such_fn"));
    }

    @Test
    void ftraceAllowsOneIpmodifyUserAndPermanentOpsPinFtraceEnabled() {
        Machine m = new Machine();
        Symbol f = m.kallsyms.lookup(null, "cmdline_proc_show");
        assertEquals(0, m.ftrace.registerIpModify(f, "a", true));
        assertEquals(Errno.EBUSY.neg(), m.ftrace.registerIpModify(f, "b", false));
        assertEquals(Errno.EBUSY.neg(), m.ftrace.setEnabled(false));
        m.ftrace.unregisterIpModify(f, "a");
        assertEquals(0, m.ftrace.setEnabled(false));
        assertEquals(Errno.EBUSY.neg(), m.ftrace.registerIpModify(f, "a", true), "PERMANENT ops need ftrace_enabled");
        assertEquals(0, m.ftrace.registerIpModify(f, "kprobe", false));
    }

    @Test
    void theFunctionTracerRecordsFilteredCalls() {
        Sim s = new Sim();
        s.ok("echo function > /sys/kernel/tracing/current_tracer", "echo meminfo_proc_show > /sys/kernel/tracing/set_ftrace_filter",
                "cat /proc/cmdline", "cat /proc/meminfo");
        String trace = s.read("/sys/kernel/tracing/trace");
        assertTrue(trace.contains("meminfo_proc_show <-seq_read_iter"), trace);
        assertFalse(trace.contains("cmdline_proc_show"));
        assertEquals(List.of("bash: echo: write error: Invalid argument"), s.run("echo no_such_fn > /sys/kernel/tracing/set_ftrace_filter"));
    }

    @Test
    void aKprobeWithAPostHandlerIsArmedOnlyWhileKprobesAreEnabled() {
        Machine m = new Machine();
        Symbol f = m.kallsyms.lookup(null, "cmdline_proc_show");
        assertEquals(0, m.kprobes.setEnabled(false));
        assertEquals(0, m.kprobes.register(f, true, "t"));
        assertNull(m.ftrace.ipModifyOwner(f));
        assertEquals(0, m.kprobes.setEnabled(true));
        assertEquals("kprobe:t", m.ftrace.ipModifyOwner(f));
        m.kprobes.unregisterAll("t");
        assertNull(m.ftrace.ipModifyOwner(f));
    }

    @Test
    void theLoaderTaintsOnceTakesParamsAndRefusesDuplicates() {
        Sim s = new Sim();
        List<String> first = s.ok("insmod test_modules/test_klp_atomic_replace.ko replace=1");
        assertEquals("test_klp_atomic_replace: tainting kernel with TAINT_LIVEPATCH", first.get(0));
        assertEquals("1", s.read("/sys/module/test_klp_atomic_replace/parameters/replace").trim());
        assertEquals("1", s.read("/sys/module/test_klp_atomic_replace/refcnt").trim());
        // O (4096) + E (8192) + K (32768): out-of-tree, unsigned, livepatch
        assertEquals("45056", s.read("/proc/sys/kernel/tainted").trim());
        assertEquals("OEK", s.read("/sys/module/test_klp_atomic_replace/taint").trim());
        List<String> again = s.run("insmod test_modules/test_klp_livepatch.ko");
        assertFalse(again.stream().anyMatch(l -> l.contains("tainting")), "the notice is printed once per boot");
        assertEquals(-17, s.m.modules.load(s.m.source("test_klp_livepatch").instantiate(), List.of()));
        assertEquals(ModuleState.LIVE, s.m.modules.find("test_klp_livepatch").state);
    }

    @Test
    void aModuleNamedVmlinuxIsRefused() {
        Machine m = new Machine();
        ModuleSpec spec = new ModuleSpec("vmlinux", false);
        assertEquals(Errno.EINVAL.neg(), m.modules.load(spec, List.of()));
        assertEquals("livepatch: vmlinux.ko: invalid module name", m.printk.records().get(m.printk.records().size() - 1).text());
        assertNull(m.modules.find("vmlinux"));
    }

    @Test
    void parseArgsReportsEveryBadValueAndKeepsTheLastError() {
        Sim s = new Sim();
        List<String> out = s.run("insmod test_modules/test_klp_callbacks_busy.ko block_transition=2 x=1 block_transition=99");
        assertEquals(List.of("test_klp_callbacks_busy: `2' invalid for parameter `block_transition'",
                "test_klp_callbacks_busy: unknown parameter 'x' ignored",
                "test_klp_callbacks_busy: `99' invalid for parameter `block_transition'",
                "insmod: ERROR: could not insert module test_modules/test_klp_callbacks_busy.ko: Invalid parameters"), out);
        assertNull(s.m.modules.find("test_klp_callbacks_busy"));
        List<String> range = s.run("insmod test_modules/test_klp_atomic_replace.ko replace=4294967296");
        assertEquals("insmod: ERROR: could not insert module test_modules/test_klp_atomic_replace.ko: Numerical result out of range",
                range.get(range.size() - 1));
    }

    @Test
    void dynamicDebugQueriesMatchSitesAndExplainErrors() {
        Machine m = new Machine();
        assertEquals(1, m.dyndbg.execQueries("file transition.c:klp_init_transition +mfl", null));
        assertEquals(0, m.dyndbg.execQueries("file livepatch/transition.c +p", null), "a partial path matches nothing");
        assertEquals(8, m.dyndbg.execQueries("module livepatch =_", null));
        assertEquals(Errno.EINVAL.neg(), m.dyndbg.write("func x +p; nonsense; func y -p"));
        List<String> log = m.printk.records().stream().map(Printk.Record::text).toList();
        assertEquals(List.of("dyndbg: bad flag-op n, at start of nonsense", "dyndbg: flags parse failed"), log);
        assertTrue(DynamicDebug.matchWildcard("kernel/livepatch/*", "kernel/livepatch/transition.c"));
        assertFalse(DynamicDebug.matchWildcard("klp_*_task", "klp_try_switch_tasks"));
    }
}
