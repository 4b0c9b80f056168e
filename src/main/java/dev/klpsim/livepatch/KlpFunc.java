package dev.klpsim.livepatch;

import dev.klpsim.kernel.Symbol;

/** struct klp_func: one function a patch replaces (include/linux/livepatch.h). */
public final class KlpFunc {
    // external
    public final String oldName;
    /** Name of the replacement in the livepatch module; null for a nop. */
    public final String newName;
    public final long oldSympos;

    // internal
    /** Resolved while the object is loaded; null otherwise. */
    public Symbol oldFunc;
    /** The replacement; for a nop, the original once loaded. */
    public Symbol newFunc;
    public boolean nop;
    public boolean patched;
    public boolean transition;
    KlpObject obj;
    /** Whether the func's sysfs directory exists. */
    boolean kobjAdded;

    public KlpFunc(String oldName, String newName, long oldSympos) {
        this.oldName = oldName;
        this.newName = newName;
        this.oldSympos = oldSympos;
    }

    public KlpObject object() {
        return obj;
    }

    /** The sysfs directory name: old_name,sympos with sympos 0 shown as 1. */
    public String kobjName() {
        return oldName + "," + (oldSympos == 0 ? 1 : oldSympos);
    }

    @Override
    public String toString() {
        return kobjName() + (nop ? " (nop)" : "");
    }
}
