package dev.klpsim.livepatch;

import dev.klpsim.kernel.Symbol;

import java.util.ArrayList;
import java.util.List;

/** struct klp_ops: the ftrace registration and func stack of one patched function. */
public final class KlpOps {
    public final Symbol oldFunc;
    /** func_stack, top (newest) first. */
    final List<KlpFunc> funcStack = new ArrayList<>();

    KlpOps(Symbol oldFunc) {
        this.oldFunc = oldFunc;
    }

    public List<KlpFunc> funcStack() {
        return List.copyOf(funcStack);
    }

    KlpFunc top() {
        return funcStack.isEmpty() ? null : funcStack.get(0);
    }

    /** The entry below {@code func}, or null when it is the bottom (the original lies below). */
    KlpFunc below(KlpFunc func) {
        int i = funcStack.indexOf(func);
        return i >= 0 && i + 1 < funcStack.size() ? funcStack.get(i + 1) : null;
    }
}
