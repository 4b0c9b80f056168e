package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;

import picocli.CommandLine.Command;

import java.util.List;

/** shadow list and state list: the ledgers cumulative-patches.rst asks authors to keep in mind. */
final class LedgerCommands {
    private LedgerCommands() {}

    @Command(name = "shadow", description = "every live shadow variable: obj, id, size, who allocated it, when, leaks")
    static final class ShadowCmd extends ShellCmd {
        @Command(name = "list", description = "the shadow variables with their status (in use, orphaned, leaked)")
        int list() {
            return shadow(inv);
        }
    }

    @Command(name = "state", description = "the installed system states (id, version, patch) and their history")
    static final class StateCmd extends ShellCmd {
        @Command(name = "list", description = "installed system states and the history of their changes")
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
        inv.println(String.format("%-18s %-8s %-5s %-28s %-12s %s", "OBJ", "ID", "SIZE", "ALLOCATED BY", "AT", "STATUS"));
        int leaked = 0, orphaned = 0;
        for (Shadow.Var v : vars) {
            String status = status(m, v);
            if (status.startsWith("leaked")) leaked++;
            if (status.startsWith("orphaned")) orphaned++;
            inv.println(String.format("%-18s 0x%-6x %-5d %-28s %-12s %s", m.klp.shadow.pointer(v.obj()), v.id(), v.data().size,
                    v.allocatedBy(), KlpWait.secs(v.atNs()).replace(" s", ""), status));
        }
        inv.println(vars.size() + " live, " + orphaned + " orphaned, " + leaked + " leaked");
        return 0;
    }

    private static String status(Machine m, Shadow.Var v) {
        if (m.isFreed(v.obj())) return "leaked: its object was freed with the variable still attached";
        Module mod = m.modules.find(v.allocatedBy());
        if (mod == null) return "leaked: " + v.allocatedBy() + " is no longer loaded, nobody frees it";
        if (mod.isLivepatch()) {
            KlpPatch p = m.klp.core.findRegistered(mod.name);
            if (p == null || !m.klp.core.klpPatches().contains(p))
                return "orphaned: the patch of " + mod.name + " is gone; a newer patch takes it over, or its module_exit frees it";
        }
        return "in use";
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
