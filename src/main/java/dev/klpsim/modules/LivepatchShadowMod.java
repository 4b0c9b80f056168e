package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Workqueue;

import java.util.ArrayList;
import java.util.List;

/**
 * samples/livepatch/livepatch-shadow-mod.c: allocates a dummy every second (leaking an int
 * each time) and frees expired dummies every three seconds. The C file defines no pr_fmt, so
 * its lines carry no module name (v5.10, v6.12 and mainline alike; seen on Linux 6.12.107 and 5.10.262).
 */
public final class LivepatchShadowMod extends BuiltinModule {
    static final int ALLOC_PERIOD = 1;
    static final int CLEANUP_PERIOD = 3 * ALLOC_PERIOD;
    static final int EXPIRE_PERIOD = 4 * CLEANUP_PERIOD;
    /** INITIAL_JIFFIES on a 64-bit kernel with HZ=1000. */
    static final long INITIAL_JIFFIES = 0xfffb6c20L;

    /** struct dummy */
    public static final class Dummy {
        public final long jiffiesExpire;

        public Dummy(long jiffiesExpire) {
            this.jiffiesExpire = jiffiesExpire;
        }
    }

    public LivepatchShadowMod() {
        super("livepatch_shadow_mod", false);
    }

    static long jiffies(Kernel k) {
        return INITIAL_JIFFIES + k.machine().now() / 1_000_000L;
    }

    static String ptr(Kernel k, Object o) {
        return k.machine().klp.shadow.pointer(o);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Buggy module for shadow variable demo").author("Joe Lawrence <joe.lawrence@redhat.com>");
        List<Dummy> dummies = new ArrayList<>();
        Workqueue.Work[] alloc = new Workqueue.Work[1];
        Workqueue.Work[] cleanup = new Workqueue.Work[1];
        m.function("dummy_alloc", c -> {
            Dummy d = new Dummy(jiffies(k) + 1000L * EXPIRE_PERIOD);
            new Object(); // the leak: allocated and forgotten
            k.printk(Printk.KERN_INFO, String.format("dummy_alloc: dummy @ %s, expires @ %x", ptr(k, d), d.jiffiesExpire));
            return d;
        });
        m.function("dummy_free", c -> {
            Dummy d = (Dummy) c.arg(0);
            k.printk(Printk.KERN_INFO, String.format("dummy_free: dummy @ %s, expired = %x", ptr(k, d), d.jiffiesExpire));
            k.kfree(d);
            return 0;
        });
        m.function("dummy_check", c -> {
            Dummy d = (Dummy) c.arg(0);
            long j = (Long) c.arg(1);
            return j > d.jiffiesExpire;
        });
        m.function("alloc_work_func", c -> {
            Dummy d = (Dummy) k.call("dummy_alloc");
            if (d == null) return 0;
            dummies.add(0, d);
            k.scheduleDelayedWork(alloc[0], 1000L * ALLOC_PERIOD);
            return 0;
        });
        m.function("cleanup_work_func", c -> {
            long j = jiffies(k);
            k.printk(Printk.KERN_INFO, String.format("cleanup_work_func: jiffies = %x", j));
            for (Dummy d : List.copyOf(dummies)) {
                if ((Boolean) k.call("dummy_check", d, j)) {
                    dummies.remove(d);
                    k.call("dummy_free", d);
                }
            }
            k.scheduleDelayedWork(cleanup[0], 1000L * CLEANUP_PERIOD);
            return 0;
        });
        // for klp explore: the dummies on the list and how long until each expires decide what happens next
        m.exploreState(() -> {
            List<Object> state = new ArrayList<>();
            for (Dummy d : dummies) {
                state.add(d);
                state.add(d.jiffiesExpire - jiffies(k));
            }
            return state;
        });
        m.init(() -> {
            alloc[0] = k.work("alloc_work_func");
            cleanup[0] = k.work("cleanup_work_func");
            k.scheduleDelayedWork(alloc[0], 1000L * ALLOC_PERIOD);
            k.scheduleDelayedWork(cleanup[0], 1000L * CLEANUP_PERIOD);
            return 0;
        });
        m.exit(() -> {
            k.cancelDelayedWorkSync(alloc[0]);
            k.cancelDelayedWorkSync(cleanup[0]);
            for (Dummy d : List.copyOf(dummies)) {
                dummies.remove(d);
                k.call("dummy_free", d);
            }
        });
    }
}
