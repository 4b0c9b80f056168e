package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;
import dev.klpsim.kernel.Workqueue;

/**
 * test_modules/test_klp_callbacks_busy.c: a work item that sits in busymod_work_func
 * (msleep(20) in a loop) while block_transition is set, stalling any patch of that function;
 * the init waits for the work function's entry (wait_for_completion()).
 */
public final class TestKlpCallbacksBusy extends BuiltinModule {
    public TestKlpCallbacksBusy() {
        super("test_klp_callbacks_busy", false);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: busy target module").author("Joe Lawrence <joe.lawrence@redhat.com>");
        Param block = m.paramBool("block_transition", 0644, false, "block_transition (default=false)").explore("Y");
        // DECLARE_COMPLETION(busymod_work_started): only the original work function completes it
        var started = k.completion();
        m.function("busymod_work_func", c -> {
            k.prInfo("busymod_work_func enter");
            started.complete();
            c.sleepWhile(block::boolValue, 20 * Kernel.MSEC, false, "msleep",
                    () -> k.prInfo("busymod_work_func exit"));
            return 0;
        });
        Workqueue.Work[] work = new Workqueue.Work[1];
        m.init(() -> {
            k.prInfo("test_klp_callbacks_busy_init");
            work[0] = k.work("busymod_work_func");
            k.scheduleWork(work[0]);
            // hold init until the work function's entry message printed: a patched
            // busymod_work_func never completes it, and the load stays COMING for good
            return k.initWaitForCompletion(started, () -> {
                if (!block.boolValue()) k.flushWork(work[0]);
                return 0;
            });
        });
        m.exit(() -> {
            block.set(false);
            k.flushWork(work[0]);
            k.prInfo("test_klp_callbacks_busy_exit");
        });
    }
}
