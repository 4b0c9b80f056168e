// samples/livepatch/livepatch-shadow-mod.c as a .jsh module: a buggy module that allocates
// a dummy every second, leaking an int each time, and frees expired dummies every 3 s.
// struct dummy is shared with the fixes as LivepatchShadowMod.Dummy (the C samples share it
// by copying the struct definition). The C file defines no pr_fmt, so its pr_info lines carry
// no module name: printk at KERN_INFO instead of k.prInfo.
import dev.klpsim.modules.LivepatchShadowMod.Dummy;

m.description("Buggy module for shadow variable demo");
final int ALLOC_PERIOD = 1, CLEANUP_PERIOD = 3 * ALLOC_PERIOD, EXPIRE_PERIOD = 4 * CLEANUP_PERIOD;
List<Dummy> dummies = new ArrayList<>();
Workqueue.Work[] alloc = new Workqueue.Work[1], cleanup = new Workqueue.Work[1];

long jiffies() {
    return 0xfffb6c20L + k.machine().now() / 1_000_000L;   // INITIAL_JIFFIES + ms, HZ=1000
}

String ptr(Object o) {
    return k.machine().klp.shadow.pointer(o);
}

m.function("dummy_alloc", c -> {
    Dummy d = new Dummy(jiffies() + 1000L * EXPIRE_PERIOD);
    int[] leak = new int[1];   // oops, forgot to save leak!
    k.printk(Printk.KERN_INFO, String.format("dummy_alloc: dummy @ %s, expires @ %x", ptr(d), d.jiffiesExpire));
    return d;
});
m.function("dummy_free", c -> {
    Dummy d = (Dummy) c.arg(0);
    k.printk(Printk.KERN_INFO, String.format("dummy_free: dummy @ %s, expired = %x", ptr(d), d.jiffiesExpire));
    k.kfree(d);
    return 0;
});
m.function("dummy_check", c -> (Long) c.arg(1) > ((Dummy) c.arg(0)).jiffiesExpire);
m.function("alloc_work_func", c -> {
    Dummy d = (Dummy) k.call("dummy_alloc");
    if (d == null) return 0;
    dummies.add(0, d);
    k.scheduleDelayedWork(alloc[0], 1000L * ALLOC_PERIOD);
    return 0;
});
m.function("cleanup_work_func", c -> {
    long j = jiffies();
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
