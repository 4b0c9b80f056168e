package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;
import dev.klpsim.kernel.Workqueue;

/** samples/livepatch/livepatch-callbacks-busymod.c: a worker that msleeps sleep_secs in busymod_work_func. */
public final class LivepatchCallbacksBusymod extends BuiltinModule {
    public LivepatchCallbacksBusymod() {
        super("livepatch_callbacks_busymod", false);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.sampleDescription("Live patching demo for (un)patching callbacks, support module");
        Param sleepSecs = m.paramInt("sleep_secs", 0644, 0, "sleep_secs (default=0)");
        m.function("busymod_work_func", c -> {
            int secs = sleepSecs.intValue();
            k.prInfo("busymod_work_func, sleeping " + secs + " seconds ...");
            long until = c.machine.now() + secs * 1_000_000_000L;
            c.sleepWhile(() -> c.machine.now() < until, Math.max(1, until - c.machine.now()), false, "msleep",
                    () -> k.prInfo("busymod_work_func exit"));
            return 0;
        });
        Workqueue.Work[] work = new Workqueue.Work[1];
        m.init(() -> {
            k.prInfo("livepatch_callbacks_mod_init");
            work[0] = k.work("busymod_work_func");
            k.scheduleDelayedWork(work[0], 0);
            return 0;
        });
        m.exit(() -> {
            k.cancelDelayedWorkSync(work[0]);
            k.prInfo("livepatch_callbacks_mod_exit");
        });
    }
}
