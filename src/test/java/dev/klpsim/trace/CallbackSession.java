package dev.klpsim.trace;

import dev.klpsim.Sim;
import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * The session the export tests draw: the callbacks demo with a module loaded late, a
 * cumulative replace (demo2 replace=1, whose completion skips demo's unpatch callbacks),
 * and the shadow hand-over of docs/examples/my-fix-v{1,2}.jsh (v2 takes v1's variable over
 * and frees it when disabled; v1 loaded again allocates one nothing will free).
 */
final class CallbackSession {
    private CallbackSession() {}

    static Sim run() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_callbacks_demo.ko", "sleep 1",
                "insmod test_modules/test_klp_callbacks_mod.ko", "sleep 1",
                "insmod test_modules/test_klp_callbacks_demo2.ko replace=1",
                "rmmod test_klp_callbacks_demo", "rmmod test_klp_callbacks_mod",
                "insmod docs/examples/my-fix-v1.jsh", "rmmod test_klp_callbacks_demo2", "sleep 1",
                "insmod docs/examples/my-fix-v2.jsh", "rmmod my_fix_v1",
                "echo 0 > /sys/kernel/livepatch/my_fix_v2/enabled", "rmmod my_fix_v2",
                "insmod docs/examples/my-fix-v1.jsh");
        return s;
    }

    /** The callbacks that ran, as "patch callback(object)", in the kernel's order (from the typed events). */
    static List<String> callbacksRun(Sim s) {
        List<String> out = new ArrayList<>();
        for (Trace.Event e : s.m.trace.all())
            if (e.what() instanceof TraceEvent.CallbackRan c) out.add(c.patch() + " " + c.callback() + "(" + c.object() + ")");
        return out;
    }
}
