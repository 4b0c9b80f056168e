package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Things that went wrong inside the kernel or in module code, as typed records: a WARN(),
 * an exception a module's code threw, a shadow variable read after another module freed
 * it. The kernel log shows them as the kernel would; explore reads them here, not from text.
 */
public final class Faults {
    public enum Kind { WARN, MODULE_EXCEPTION, SHADOW_READ_AFTER_FREE }

    public record Fault(Kind kind, long timeNs, String module, String text) {}

    private final Timers clock;
    private final List<Fault> faults = new ArrayList<>();
    /** Who used a shadow variable (obj -> id -> use), and who freed it, until it is allocated again. */
    private final Map<Object, Map<Long, Use>> shadow = new IdentityHashMap<>();

    private static final class Use {
        final java.util.Set<String> users = new java.util.TreeSet<>();
        String freedBy;
    }
    /** Set while an observer (explore's checks) runs module code: what it does is no fault. */
    private int quiet;

    Faults(Timers clock) {
        this.clock = clock;
    }

    public void report(Kind kind, String module, String text) {
        if (quiet == 0) faults.add(new Fault(kind, clock.now(), module, text));
    }

    /** Every fault so far, oldest first. */
    public List<Fault> all() {
        return List.copyOf(faults);
    }

    public int count() {
        return faults.size();
    }

    public List<Fault> since(int index) {
        return List.copyOf(faults.subList(Math.min(index, faults.size()), faults.size()));
    }

    /** klp_shadow_get()/alloc that found or made the variable: {@code module} uses it from now on. */
    public void shadowUsed(Object obj, long id, String module) {
        if (quiet > 0) return;
        Map<Long, Use> ids = shadow.computeIfAbsent(obj, k -> new HashMap<>());
        Use u = ids.get(id);
        if (u == null || u.freedBy != null) ids.put(id, u = new Use());
        u.users.add(module);
    }

    /** klp_shadow_free() by {@code module}: who used the variable until now may miss it later. */
    public void shadowFreed(Object obj, long id, String module) {
        if (quiet > 0) return;
        Map<Long, Use> ids = shadow.get(obj);
        Use u = ids == null ? null : ids.get(id);
        if (u == null) return;
        u.freedBy = module;
    }

    /**
     * klp_shadow_get() by {@code module} found nothing: a fault when the module used the
     * variable before and another module freed it since (a module that never had it is only
     * asking whether it exists).
     */
    public void shadowMissed(Object obj, long id, String module, java.util.function.Supplier<String> pointer) {
        if (quiet > 0) return;
        Map<Long, Use> ids = shadow.get(obj);
        Use u = ids == null ? null : ids.get(id);
        if (u != null && u.freedBy != null && !u.freedBy.equals(module) && u.users.contains(module))
            report(Kind.SHADOW_READ_AFTER_FREE, module, String.format("%s reads shadow variable <%s, 0x%x>, which it used before and %s freed", module, pointer.get(), id, u.freedBy));
    }

    /** Runs an observer's look at module state: nothing it causes counts as a fault. */
    public <T> T quietly(java.util.function.Supplier<T> look) {
        quiet++;
        try {
            return look.get();
        } finally {
            quiet--;
        }
    }
}
