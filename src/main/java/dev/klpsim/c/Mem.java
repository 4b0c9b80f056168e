package dev.klpsim.c;

/**
 * Memory of a C module: one slot per object (an int, a pointer, an embedded struct or
 * array), so pointer arithmetic moves by elements. A null slot reads as zero, as kzalloc'd
 * and static memory does. A pointer to a slot is one canonical {@link Ptr} object, so that
 * pointer equality is identity and a pointer can key the kernel's shadow variables.
 */
final class Mem {
    final Object[] slots;
    /** The struct whose members these slots are, for container_of; null for arrays and variables. */
    final CStruct owner;
    /** kfree'd: an access after it is a use after free. */
    boolean freed;
    private Ptr[] ptrs;

    Mem(int n, CStruct owner) {
        this.slots = new Object[Math.max(1, n)];
        this.owner = owner;
    }

    Ptr ptr(int idx) {
        if (ptrs == null) ptrs = new Ptr[slots.length + 1];
        if (idx < 0 || idx >= ptrs.length) return new Ptr(this, idx);
        Ptr p = ptrs[idx];
        if (p == null) ptrs[idx] = p = new Ptr(this, idx);
        return p;
    }

    /** A C pointer: the slot {@code idx} of {@code mem}. */
    static final class Ptr {
        final Mem mem;
        final int idx;

        Ptr(Mem mem, int idx) {
            this.mem = mem;
            this.idx = idx;
        }

        Ptr plus(long n) {
            return mem.ptr((int) (idx + n));
        }

        boolean inBounds() {
            return idx >= 0 && idx < mem.slots.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ptr p && p.mem == mem && p.idx == idx;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(mem) * 31 + idx;
        }

        @Override
        public String toString() {
            return "ptr@" + Integer.toHexString(System.identityHashCode(mem)) + "+" + idx;
        }
    }

    /** A struct (or union) object: its members in a Mem of their own. */
    static final class CStruct {
        final CType.Struct type;
        final Mem fields;
        /** Where the struct itself is stored (a pointer to it). */
        Ptr home;

        CStruct(CType.Struct type) {
            this.type = type;
            this.fields = new Mem(type.union ? 1 : type.names.size(), this);
        }
    }

    /**
     * A kernel object module code points to (a klp_object, a module, a task, a seq_file, a
     * klp_state): its members are read and written through the kernel's Java object.
     */
    record Foreign(Object object) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Foreign f && f.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }
}
