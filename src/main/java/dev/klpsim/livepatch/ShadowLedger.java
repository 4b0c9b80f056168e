package dev.klpsim.livepatch;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shadow-variable ledger's verdicts, in a livepatch author's terms
 * (cumulative-patches.rst): a variable is in use while an enabled patch allocated or uses
 * it; orphaned when no enabled patch does but a module that used it is still loaded (a newer
 * patch may take it over, or that module's exit may free it); leaked when nothing that ever
 * used it is loaded, or its object is gone. {@link #forecast} says who will free each one.
 */
public final class ShadowLedger {
    private ShadowLedger() {}

    public enum Kind { IN_USE, ORPHANED, LEAKED }

    public record Verdict(Kind kind, String text) {}

    /** The key of a variable in the ledger and in the event log: its obj's pointer and id. */
    public static String key(Machine m, Shadow.Var v) {
        return key(m.klp.shadow.pointer(v.obj()), v.id());
    }

    public static String key(String objPointer, long id) {
        return objPointer + "/" + Long.toHexString(id);
    }

    /** The verdict, the forecast made on a copy of {@code m} only when the verdict needs it (explore's checks). */
    public static Verdict verdict(Machine m, Shadow.Var v) {
        var lazy = new Object() {
            boolean made;
            Map<String, String> future;

            Map<String, String> get() {
                if (!made) future = forecast(m.fork());
                made = true;
                return future;
            }
        };
        return verdict(m, v, k -> lazy.get() == null ? null : lazy.get().get(k), () -> lazy.get() != null);
    }

    /** The verdict given a forecast already made ({@link #forecast}; null: none could be made). */
    public static Verdict verdict(Machine m, Shadow.Var v, Map<String, String> future) {
        return verdict(m, v, k -> future == null ? null : future.get(k), () -> future != null);
    }

    /**
     * The one definition of in use, orphaned and leaked, which `shadow list`, the sequence
     * view, the HTML export and klp explore's shadow-leak property all read. In use: an
     * enabled patch's module allocated, used or took it over. Orphaned: no enabled patch
     * uses it, but something can still free it: a module that used it is loaded, or (its
     * object alive) the forecast finds a loaded module that frees it. Leaked: nothing can:
     * its object was freed (only klp_shadow_free_all() by a module that knows the id reaches
     * it) and no module that used it is loaded; or no module that used it is loaded and
     * nothing frees it when every patch is disabled and every livepatch module removed.
     * {@code freedBy}: the forecast's line for a key, consulted only in that last case.
     */
    private static Verdict verdict(Machine m, Shadow.Var v, java.util.function.Function<String, String> freedBy, java.util.function.BooleanSupplier forecastMade) {
        List<String> users = v.everyUser();
        List<String> loaded = new ArrayList<>();
        for (String u : users) if (m.modules.find(u) != null) loaded.add(u);
        if (m.isFreed(v.obj())) {
            if (!loaded.isEmpty())
                return new Verdict(Kind.ORPHANED, "orphaned: its object was freed with the variable still attached; only klp_shadow_free_all() by "
                        + String.join(", ", loaded) + " (still loaded) can free it");
            return new Verdict(Kind.LEAKED, "leaked: its object was freed with the variable still attached, and nothing that used it is loaded ("
                    + String.join(", ", users) + ")");
        }
        for (KlpPatch p : m.klp.core.klpPatches()) {
            if (!users.contains(p.mod.name)) continue;
            String how = p.mod.name.equals(v.allocatedBy()) ? "allocated by it"
                    : p.mod.name.equals(v.takenOverBy()) ? "taken over from " + v.allocatedBy() : "allocated by " + v.allocatedBy() + ", used by it";
            List<String> others = new ArrayList<>();
            for (String u : users) if (!u.equals(p.mod.name) && !u.equals(v.allocatedBy()) && m.modules.find(u) != null) others.add(u);
            return new Verdict(Kind.IN_USE, "in use by " + p.name() + " (" + how + ")" + (others.isEmpty() ? "" : "; also used by " + String.join(", ", others)));
        }
        if (!loaded.isEmpty())
            return new Verdict(Kind.ORPHANED, "orphaned: no enabled patch uses it; " + String.join(", ", loaded)
                    + " still loaded: a newer patch may take it over, or a module_exit may free it");
        String f = freedBy.apply(key(m, v));
        if (f != null)
            return new Verdict(Kind.ORPHANED, "orphaned: nothing that used it is loaded (" + String.join(", ", users) + "), but it is " + f);
        if (!forecastMade.getAsBoolean())
            return new Verdict(Kind.ORPHANED, "orphaned: nothing that used it is loaded (" + String.join(", ", users) + "); no forecast (a transition does not complete)");
        return new Verdict(Kind.LEAKED, "leaked: nothing that used it is loaded (" + String.join(", ", users) + "), nobody frees it");
    }

    /**
     * Who frees each live variable from here on, found by running it: on {@code scratch} (a
     * copy of the machine, never the real one) every patch in use is disabled, newest first,
     * then every livepatch module is removed, newest first. Returns, per {@link #key}, how
     * it was freed; a live variable missing from the map is freed by nobody. Null when a
     * transition does not complete within a minute of virtual time (nothing to forecast).
     */
    public static Map<String, String> forecast(Machine scratch) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!settle(scratch)) return null;
        List<KlpPatch> inUse = new ArrayList<>(scratch.klp.core.klpPatches());
        java.util.Collections.reverse(inUse);
        for (KlpPatch p : inUse) {
            if (!p.enabled) continue;
            long from = scratch.trace.nextSeq();
            Set<String> before = liveKeys(scratch);
            scratch.klp.core.enabledStore(p, "0");
            if (!settle(scratch)) return null;
            attribute(scratch, before, from, "when " + p.name() + " is disabled", out);
        }
        List<Module> mods = new ArrayList<>(scratch.modules.list());
        java.util.Collections.reverse(mods);
        for (Module mod : mods) {
            if (!mod.isLivepatch()) continue;
            long from = scratch.trace.nextSeq();
            Set<String> before = liveKeys(scratch);
            scratch.modules.unload(mod.name);
            attribute(scratch, before, from, "when " + mod.name + " is removed (its module_exit)", out);
        }
        return out;
    }

    private static boolean settle(Machine m) {
        if (m.klp.transition.transitionPatch() != null)
            m.waitFor(() -> m.klp.transition.transitionPatch() == null, 60_000_000_000L, null);
        return m.klp.transition.transitionPatch() == null;
    }

    private static Set<String> liveKeys(Machine m) {
        Set<String> s = new LinkedHashSet<>();
        for (Shadow.Var v : m.klp.shadow.live()) s.add(key(m, v));
        return s;
    }

    private static void attribute(Machine m, Set<String> before, long fromSeq, String when, Map<String, String> out) {
        Set<String> gone = new LinkedHashSet<>(before);
        gone.removeAll(liveKeys(m));
        if (gone.isEmpty()) return;
        Map<String, String> by = new LinkedHashMap<>();
        for (Trace.Event e : m.trace.all()) {
            if (e.seq() < fromSeq || !(e.what() instanceof TraceEvent.ShadowOp o) || !o.freesOne()) continue;
            // "module_exit" is what the when-clause says already
            by.put(key(o.obj(), o.id()), (o.caller() == null ? "?" : o.caller()) + (o.context() == null || o.context().equals("module_exit") ? "" : " " + o.context()));
        }
        for (String k : gone) out.put(k, "freed " + (by.containsKey(k) ? "by " + by.get(k) + " " : "") + when);
    }

    /**
     * A variable that disabling one patch frees while another module still uses it: {@code
     * freedBy} ran {@code context} and freed it; {@code readers} used it before and stay
     * enabled (or loaded): their next klp_shadow_get() gets NULL, a read after free.
     */
    public record FreedUnderReader(String key, long id, String freedBy, String context, List<String> readers) {
        public String warning() {
            return freedBy + "'s " + (context == null ? "code" : context.replaceFirst("\\(.*", "")) + " will free 0x" + Long.toHexString(id)
                    + " while " + String.join(", ", readers) + " still " + (readers.size() == 1 ? "reads" : "read") + " it";
        }
    }

    /**
     * What disabling {@code patch} alone frees under a reader, found by running it on {@code
     * scratch} (a copy; never the real machine): echo 0 > enabled, then its transition to the
     * end (a minute of virtual time at most). Null when the disable is refused or its
     * transition does not complete. The readers are the variable's other users whose patch is
     * still enabled afterwards.
     */
    public static List<FreedUnderReader> disableFrees(Machine scratch, String patch) {
        KlpPatch p = scratch.klp.core.findRegistered(patch);
        if (p == null || !p.enabled || scratch.klp.transition.transitionPatch() != null) return null;
        Map<String, Shadow.Var> before = new LinkedHashMap<>();
        for (Shadow.Var v : scratch.klp.shadow.live()) before.put(key(scratch, v), v);
        long from = scratch.trace.nextSeq();
        if (scratch.klp.core.enabledStore(p, "0") < 0 || !settle(scratch)) return null;
        List<FreedUnderReader> out = new ArrayList<>();
        for (Trace.Event e : scratch.trace.all()) {
            if (e.seq() < from || !(e.what() instanceof TraceEvent.ShadowOp o) || !o.freesOne()) continue;
            Shadow.Var v = before.get(key(o.obj(), o.id()));
            if (v == null) continue;
            List<String> readers = new ArrayList<>();
            for (String u : v.everyUser()) {
                if (u.equals(o.caller())) continue;
                for (KlpPatch q : scratch.klp.core.klpPatches()) if (q.mod.name.equals(u) && q.enabled) readers.add(u);
            }
            if (!readers.isEmpty()) out.add(new FreedUnderReader(key(o.obj(), o.id()), o.id(), o.caller(), o.context(), readers));
        }
        return out;
    }
}
