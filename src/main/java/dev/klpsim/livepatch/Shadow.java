package dev.klpsim.livepatch;

import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.TraceEvent;
import dev.klpsim.kernel.TraceEvent.ShadowCall;
import dev.klpsim.kernel.TraceEvent.ShadowResult;

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

    /**
     * One live variable and its ledger: who allocated it, when, in which callback, and which
     * other modules used it since (read it, or took it over with get_or_alloc). The ledger
     * is kept off the hot path: a call by the module that used it last costs one reference
     * comparison.
     */
    public static final class Var {
        private final Object obj;
        private final long id;
        private final Data data;
        private final String allocatedBy;
        private final String allocatedIn;
        private final long atNs;
        private final long seq;
        private String lastUser;
        private final List<String> users = new ArrayList<>(1);
        private String takenOverBy;
        /** Its obj's and data's %p, made on first use: a traced call then formats nothing. */
        private String objPointer, dataPointer;

        Var(Object obj, long id, Data data, String allocatedBy, String allocatedIn, long atNs, long seq) {
            this.obj = obj;
            this.id = id;
            this.data = data;
            this.allocatedBy = allocatedBy;
            this.allocatedIn = allocatedIn;
            this.atNs = atNs;
            this.seq = seq;
            this.lastUser = allocatedBy;
        }

        public Object obj() { return obj; }
        public long id() { return id; }
        public Data data() { return data; }
        /** The module whose code allocated it. */
        public String allocatedBy() { return allocatedBy; }
        /** The callback it was allocated in (e.g. "pre_patch(vmlinux)"), or null. */
        public String allocatedIn() { return allocatedIn; }
        public long atNs() { return atNs; }
        public long seq() { return seq; }
        /** The modules other than the allocator that used it since, first use first. */
        public List<String> users() { return List.copyOf(users); }
        /** The last module that got it with klp_shadow_get_or_alloc() while another had allocated it, or null. */
        public String takenOverBy() { return takenOverBy; }

        /** Every module that allocated or used it. */
        public List<String> everyUser() {
            List<String> all = new ArrayList<>();
            all.add(allocatedBy);
            for (String u : users) if (!all.contains(u)) all.add(u);
            return all;
        }

        void use(String caller, boolean takeOver) {
            if (caller == null) return;
            if (takeOver && !caller.equals(allocatedBy)) takenOverBy = caller;
            if (caller == lastUser) return;
            lastUser = caller;
            if (!caller.equals(allocatedBy) && !users.contains(caller)) users.add(caller);
        }
    }

    @FunctionalInterface
    public interface Ctor {
        int construct(Object obj, Data data, Object ctorData);
    }

    @FunctionalInterface
    public interface Dtor {
        void destroy(Object obj, Data data);
    }

    /**
     * A variable freed while a module other than the one that freed it had used it: that
     * module's next klp_shadow_get() of (obj, id) reads freed data (NULL). Kept until (obj, id)
     * is allocated again. Part of the one shadow model: the read-after-free fault, explore's
     * state digest and the ledger's views read these records and nothing else.
     */
    public record Freed(Object obj, long id, List<String> users, String freedBy, String freedIn) {
        /** Whether {@code module}'s get of (obj, id) is a read of what another module freed. */
        public boolean readAfterFreeBy(String module) {
            return module != null && !module.equals(freedBy) && users.contains(module);
        }
    }

    private final Livepatch klp;
    private final ShadowTable table = new ShadowTable();
    /** The {@link Freed} records, oldest first (few: only variables freed under another user). */
    private final List<Freed> freed = new ArrayList<>();
    private long seq;
    private final Map<Object, Long> fakeAddrs = new IdentityHashMap<>();

    Shadow(Livepatch klp) {
        this.klp = klp;
    }

    /** klp_shadow_get() */
    public Data klpShadowGet(Object obj, long id) {
        return klpShadowGet(obj, id, null);
    }

    /** klp_shadow_get() called by the code of module {@code caller} (for the ledger). */
    public Data klpShadowGet(Object obj, long id, String caller) {
        // an observer's look (an explore assertion) reads without becoming a user
        if (caller != null && klp.machine.faults.quiet()) caller = null;
        if (!klp.tracing()) {
            Data d = table.getData(obj, id, caller);
            if (d == null && caller != null && !freed.isEmpty()) readAfterFree(obj, id, caller);
            return d;
        }
        Var v = find(obj, id);
        Data d = v == null ? null : v.data;
        if (v != null) v.use(caller, false);
        Freed f = d == null && caller != null ? readAfterFree(obj, id, caller) : null;
        trace(ShadowCall.GET, v, obj, id, 0, caller, d != null ? ShadowResult.FOUND : f != null ? ShadowResult.READ_AFTER_FREE : ShadowResult.NOT_FOUND,
                d, false, 0, 0, f == null ? null : f.freedBy() + (f.freedIn() == null ? "" : " in " + f.freedIn()));
        return d;
    }

    /** A get by {@code caller} that found nothing: a fault when it used the variable before and another module freed it. */
    private Freed readAfterFree(Object obj, long id, String caller) {
        Freed f = freedRecord(obj, id);
        if (f == null || !f.readAfterFreeBy(caller)) return null;
        klp.machine.faults.report(dev.klpsim.kernel.Faults.Kind.SHADOW_READ_AFTER_FREE, caller,
                String.format("%s reads shadow variable <%s, 0x%x>, which it used before and %s freed", caller, pointer(obj), id, f.freedBy()));
        return f;
    }

    private Freed freedRecord(Object obj, long id) {
        for (Freed f : freed) if (f.obj() == obj && f.id() == id) return f;
        return null;
    }

    /** The variables freed while another module had used them (see {@link Freed}), oldest first. */
    public List<Freed> freed() {
        return List.copyOf(freed);
    }

    /** Module {@code name} is gone: what it used before is no longer its to read after a free. */
    void moduleGone(String name) {
        if (freed.isEmpty()) return;
        for (int i = 0; i < freed.size(); i++) {
            Freed f = freed.get(i);
            if (!f.users().contains(name)) continue;
            List<String> users = new ArrayList<>(f.users());
            users.remove(name);
            freed.set(i, new Freed(f.obj(), f.id(), List.copyOf(users), f.freedBy(), f.freedIn()));
        }
        // a record no other module than its freer used can no longer make a fault
        freed.removeIf(f -> f.users().stream().allMatch(u -> u.equals(f.freedBy())));
    }

    /** {@code v} was freed by {@code caller}: remember it when another module used it. */
    private void freedBy(Var v, String caller) {
        if (caller == null) return;
        // only the users still loaded: a module removed since is not the one that may read again
        List<String> users = new ArrayList<>();
        for (String u : v.everyUser()) if (u.equals(caller) || klp.machine.modules.find(u) != null) users.add(u);
        if (users.size() == 1 && users.get(0).equals(caller)) return;
        freed.add(new Freed(v.obj, v.id, users, caller, place(caller)));
    }

    /** One event of the log; {@code v} is the variable concerned, or null when there is none. */
    private void trace(ShadowCall call, Var v, Object obj, long id, long size, String caller, ShadowResult result, Data data, boolean withFn, int count, int err) {
        trace(call, v, obj, id, size, caller, result, data, withFn, count, err, null);
    }

    private void trace(ShadowCall call, Var v, Object obj, long id, long size, String caller, ShadowResult result, Data data, boolean withFn, int count, int err, String freedBy) {
        String objPointer = v != null ? objPointer(v) : obj == null ? null : pointer(obj);
        String dataPointer = data == null ? null : v != null && data == v.data ? dataPointer(v) : pointer(data);
        boolean cb = klp.core.runningCallback != null;
        klp.machine.trace.emit(klp.machine.current, new TraceEvent.ShadowOp(call, objPointer, id, size, caller,
                cb ? klp.core.runningCallback : place(caller), cb ? klp.core.runningObject : null, result, dataPointer, withFn, count, err, freedBy));
    }

    /**
     * Where module code made a shadow call: the callback it runs in ("pre_patch(vmlinux)"),
     * its module_init or module_exit, or the function of the module running on the current
     * task (a replacement function, a work item's function on a kworker, a replacement that
     * kmod's read of /proc/cmdline ran); null when none is known.
     */
    String place(String caller) {
        if (klp.core.runningCallback != null) return klp.core.runningCallback + "(" + klp.core.runningObject + ")";
        if (caller == null) return null;
        dev.klpsim.kernel.Module mod = klp.machine.modules.find(caller);
        if (mod != null && mod.state == dev.klpsim.kernel.ModuleState.COMING) return "module_init";
        if (mod != null && mod.state == dev.klpsim.kernel.ModuleState.GOING) return "module_exit";
        dev.klpsim.kernel.Task t = klp.machine.current;
        if (t == null) return null;
        List<dev.klpsim.kernel.Symbol> frames = t.frames();
        for (int i = frames.size() - 1; i >= 0; i--) {
            dev.klpsim.kernel.Symbol f = frames.get(i);
            if (!caller.equals(f.owner)) continue;
            String where = f.name + "()";
            if (klp.machine.kmodReadingCmdline) return where + ", in kmod's read of /proc/cmdline";
            if (t.comm.startsWith("kworker/")) return where + ", a work item";
            return where;
        }
        return null;
    }

    private String objPointer(Var v) {
        if (v.objPointer == null) v.objPointer = pointer(v.obj);
        return v.objPointer;
    }

    private String dataPointer(Var v) {
        if (v.dataPointer == null) v.dataPointer = pointer(v.data);
        return v.dataPointer;
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
        ShadowCall call = warnOnExist ? ShadowCall.ALLOC : ShadowCall.GET_OR_ALLOC;
        Var v = find(obj, id);
        if (v != null) {
            if (warnOnExist) {
                klp.warn("kernel/livepatch/shadow.c", 138, "__klp_shadow_get_or_alloc",
                        String.format("Duplicate shadow variable <%s, %x>", pointer(obj), id));
                if (klp.tracing()) trace(call, v, obj, id, size, owner, ShadowResult.EXISTS, null, ctor != null, 0, 0);
                return null;
            }
            v.use(owner, true);
            if (klp.tracing()) trace(call, v, obj, id, size, owner, ShadowResult.FOUND, v.data, ctor != null, 0, 0);
            return v.data;
        }
        Data data = new Data(size);
        if (ctor != null) {
            int err = ctor.construct(obj, data, ctorData);
            if (err != 0) {
                klp.machine.printk.log(Printk.KERN_ERR, String.format("livepatch: Failed to construct shadow variable <%s, %x> (%d)", pointer(obj), id, err));
                if (klp.tracing()) trace(call, null, obj, id, size, owner, ShadowResult.CTOR_FAILED, null, true, 0, err);
                return null;
            }
        }
        if (!freed.isEmpty()) freed.removeIf(f -> f.obj() == obj && f.id() == id);
        Var nv = new Var(obj, id, data, owner, place(owner), klp.machine.now(), seq++);
        insert(nv);
        if (klp.tracing()) trace(call, nv, obj, id, size, owner, ShadowResult.NEW, data, ctor != null, 0, 0);
        return data;
    }

    /** klp_shadow_free() */
    public void klpShadowFree(Object obj, long id, Dtor dtor) {
        klpShadowFree(obj, id, dtor, null);
    }

    /** klp_shadow_free() called by the code of module {@code caller} (for the ledger). */
    public void klpShadowFree(Object obj, long id, Dtor dtor, String caller) {
        Var v = remove(obj, id);
        if (v != null) freedBy(v, caller);
        if (v != null && dtor != null) dtor.destroy(obj, v.data);
        if (klp.tracing()) trace(ShadowCall.FREE, v, obj, id, 0, caller, v == null ? ShadowResult.NOT_FOUND : ShadowResult.FREED,
                v == null ? null : v.data, dtor != null, v == null ? 0 : 1, 0);
    }

    /** klp_shadow_free_all(): every variable with this id, whatever its obj. */
    public void klpShadowFreeAll(long id, Dtor dtor) {
        klpShadowFreeAll(id, dtor, null);
    }

    /**
     * klp_shadow_free_all() called by module {@code caller}. Each variable it frees is an
     * event of its own (with its obj), so the event log pairs every alloc with its free.
     */
    public void klpShadowFreeAll(long id, Dtor dtor, String caller) {
        int n = 0;
        for (Var v : live()) {
            if (v.id() != id) continue;
            remove(v.obj(), id);
            freedBy(v, caller);
            if (dtor != null) dtor.destroy(v.obj(), v.data());
            if (klp.tracing()) trace(ShadowCall.FREE_ALL, v, v.obj(), id, 0, caller, ShadowResult.FREED, v.data(), dtor != null, 1, 0);
            n++;
        }
        if (klp.tracing()) trace(ShadowCall.FREE_ALL, null, null, id, 0, caller, ShadowResult.FREED, null, dtor != null, n, 0);
    }

    /** Whether (obj, id) is a live variable; no trace event (an observer's question). */
    public boolean exists(Object obj, long id) {
        return find(obj, id) != null;
    }

    private Var find(Object obj, long id) {
        return table.get(obj, id);
    }

    private void insert(Var nv) {
        table.add(nv);
    }

    private Var remove(Object obj, long id) {
        return table.remove(obj, id);
    }

    /** Every live variable, in the order they were allocated (deterministic, unlike the kernel's buckets). */
    public List<Var> live() {
        List<Var> out = table.values();
        out.sort(java.util.Comparator.comparingLong(Var::seq));
        return out;
    }

    /** A stable stand-in for the kernel's hashed %p. */
    public String pointer(Object obj) {
        long a = fakeAddrs.computeIfAbsent(obj, k -> 0x00000000a1b2c000L + 0x40L * fakeAddrs.size());
        // String.format costs a microsecond; a traced shadow call formats one or two pointers
        String hex = Long.toHexString(a);
        return "0000000000000000".substring(hex.length()) + hex;
    }
}
