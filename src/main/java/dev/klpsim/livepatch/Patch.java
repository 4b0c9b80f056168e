package dev.klpsim.livepatch;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kernel/livepatch/patch.c: per-function ops and func stacks, and the ftrace handler. */
public final class Patch {
    private static final int KLP_UNPATCHED = 0;

    private final Livepatch klp;
    /** klp_ops: one per patched original function. */
    private final Map<Symbol, KlpOps> ops = new LinkedHashMap<>();

    Patch(Livepatch klp) {
        this.klp = klp;
    }

    public KlpOps klpFindOps(Symbol oldFunc) {
        return oldFunc == null ? null : (KlpOps) oldFunc.klpOps;
    }

    public List<KlpOps> allOps() {
        return new ArrayList<>(ops.values());
    }

    /**
     * klp_ftrace_handler(): which implementation {@code task} runs when it calls {@code fn}.
     * Returns {@code fn} itself when the original runs.
     */
    public Symbol klpFtraceHandler(Symbol fn, Task task) {
        KlpOps o = (KlpOps) fn.klpOps;
        if (o == null) return fn;
        KlpFunc func = o.top();
        if (func == null) return fn;
        if (func.transition) {
            // A task still in the old state uses the entry below, or the original.
            if (task.patchState == KLP_UNPATCHED) {
                func = o.below(func);
                if (func == null) return fn;
            }
        }
        if (func.nop) return fn;
        return func.newFunc == null ? fn : func.newFunc;
    }

    /** klp_patch_func() */
    int klpPatchFunc(KlpFunc func) {
        if (func.oldFunc == null || func.patched) return Errno.EINVAL.neg();
        KlpOps o = klpFindOps(func.oldFunc);
        if (o == null) {
            if (!func.oldFunc.traceable) {
                klp.prErr("failed to find location for function '" + func.oldName + "'");
                return Errno.EINVAL.neg();
            }
            o = new KlpOps(func.oldFunc);
            o.funcStack.add(0, func);
            int ret = klp.machine.ftrace.registerIpModify(func.oldFunc, "livepatch", true);
            if (ret != 0) {
                klp.prErr("failed to register ftrace handler for function '" + func.oldName + "' (" + ret + ")");
                return ret;
            }
            ops.put(func.oldFunc, o);
            func.oldFunc.klpOps = o;
            if (klp.tracing()) klp.machine.trace.emit(null, new TraceEvent.FuncStackOp(func.obj.patch.name(), "ftrace", func.oldName, 1,
                    func.oldName + " (" + func.oldFunc.objectName() + "): ftrace handler registered"));
        } else {
            o.funcStack.add(0, func);
        }
        func.patched = true;
        if (klp.tracing()) klp.machine.trace.emit(null, new TraceEvent.FuncStackOp(func.obj.patch.name(), "push", func.oldName, o.funcStack.size(),
                func.oldName + ": pushed " + (func.nop ? "nop" : String.valueOf(func.newFunc)) + " of '" + func.obj.patch.name()
                        + "' (stack depth " + o.funcStack.size() + ")"));
        return 0;
    }

    /** klp_unpatch_func(): the last func off a stack unregisters the ftrace handler. */
    void klpUnpatchFunc(KlpFunc func) {
        if (!func.patched || func.oldFunc == null) return;
        KlpOps o = klpFindOps(func.oldFunc);
        if (o == null) return;
        boolean last = o.funcStack.size() == 1;
        if (last) {
            klp.machine.ftrace.unregisterIpModify(func.oldFunc, "livepatch");
            o.funcStack.remove(func);
            ops.remove(func.oldFunc);
            func.oldFunc.klpOps = null;
        } else {
            o.funcStack.remove(func);
        }
        func.patched = false;
        if (klp.tracing()) {
            klp.machine.trace.emit(null, new TraceEvent.FuncStackOp(func.obj.patch.name(), "pop", func.oldName, o.funcStack.size(),
                    func.oldName + ": popped " + (func.nop ? "nop" : String.valueOf(func.newFunc)) + " of '" + func.obj.patch.name()
                            + "' (stack depth " + o.funcStack.size() + ")"));
            if (last) klp.machine.trace.emit(null, new TraceEvent.FuncStackOp(func.obj.patch.name(), "ftrace", func.oldName, 0,
                    func.oldName + " (" + func.oldFunc.objectName() + "): ftrace handler unregistered, the original runs untraced"));
        }
    }

    /** __klp_unpatch_object() */
    void klpUnpatchObject(KlpObject obj, boolean nopsOnly) {
        for (KlpFunc func : obj.funcList) {
            if (nopsOnly && !func.nop) continue;
            if (func.patched) klpUnpatchFunc(func);
        }
        if (obj.dynamic || !nopsOnly) obj.patched = false;
    }

    void klpUnpatchObject(KlpObject obj) {
        klpUnpatchObject(obj, false);
    }

    /** klp_patch_object(): all funcs or none. */
    int klpPatchObject(KlpObject obj) {
        if (obj.patched) return Errno.EINVAL.neg();
        for (KlpFunc func : obj.funcList) {
            int ret = klpPatchFunc(func);
            if (ret != 0) {
                klpUnpatchObject(obj);
                return ret;
            }
        }
        obj.patched = true;
        return 0;
    }

    /** __klp_unpatch_objects() */
    void klpUnpatchObjects(KlpPatch patch, boolean nopsOnly) {
        for (KlpObject obj : patch.objList) if (obj.patched) klpUnpatchObject(obj, nopsOnly);
    }

    void klpUnpatchObjects(KlpPatch patch) {
        klpUnpatchObjects(patch, false);
    }

    /** klp_unpatch_objects_dynamic(): the nops and dynamic objects of a replace patch. */
    void klpUnpatchObjectsDynamic(KlpPatch patch) {
        klpUnpatchObjects(patch, true);
    }
}
