package dev.klpsim.explore;

import dev.klpsim.kernel.Faults;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.ModuleState;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;
import dev.klpsim.livepatch.ShadowLedger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What klp explore checks after every step: the kernel's invariants, no WARN and no
 * exception from module code, no shadow variable leaked or read after another module freed
 * it, no system state going down without a declared downgrade, the callbacks a module
 * author relies on, and the assertions modules declare about their own data.
 */
public final class Checks {
    /** A broken property: {@code property} is its short name, {@code message} what happened. */
    public record Violation(String property, String message) {
        @Override
        public String toString() {
            return property + ": " + message;
        }
    }

    /** The properties, with what each means (for the counterexample's comment and the guide). */
    public static final Map<String, String> PROPERTIES = Map.of(
            "kernel-invariant", "a livepatch core invariant (transition state, func stacks, klp_patches, refcounts)",
            "callback-order", "a callback a module author relies on (post_unpatch only after a successful pre_patch; none of a replaced patch)",
            "warn", "a WARN() in the kernel",
            "module-exception", "an exception thrown by module code",
            "shadow-leak", "a shadow variable nothing loaded can free any more",
            "shadow-read-after-free", "a module reading a shadow variable another module freed",
            "state-downgrade", "a system state version going down without a declared downgrade",
            "module-assertion", "an assertion a module declares about its own data");

    private final Machine m;
    private final Invariants invariants;
    private int faultsSeen;
    /** id -> the installed version of each system state at the last quiescent point. */
    private final TreeMap<Long, Installed> installed = new TreeMap<>();

    private record Installed(int version, String patch, boolean downgradable) {}

    public Checks(Machine m) {
        this.m = m;
        this.invariants = new Invariants(m);
        this.faultsSeen = m.faults.count();
    }

    private Checks(Machine m, Checks from) {
        this.m = m;
        this.invariants = from.invariants.copyFor(m);
        this.faultsSeen = from.faultsSeen;
        this.installed.putAll(from.installed);
    }

    /** The same checks on a fork of this checker's machine, remembering the same history. */
    public Checks copyFor(Machine fork) {
        return new Checks(fork, this);
    }

    /** What the checks remember of the history: part of the state explore deduplicates on. */
    public String digest() {
        return invariants.digest() + " " + installed;
    }

    /** The violations after the last step; empty when everything holds. */
    public List<Violation> check() {
        List<Violation> v = new ArrayList<>();
        for (String s : invariants.check())
            v.add(new Violation(s.startsWith("post_unpatch without") || s.contains(" of replaced patch ") ? "callback-order" : "kernel-invariant", s));
        for (Faults.Fault f : m.faults.since(faultsSeen)) {
            String prop = switch (f.kind()) {
                case WARN -> "warn";
                case MODULE_EXCEPTION -> "module-exception";
                case SHADOW_READ_AFTER_FREE -> "shadow-read-after-free";
            };
            v.add(new Violation(prop, f.text()));
        }
        faultsSeen = m.faults.count();
        leaks(v);
        states(v);
        assertions(v);
        return v;
    }

    /**
     * A leak is what `shadow list` calls leaked (ShadowLedger.verdict, the one definition):
     * nothing loaded can free the variable any more (docs/decisions.md, "explore: the leak
     * rule"). The verdict's forecast runs on a copy of the machine, only for a variable no
     * loaded module ever used.
     */
    private void leaks(List<Violation> v) {
        for (Shadow.Var s : m.klp.shadow.live()) {
            ShadowLedger.Verdict verdict = ShadowLedger.verdict(m, s);
            if (verdict.kind() == ShadowLedger.Kind.LEAKED)
                v.add(new Violation("shadow-leak", String.format("shadow variable <%s, 0x%x> allocated by %s: %s", m.klp.shadow.pointer(s.obj()), s.id(),
                        s.allocatedBy(), verdict.text())));
        }
    }

    /**
     * At each quiescent point (no transition in flight) the installed version of a state is
     * the one of the newest patch in klp_patches that carries it. It may go down only when the
     * patch that carried the newer version declared the downgrade (PatchBuilder.downgradable).
     */
    private void states(List<Violation> v) {
        if (m.klp.transition.transitionPatch() != null) return;
        TreeMap<Long, Installed> now = new TreeMap<>();
        for (KlpPatch p : m.klp.core.klpPatches())
            for (KlpState s : p.states) now.put(s.id, new Installed(s.version, p.name(), s.downgradable));
        for (var e : now.entrySet()) {
            Installed before = installed.get(e.getKey());
            Installed after = e.getValue();
            if (before != null && after.version() < before.version() && !before.downgradable())
                v.add(new Violation("state-downgrade", "system state " + e.getKey() + " went down from version " + before.version() + " ("
                        + before.patch() + ") to version " + after.version() + " (" + after.patch() + "), and " + before.patch()
                        + " does not declare the downgrade"));
        }
        installed.clear();
        installed.putAll(now);
    }

    private void assertions(List<Violation> v) {
        // an assertion only looks: nothing it does is part of the session, a fault or a trace
        // event (a copy of this machine, which never ran it, must have the same events)
        boolean tracing = m.trace.recording;
        m.trace.recording = false;
        try {
            for (Module mod : m.modules.list()) {
                if (mod.state != ModuleState.LIVE) continue;
                for (ModuleSpec.Assertion a : mod.spec.assertions) {
                    String why = m.journal.unrecorded(() -> m.faults.quietly(a.holds()));
                    if (why != null) v.add(new Violation("module-assertion", mod.name + ": \"" + a.name() + "\" " + why));
                }
            }
        } finally {
            m.trace.recording = tracing;
        }
    }
}
