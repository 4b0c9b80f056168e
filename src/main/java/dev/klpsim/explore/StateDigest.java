package dev.klpsim.explore;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.ModuleParam;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A canonical description of a machine's state: what decides how it behaves from now on,
 * in a form that does not depend on how it got there (no sequence numbers, no object
 * identities, no log). Two orders of actions that reach the same state give the same
 * text, so explore looks at that state once.
 *
 * What it covers: modules (state, refcnt, parameters), patches, objects and funcs, the
 * transition, every task (state, patch state, pending flag, stack), pending timers (due
 * relative to now, or absolute), shadow variables (objects named canonically, data), the
 * TAINT_LIVEPATCH flag and the console loglevel, and what each module declares of its own
 * Java data (ModuleBuilder.exploreState). What it cannot see: a module's private Java fields
 * it did not declare (docs/decisions.md, "explore's state digest").
 */
public final class StateDigest {
    private final StringBuilder sb = new StringBuilder(2048);
    private final Map<Object, String> names = new IdentityHashMap<>();
    private int anon;

    private StateDigest() {}

    /** The canonical text; {@code absoluteTime}: include the clock (a fork check) or only what is relative to it (dedup). */
    public static String text(Machine m, boolean absoluteTime) {
        StateDigest d = new StateDigest();
        d.describe(m, absoluteTime);
        return d.sb.toString();
    }

    /** A 128-bit fingerprint of {@link #text}. */
    public static Key key(Machine m, boolean absoluteTime) {
        return Key.of(text(m, absoluteTime));
    }

    /** A fingerprint: equal texts give equal keys; different ones collide with odds of 2^-128. */
    public record Key(long hi, long lo) {
        public static Key of(String text) {
            try {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
                long hi = 0, lo = 0;
                for (int i = 0; i < 8; i++) hi = hi << 8 | (h[i] & 0xff);
                for (int i = 8; i < 16; i++) lo = lo << 8 | (h[i] & 0xff);
                return new Key(hi, lo);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void describe(Machine m, boolean absoluteTime) {
        long now = m.now();
        if (absoluteTime) sb.append("now ").append(now).append('\n');
        sb.append("taint ").append(m.modules.livepatchTainted()).append(" loglevel ").append(m.consoleLoglevel).append('\n');
        for (Module mod : m.modules.list()) {
            sb.append("module ").append(mod.name).append(' ').append(mod.state).append(" refcnt ").append(mod.refcnt)
                    .append(" klp ").append(mod.klpAlive);
            for (ModuleParam p : mod.spec.params) sb.append(' ').append(p.name).append('=').append(paramValue(p));
            sb.append('\n');
            names.put(mod, "module:" + mod.name);
        }
        for (Module mod : m.modules.list()) {
            // what the module declared of its own data (ModuleBuilder.exploreState), read without a trace
            for (var st : mod.spec.exploreState) {
                sb.append("own ").append(mod.name);
                for (Object o : look(m, st)) sb.append(' ').append(name(o));
                sb.append('\n');
            }
        }
        var tr = m.klp.transition;
        KlpPatch tp = tr.transitionPatch();
        sb.append("transition ").append(tp == null ? "-" : tp.name()).append(' ').append(tr.targetState())
                .append(" signals ").append(tp == null ? 0 : tr.signalsCnt()).append('\n');
        for (KlpPatch p : m.klp.core.registeredPatches()) {
            names.put(p, "patch:" + p.name());
            sb.append("patch ").append(p.name()).append(" enabled ").append(p.enabled).append(" forced ").append(p.forced)
                    .append(" replace ").append(p.replace).append(" order ").append(m.klp.core.stackOrder(p)).append('\n');
            for (KlpObject o : p.objList()) {
                sb.append(" obj ").append(o.displayName()).append(o.dynamic ? " dynamic" : "").append(o.patched ? " patched" : "")
                        .append(o.isLoaded() ? " loaded" : "").append('\n');
                for (KlpFunc f : o.funcList())
                    sb.append("  func ").append(f.oldName).append(',').append(f.oldSympos).append(f.nop ? " nop" : "")
                            .append(f.patched ? " patched" : "").append(f.transition ? " transition" : "").append('\n');
            }
            for (KlpState s : p.states) sb.append(" state ").append(s.id).append(" v").append(s.version).append(s.data != null ? " data" : "").append('\n');
        }
        for (KlpPatch p : m.klp.core.klpPatches()) sb.append("active ").append(p.name()).append('\n');
        for (Task t : m.tasks()) {
            names.put(t, "task:" + t.pid);
            sb.append("task ").append(t.pid).append(' ').append(t.comm).append(' ').append(t.kind).append(' ').append(t.state)
                    .append(" ps ").append(t.patchState).append(t.patchPending ? " pending" : "").append(t.sleepingInFunction() ? " asleep" : "")
                    .append(t.spawned ? " spawned" : "").append(t.unreliableStack ? " unreliable" : "").append(" stack");
            for (Symbol s : t.stack()) sb.append(' ').append(s.owner == null ? "" : s.owner + ":").append(s.name);
            sb.append('\n');
        }
        for (Task t : m.idleTasks()) sb.append("idle ").append(t.cpu).append(" ps ").append(t.patchState).append(t.patchPending ? " pending" : "").append('\n');
        sb.append("timers");
        for (long due : m.timers.pendingDues()) sb.append(' ').append(absoluteTime ? due : due - now);
        sb.append('\n');
        names.put(m, "machine");
        for (Shadow.Var v : m.klp.shadow.live()) {
            // its users too: the leak rule for a freed object asks whether any of them is still loaded
            sb.append("shadow ").append(name(v.obj())).append(' ').append(v.id()).append(" by ").append(v.allocatedBy()).append(" users ").append(v.users())
                    .append(" size ").append(v.data().size).append(" value ").append(v.data().value).append(" ptr ").append(name(v.data().ptr))
                    .append(" bytes ").append(Arrays.hashCode(v.data().bytes)).append(m.isFreed(v.obj()) ? " obj-freed" : "").append('\n');
        }
        // the shadow model's memory of freed variables (Shadow.Freed): who used one before another
        // module freed it decides whether a later klp_shadow_get() is a read after free
        for (Shadow.Freed f : m.klp.shadow.freed())
            sb.append("freed ").append(name(f.obj())).append(' ').append(f.id()).append(" users ").append(f.users()).append(" by ").append(f.freedBy())
                    .append(" in ").append(f.freedIn()).append('\n');
    }

    /** Runs module code that only looks: nothing it does is part of the session, a fault or an event. */
    private static List<?> look(Machine m, java.util.function.Supplier<List<?>> st) {
        boolean tracing = m.trace.recording;
        m.trace.recording = false;
        try {
            List<?> l = m.journal.unrecorded(() -> m.faults.quietly(st));
            return l == null ? List.of() : l;
        } finally {
            m.trace.recording = tracing;
        }
    }

    /** Objects by what they are in the kernel; others by the order they first appear here. */
    private String name(Object o) {
        if (o == null) return "null";
        if (o instanceof Number || o instanceof String || o instanceof Boolean) return o.getClass().getSimpleName() + ":" + o;
        String n = names.get(o);
        if (n == null) {
            n = o.getClass().getSimpleName() + "#" + anon++;
            names.put(o, n);
        }
        return n;
    }

    private static String paramValue(ModuleParam p) {
        Object v = p.value();
        return v instanceof int[] a ? Arrays.toString(a) : String.valueOf(v);
    }
}
