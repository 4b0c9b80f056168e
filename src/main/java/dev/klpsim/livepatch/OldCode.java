package dev.klpsim.livepatch;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tasks executing code that new calls no longer reach: what the consistency model exists to
 * prevent, and what `echo 1 > force` allows. A frame is old code when it is the replacement
 * of a patch that is gone (replaced or disabled; a forced patch's module stays loaded, so
 * the code is still there), or a version of a patched function other than the one the
 * task's patch state selects now while the task is not pending (it was forced). A pending
 * task in the old version is not old code: the transition waits for it.
 */
public final class OldCode {
    private OldCode() {}

    /** {@code task} is in {@code code}, a version of {@code function}; {@code why} says why no new call runs it. */
    public record Frame(Task task, Symbol code, String function, String why) {}

    /** Every such frame (innermost first per task), of the function named {@code function} only when it is not null. */
    public static List<Frame> find(Machine m, String function) {
        Map<Symbol, KlpOps> versions = new IdentityHashMap<>();
        for (KlpOps ops : m.klp.patch.allOps()) {
            versions.put(ops.oldFunc, ops);
            for (KlpFunc f : ops.funcStack()) if (!f.nop && f.newFunc != null) versions.put(f.newFunc, ops);
        }
        List<Frame> out = new ArrayList<>();
        for (Task t : m.tasks()) {
            List<Symbol> frames = t.frames();
            for (int i = frames.size() - 1; i >= 0; i--) {
                Symbol s = frames.get(i);
                Core.Retired r = m.klp.core.retired(s);
                KlpOps ops = versions.get(s);
                if (ops != null && !t.patchPending) {
                    Symbol now = m.klp.patch.klpFtraceHandler(ops.oldFunc, t);
                    if (now != s && match(function, ops.oldFunc.name))
                        out.add(new Frame(t, s, ops.oldFunc.name, "its patch state (" + t.patchState + ") selects " + version(now, ops) + " for new calls"));
                } else if (ops == null && r != null && match(function, r.func().oldName)) {
                    out.add(new Frame(t, s, r.func().oldName, "its patch '" + r.patch() + "' is gone"
                            + (r.forced() ? " (forced: its module stays loaded for good)" : "")));
                }
            }
        }
        return out;
    }

    private static boolean match(String function, String name) {
        return function == null || function.equals(name);
    }

    private static String version(Symbol code, KlpOps ops) {
        return code == ops.oldFunc ? "the original" : code.toString();
    }
}
