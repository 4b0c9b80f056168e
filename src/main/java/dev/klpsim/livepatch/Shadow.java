package dev.klpsim.livepatch;

import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Trace.Category;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * kernel/livepatch/shadow.c: data attached to existing objects, keyed by (obj, id). An obj
 * is any Java object, compared by identity as the kernel compares pointers.
 */
public final class Shadow {
    /** The data of one shadow variable: {@code size} zeroed bytes, plus a slot for a pointer. */
    public static final class Data {
        public final long size;
        public final byte[] bytes;
        /** Shadow data that holds a pointer (the samples store one) keeps it here. */
        public Object ptr;
        /** Any int the user keeps (a counter, for instance). */
        public long value;

        Data(long size) {
            this.size = size;
            this.bytes = new byte[(int) Math.min(size, 4096)];
        }
    }

    /** One live variable, with who allocated it and when (for the ledgers). */
    public record Var(Object obj, long id, Data data, String allocatedBy, long atNs) {}

    @FunctionalInterface
    public interface Ctor {
        int construct(Object obj, Data data, Object ctorData);
    }

    @FunctionalInterface
    public interface Dtor {
        void destroy(Object obj, Data data);
    }

    private record Key(Object obj, long id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.obj == obj && k.id == id;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(obj) * 31 + Long.hashCode(id);
        }
    }

    private final Livepatch klp;
    private final Map<Key, Var> table = new LinkedHashMap<>();
    private final Map<Object, Long> fakeAddrs = new IdentityHashMap<>();

    Shadow(Livepatch klp) {
        this.klp = klp;
    }

    /** klp_shadow_get() */
    public Data klpShadowGet(Object obj, long id) {
        Var v = table.get(new Key(obj, id));
        Data d = v == null ? null : v.data();
        trace("get", String.format("klp_shadow_get(obj=%s, id=0x%x) = %s", pointer(obj), id, d == null ? "NULL" : pointer(d)));
        return d;
    }

    private void trace(String kind, String text) {
        if (klp.tracing()) klp.trace(Category.SHADOW, kind, klp.machine.current, null, 0, text);
    }

    /** klp_shadow_alloc(): WARNs and returns null when (obj, id) exists. */
    public Data klpShadowAlloc(Object obj, long id, long size, Ctor ctor, Object ctorData, String owner) {
        return klpShadowGetOrAlloc(obj, id, size, ctor, ctorData, owner, true);
    }

    /** klp_shadow_get_or_alloc(): the existing data, without calling ctor, when it exists. */
    public Data klpShadowGetOrAlloc(Object obj, long id, long size, Ctor ctor, Object ctorData, String owner) {
        return klpShadowGetOrAlloc(obj, id, size, ctor, ctorData, owner, false);
    }

    private Data klpShadowGetOrAlloc(Object obj, long id, long size, Ctor ctor, Object ctorData, String owner, boolean warnOnExist) {
        String call = String.format("klp_shadow_%s(obj=%s, id=0x%x, size=%d, ctor=%s) by %s", warnOnExist ? "alloc" : "get_or_alloc",
                pointer(obj), id, size, ctor == null ? "none" : "yes", owner);
        Var v = table.get(new Key(obj, id));
        Data existing = v == null ? null : v.data();
        if (existing != null) {
            if (warnOnExist) {
                klp.warn("kernel/livepatch/shadow.c", 138, "__klp_shadow_get_or_alloc",
                        String.format("Duplicate shadow variable <%s, %x>", pointer(obj), id));
                trace("alloc", call + " = NULL (-EEXIST: it exists)");
                return null;
            }
            trace("get_or_alloc", call + " = " + pointer(existing) + " (existing, no ctor)");
            return existing;
        }
        Data data = new Data(size);
        if (ctor != null) {
            int err = ctor.construct(obj, data, ctorData);
            if (err != 0) {
                klp.machine.printk.log(Printk.KERN_ERR, String.format("livepatch: Failed to construct shadow variable <%s, %x> (%d)", pointer(obj), id, err));
                trace(warnOnExist ? "alloc" : "get_or_alloc", call + " = NULL (ctor returned " + err + ")");
                return null;
            }
        }
        table.put(new Key(obj, id), new Var(obj, id, data, owner, klp.machine.now()));
        trace(warnOnExist ? "alloc" : "get_or_alloc", call + " = " + pointer(data) + " (new)");
        return data;
    }

    /** klp_shadow_free() */
    public void klpShadowFree(Object obj, long id, Dtor dtor) {
        Var v = table.remove(new Key(obj, id));
        if (v != null && dtor != null) dtor.destroy(obj, v.data());
        trace("free", String.format("klp_shadow_free(obj=%s, id=0x%x, dtor=%s): %s", pointer(obj), id,
                dtor == null ? "none" : "yes", v == null ? "not found" : "freed " + pointer(v.data())));
    }

    /** klp_shadow_free_all(): every variable with this id, whatever its obj. */
    public void klpShadowFreeAll(long id, Dtor dtor) {
        int n = 0;
        for (Var v : new ArrayList<>(table.values())) {
            if (v.id() != id) continue;
            table.remove(new Key(v.obj(), id));
            if (dtor != null) dtor.destroy(v.obj(), v.data());
            n++;
        }
        trace("free_all", String.format("klp_shadow_free_all(id=0x%x, dtor=%s): %d freed", id, dtor == null ? "none" : "yes", n));
    }

    public List<Var> live() {
        return List.copyOf(table.values());
    }

    /** A stable stand-in for the kernel's hashed %p. */
    public String pointer(Object obj) {
        long a = fakeAddrs.computeIfAbsent(obj, k -> 0x00000000a1b2c000L + 0x40L * fakeAddrs.size());
        return String.format("%016x", a);
    }
}
