package dev.klpsim.livepatch;

import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Trace.Category;

import java.util.ArrayList;
import java.util.IdentityHashMap;
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
    public record Var(Object obj, long id, Data data, String allocatedBy, long atNs, long seq) {}

    @FunctionalInterface
    public interface Ctor {
        int construct(Object obj, Data data, Object ctorData);
    }

    @FunctionalInterface
    public interface Dtor {
        void destroy(Object obj, Data data);
    }

    private final Livepatch klp;
    /** obj -> its Var, or a Var[] when it has several ids: one identity lookup per operation. */
    private final IdentityHashMap<Object, Object> table = new IdentityHashMap<>();
    private long seq;
    private final Map<Object, Long> fakeAddrs = new IdentityHashMap<>();

    Shadow(Livepatch klp) {
        this.klp = klp;
    }

    /** klp_shadow_get() */
    public Data klpShadowGet(Object obj, long id) {
        Var v = find(obj, id);
        Data d = v == null ? null : v.data();
        if (klp.tracing()) trace("get", () -> String.format("klp_shadow_get(obj=%s, id=0x%x) = %s", pointer(obj), id, d == null ? "NULL" : pointer(d)));
        return d;
    }

    private void trace(String kind, java.util.function.Supplier<String> text) {
        // callers pass a lambda; checking first keeps the formatting off the hot path
        if (klp.tracing()) klp.trace(Category.SHADOW, kind, klp.machine.current, null, 0, text.get());
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
        java.util.function.Supplier<String> call = !klp.tracing() ? null : () -> String.format("klp_shadow_%s(obj=%s, id=0x%x, size=%d, ctor=%s) by %s",
                warnOnExist ? "alloc" : "get_or_alloc", pointer(obj), id, size, ctor == null ? "none" : "yes", owner);
        Var v = find(obj, id);
        Data existing = v == null ? null : v.data();
        if (existing != null) {
            if (warnOnExist) {
                klp.warn("kernel/livepatch/shadow.c", 138, "__klp_shadow_get_or_alloc",
                        String.format("Duplicate shadow variable <%s, %x>", pointer(obj), id));
                if (call != null) trace("alloc", () -> call.get() + " = NULL (-EEXIST: it exists)");
                return null;
            }
            if (call != null) trace("get_or_alloc", () -> call.get() + " = " + pointer(existing) + " (existing, no ctor)");
            return existing;
        }
        Data data = new Data(size);
        if (ctor != null) {
            int err = ctor.construct(obj, data, ctorData);
            if (err != 0) {
                klp.machine.printk.log(Printk.KERN_ERR, String.format("livepatch: Failed to construct shadow variable <%s, %x> (%d)", pointer(obj), id, err));
                if (call != null) trace(warnOnExist ? "alloc" : "get_or_alloc", () -> call.get() + " = NULL (ctor returned " + err + ")");
                return null;
            }
        }
        insert(new Var(obj, id, data, owner, klp.machine.now(), seq++));
        if (call != null) trace(warnOnExist ? "alloc" : "get_or_alloc", () -> call.get() + " = " + pointer(data) + " (new)");
        return data;
    }

    /** klp_shadow_free() */
    public void klpShadowFree(Object obj, long id, Dtor dtor) {
        Var v = remove(obj, id);
        if (v != null && dtor != null) dtor.destroy(obj, v.data());
        if (klp.tracing()) trace("free", () -> String.format("klp_shadow_free(obj=%s, id=0x%x, dtor=%s): %s", pointer(obj), id,
                dtor == null ? "none" : "yes", v == null ? "not found" : "freed " + pointer(v.data())));
    }

    /** klp_shadow_free_all(): every variable with this id, whatever its obj. */
    public void klpShadowFreeAll(long id, Dtor dtor) {
        int n = 0;
        for (Var v : live()) {
            if (v.id() != id) continue;
            remove(v.obj(), id);
            if (dtor != null) dtor.destroy(v.obj(), v.data());
            n++;
        }
        int freed = n;
        trace("free_all", () -> String.format("klp_shadow_free_all(id=0x%x, dtor=%s): %d freed", id, dtor == null ? "none" : "yes", freed));
    }

    /** Whether (obj, id) is a live variable; no trace event (an observer's question). */
    public boolean exists(Object obj, long id) {
        return find(obj, id) != null;
    }

    private Var find(Object obj, long id) {
        Object v = table.get(obj);
        if (v instanceof Var x) return x.id() == id ? x : null;
        if (v instanceof Var[] all) for (Var x : all) if (x.id() == id) return x;
        return null;
    }

    private void insert(Var nv) {
        Object v = table.get(nv.obj());
        if (v == null) table.put(nv.obj(), nv);
        else if (v instanceof Var x) table.put(nv.obj(), new Var[] {x, nv});
        else {
            Var[] all = (Var[]) v;
            Var[] more = java.util.Arrays.copyOf(all, all.length + 1);
            more[all.length] = nv;
            table.put(nv.obj(), more);
        }
    }

    private Var remove(Object obj, long id) {
        Object v = table.get(obj);
        if (v instanceof Var x) {
            if (x.id() != id) return null;
            table.remove(obj);
            return x;
        }
        if (v instanceof Var[] all) {
            for (int i = 0; i < all.length; i++) {
                if (all[i].id() != id) continue;
                Var found = all[i];
                List<Var> rest = new ArrayList<>(List.of(all));
                rest.remove(i);
                table.put(obj, rest.size() == 1 ? rest.get(0) : rest.toArray(new Var[0]));
                return found;
            }
        }
        return null;
    }

    /** Every live variable, in the order they were allocated (deterministic, unlike the kernel's buckets). */
    public List<Var> live() {
        List<Var> out = new ArrayList<>();
        for (Object v : table.values()) {
            if (v instanceof Var x) out.add(x);
            else for (Var x : (Var[]) v) out.add(x);
        }
        out.sort(java.util.Comparator.comparingLong(Var::seq));
        return out;
    }

    /** A stable stand-in for the kernel's hashed %p. */
    public String pointer(Object obj) {
        long a = fakeAddrs.computeIfAbsent(obj, k -> 0x00000000a1b2c000L + 0x40L * fakeAddrs.size());
        return String.format("%016x", a);
    }
}
