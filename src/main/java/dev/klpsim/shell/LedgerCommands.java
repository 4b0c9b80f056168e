package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;
import dev.klpsim.livepatch.ShadowLedger;

import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;

/** shadow list and state list: the ledgers cumulative-patches.rst asks authors to keep in mind. */
final class LedgerCommands {
    private LedgerCommands() {}

    @Command(name = "shadow", description = "every live shadow variable: obj, id, size, who allocated it, when, leaks", footer = "Example: shadow list")
    static final class ShadowCmd extends ShellCmd {
        @Command(name = "list", description = "the shadow variables with their status (in use, orphaned, leaked)", footer = "Example: shadow list")
        int list() {
            return shadow(inv);
        }
    }

    @Command(name = "state", description = "the installed system states (id, version, patch) and their history", footer = "Example: state list")
    static final class StateCmd extends ShellCmd {
        @Command(name = "list", description = "installed system states and the history of their changes", footer = "Example: state list")
        int list() {
            return state(inv);
        }
    }

    static int shadow(Invocation inv) {
        Machine m = inv.m;
        List<Shadow.Var> vars = m.klp.shadow.live();
        if (vars.isEmpty()) {
            inv.println("no shadow variables");
            return 0;
        }
        Map<String, String> future = forecast(inv);
        Map<String, List<ShadowLedger.FreedUnderReader>> underReaders = underReaders(m);
        int w = 28;
        for (Shadow.Var v : vars) w = Math.max(w, allocatedBy(v).length());
        String fmt = "%-18s %-8s %-5s %-" + w + "s %-12s %s";
        inv.println(String.format(fmt, "OBJ", "ID", "SIZE", "ALLOCATED BY", "AT", "STATUS"));
        int[] count = new int[ShadowLedger.Kind.values().length];
        int unfreed = 0;
        for (Shadow.Var v : vars) {
            ShadowLedger.Verdict verdict = ShadowLedger.verdict(m, v, future);
            count[verdict.kind().ordinal()]++;
            inv.println(String.format(fmt.replace("%-8s %-5s", "0x%-6x %-5d"), m.klp.shadow.pointer(v.obj()), v.id(), v.data().size,
                    allocatedBy(v), KlpWait.secs(v.atNs()).replace(" s", ""), verdict.text()));
            if (future == null) continue;
            String f = future.get(ShadowLedger.key(m, v));
            if (f == null) unfreed++;
            inv.println("    then: " + (f != null ? f : "nothing frees it, even when every patch is disabled and every livepatch module removed"));
            for (ShadowLedger.FreedUnderReader fr : underReaders.getOrDefault(ShadowLedger.key(m, v), List.of()))
                inv.println("    warning: if " + fr.freedBy() + " alone is disabled, " + fr.warning() + " (" + String.join(", ", fr.readers())
                        + (fr.readers().size() == 1 ? " stays" : " stay") + " enabled: the next klp_shadow_get() gets NULL, a read after free)");
        }
        inv.println(vars.size() + " live: " + count[ShadowLedger.Kind.IN_USE.ordinal()] + " in use, " + count[ShadowLedger.Kind.ORPHANED.ordinal()]
                + " orphaned, " + count[ShadowLedger.Kind.LEAKED.ordinal()] + " leaked"
                + (future == null ? " (no forecast: a transition does not complete)" : "; " + unfreed + " that nothing will free"));
        return 0;
    }

    /** Per variable, what disabling each enabled patch alone would free under a module that still reads it (each on its own copy). */
    static Map<String, List<ShadowLedger.FreedUnderReader>> underReaders(Machine m) {
        Map<String, List<ShadowLedger.FreedUnderReader>> out = new java.util.LinkedHashMap<>();
        if (m.klp.transition.transitionPatch() != null) return out;
        for (KlpPatch p : m.klp.core.klpPatches()) {
            List<ShadowLedger.FreedUnderReader> l = ShadowLedger.disableFrees(m.fork(), p.name());
            if (l != null) for (var f : l) out.computeIfAbsent(f.key(), k -> new java.util.ArrayList<>()).add(f);
        }
        return out;
    }

    private static String allocatedBy(Shadow.Var v) {
        return v.allocatedBy() + (v.allocatedIn() == null ? "" : " in " + v.allocatedIn());
    }

    /** The ledger's word on each live variable, for the sequence view and the HTML export. */
    static Map<String, dev.klpsim.trace.SequenceModel.Status> statuses(Invocation inv) {
        Map<String, dev.klpsim.trace.SequenceModel.Status> out = new java.util.LinkedHashMap<>();
        List<Shadow.Var> vars = inv.m.klp.shadow.live();
        if (vars.isEmpty()) return out;
        Map<String, String> future = forecast(inv);
        for (Shadow.Var v : vars) {
            ShadowLedger.Verdict verdict = ShadowLedger.verdict(inv.m, v, future);
            String k = ShadowLedger.key(inv.m, v);
            String f = future == null ? null : future.get(k);
            boolean leaks = verdict.kind() == ShadowLedger.Kind.LEAKED || future != null && f == null;
            out.put(k, new dev.klpsim.trace.SequenceModel.Status(verdict.text() + "; "
                    + (future == null ? "no forecast (a transition does not complete)" : f != null ? f : "nothing will free it"), leaks));
        }
        return out;
    }

    /**
     * Who frees each variable from here on: a fork of this machine (its journal replayed on a fresh boot), where
     * every patch is then disabled and every livepatch module removed. Nothing changes here.
     */
    private static Map<String, String> forecast(Invocation inv) {
        return ShadowLedger.forecast(inv.m.fork());
    }

    static int state(Invocation inv) {
        Machine m = inv.m;
        boolean any = false;
        for (KlpPatch p : m.klp.core.klpPatches()) {
            for (KlpState s : p.states) {
                if (!any) inv.println(String.format("%-6s %-8s %-28s %s", "ID", "VERSION", "PATCH", "DATA"));
                any = true;
                inv.println(String.format("%-6d %-8d %-28s %s", s.id, s.version, p.name(), s.data == null ? "none" : "set"));
            }
        }
        if (!any) inv.println("no system states installed");
        List<String> h = m.klp.state.history();
        if (!h.isEmpty()) {
            inv.println("history:");
            for (String l : h) inv.println("  " + l);
        }
        return 0;
    }
}
