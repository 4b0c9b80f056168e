package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The pr_debug() call sites of the kernel code klpsim runs, per profile, with the file,
 * line and format the real kernel's /sys/kernel/debug/dynamic_debug/control lists (read on
 * the oracle's Debian 7.3.4, 6.12.107 and 5.10.262 kernels; the spec profile has 6.12's). kernel/livepatch/core.c has none.
 * The real control file lists every site of the kernel (2152 on 6.12); klpsim lists these.
 */
final class DebugSites {
    private DebugSites() {}

    /**
     * Built-in tables in the order the control file lists them (6.12: params, livepatch,
     * the module loader, each in line order; 5.10: livepatch before params, and each table
     * last line first).
     */
    static List<DynamicDebug.Table> builtin(Profile p) {
        List<DynamicDebug.Table> t = new ArrayList<>();
        t.add(table("params", "kernel/params.c", p.legacyTransition()
                ? new Object[] {
                    139, "parse_one", "handling %s with %p\n",
                    152, "parse_one", "doing %s: %s='%s'\n",
                    156, "parse_one", "Unknown argument '%s'\n",
                    177, "parse_args", "doing %s, parsing ARGS: '%s'\n"}
                : new Object[] {
                    139, "parse_one", p.paramsValueDebug() ? "handling %s with value '%s'\n" : "handling %s with %p\n",
                    152, "parse_one", "doing %s: %s='%s'\n",
                    156, "parse_one", "Unknown argument '%s'\n",
                    175, "parse_args", "doing %s, parsing ARGS: '%s'\n"}));
        t.add(table("livepatch", "kernel/livepatch/transition.c", p.legacyTransition()
                ? new Object[] {
                    76, "klp_complete_transition", "'%s': completing %s transition\n",
                    149, "klp_cancel_transition", "'%s': canceling patching transition, going to unpatch\n",
                    // 5.10 builds the per-task message in err_buf and prints it once, here
                    334, "klp_try_switch_task", "%s",
                    522, "klp_init_transition", "'%s': initializing %s transition\n",
                    583, "klp_reverse_transition", "'%s': reversing transition from %s\n"}
                : p.version() >= 7003 ? new Object[] {
                    88, "klp_complete_transition", "'%s': completing %s transition\n",
                    161, "klp_cancel_transition", "'%s': canceling patching transition, going to unpatch\n",
                    336, "klp_try_switch_task", "%s: %s:%d is running\n",
                    340, "klp_try_switch_task", "%s: %s:%d has an unreliable stack\n",
                    344, "klp_try_switch_task", "%s: %s:%d is sleeping on function %s\n",
                    349, "klp_try_switch_task", "%s: Unknown error code (%d) when trying to switch %s:%d\n",
                    570, "klp_init_transition", "'%s': initializing %s transition\n",
                    632, "klp_reverse_transition", "'%s': reversing transition from %s\n"}
                : new Object[] {
                    97, "klp_complete_transition", "'%s': completing %s transition\n",
                    170, "klp_cancel_transition", "'%s': canceling patching transition, going to unpatch\n",
                    345, "klp_try_switch_task", "%s: %s:%d is running\n",
                    349, "klp_try_switch_task", "%s: %s:%d has an unreliable stack\n",
                    353, "klp_try_switch_task", "%s: %s:%d is sleeping on function %s\n",
                    358, "klp_try_switch_task", "%s: Unknown error code (%d) when trying to switch %s:%d\n",
                    591, "klp_init_transition", "'%s': initializing %s transition\n",
                    653, "klp_reverse_transition", "'%s': reversing transition from %s\n"}));
        if (p.legacyTransition()) {
            java.util.Collections.swap(t, 0, 1);
            for (DynamicDebug.Table tb : t) java.util.Collections.reverse(tb.sites());
            t.add(table("module", "kernel/module.c", new Object[] {
                4195, "__do_sys_finit_module", "finit_module: fd=%d, uargs=%p, flags=%i\n"}));
        } else {
            t.add(table("main", "kernel/module/main.c", new Object[] {
                p.version() >= 7003 ? 3822 : 3241, "__do_sys_finit_module", "finit_module: fd=%d, uargs=%p, flags=%i\n"}));
        }
        return t;
    }

    private static DynamicDebug.Table table(String mod, String file, Object[] sites) {
        List<DynamicDebug.Site> l = new ArrayList<>();
        for (int i = 0; i < sites.length; i += 3)
            l.add(new DynamicDebug.Site(mod, file, (String) sites[i + 1], (Integer) sites[i], (String) sites[i + 2]));
        return new DynamicDebug.Table(mod, l);
    }
}
