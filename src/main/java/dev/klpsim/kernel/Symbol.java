package dev.klpsim.kernel;

/**
 * One kallsyms entry: a function of vmlinux or of a module. Stack frames point at symbols,
 * so "is this task executing code X" is "is X's symbol among its frames", as the kernel's
 * address-range check is.
 */
public final class Symbol {
    public final int id;
    /** Module name, or null for vmlinux. */
    public final String owner;
    public final String name;
    public final long addr;
    public final long size;
    /** Whether ftrace can attach here (notrace functions cannot be patched). */
    public final boolean traceable;
    final KFunction body;
    /** The livepatch klp_ops of this function while it is patched (the ftrace handler's lookup). */
    public Object klpOps;
    /**
     * During a transition attempt: 1 + the order of the first func whose forbidden code this
     * is, 0 otherwise. Set and cleared by the attempt, so the stack check is one field read
     * per stack entry.
     */
    public int klpForbidden;

    Symbol(int id, String owner, String name, long addr, long size, boolean traceable, KFunction body) {
        this.id = id;
        this.owner = owner;
        this.name = name;
        this.addr = addr;
        this.size = size;
        this.traceable = traceable;
        this.body = body;
    }

    public boolean inVmlinux() {
        return owner == null;
    }

    /** The object name the livepatch core uses: the module name or "vmlinux". */
    public String objectName() {
        return owner == null ? "vmlinux" : owner;
    }

    @Override
    public String toString() {
        return owner == null ? name : name + " [" + owner + "]";
    }
}
