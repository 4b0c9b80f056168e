package dev.klpsim.shell;

import dev.klpsim.explore.LoadPreview;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import dev.klpsim.livepatch.KlpCallbacks;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;
import dev.klpsim.livepatch.ShadowLedger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * klp preview and klp downgrade: the report of what loading a module did on a copy of this
 * machine (LoadPreview, the engine), then, for downgrade, the load here.
 */
final class KlpPreview {
    private KlpPreview() {}

    private record Target(String object, String func, long sympos) {
        @Override
        public String toString() {
            return func + (sympos == 0 ? "" : "," + sympos) + " (" + object + ")";
        }
    }

    static int preview(Invocation inv, List<String> a, boolean downgrade) {
        String verb = downgrade ? "downgrade" : "preview";
        if (a.isEmpty()) {
            inv.errln("usage: klp " + verb + " MODULE [param=value...]");
            return 2;
        }
        String name = KmodCommands.moduleName(a.get(0));
        boolean file = dev.klpsim.jsh.JshModuleSource.isSource(a.get(0)) ? KmodCommands.jshFile(inv, a.get(0)) != null
                : dev.klpsim.c.CModuleSource.isSource(a.get(0)) && KmodCommands.cFile(inv, a.get(0)) != null;
        if (!file && inv.m.source(name) == null)
            KmodCommands.findByName(inv, name);
        if (inv.m.source(name) == null) {
            inv.errln("klp: no module '" + name + "' (see: ls test_modules)");
            return 1;
        }
        if (inv.m.modules.find(name) != null) {
            inv.errln("klp: module " + name + " is already loaded: rmmod it before loading it again");
            return 1;
        }
        List<String> words = new ArrayList<>(a);
        words.set(0, name);
        String cmd = "modprobe " + String.join(" ", words.stream().map(KlpCommand::quote).toList());
        List<String> params = a.subList(1, a.size());
        // on a host snapshot the report tells who the first attempt leaves behind: taken right after the load
        PreviewFuncs.Outlook[] outlook = {null};
        LoadPreview.Result r = LoadPreview.run(inv.m, inv.m.source(name), params,
                (copy, np) -> outlook[0] = PreviewFuncs.predicts(inv.m, name) ? PreviewFuncs.Outlook.before(copy, np) : null);
        Machine sm = r.copy();
        List<KlpPatch> before = r.before();
        Set<Target> patchedBefore = targets(before);
        KlpPatch np = r.patch();
        List<String> log = new ArrayList<>();
        for (Printk.Record rec : r.log()) log.add(rec.text());
        // what modprobe itself says after the kernel's lines
        if (!r.loads()) log.add(KmodCommands.modprobeInsertError(name, r.ret()));
        if (outlook[0] != null) outlook[0].after(sm);
        List<String> printed = List.copyOf(log);
        // a transition outlook of its own (host snapshots, --funcs) already says what stalls it
        Forecast forecast = forecast(sm, np, outlook[0] == null);

        inv.println("klp " + verb + ": " + cmd + " (on a scratch copy of this machine; nothing changes here)");
        if (!r.inexact().isEmpty()) inv.println("  note: the copy may differ from this machine: it cannot repeat " + String.join("; ", r.inexact()));
        boolean loads = r.loads();
        boolean replace = loads && np != null && np.replace;
        if (!loads) {
            var refusal = inv.m.modules.livepatchRefusal;
            inv.println("  result: the load fails" + (refusal != null && inv.m.source(name).instantiate().livepatch
                    ? ": this host cannot load a livepatch (" + refusal.why() + ")" : ""));
            KlpPatch busy = inv.m.klp.transition.transitionPatch();
            if (outlook[0] != null && busy != null)
                inv.println("  (the transition of '" + busy.name() + "' is in flight here: klp_enable_patch() refuses another patch with -EBUSY until it ends)");
        } else if (np == null) {
            inv.println("  result: loads (not a livepatch, or its patch is already gone)");
        } else {
            inv.println("  result: loads" + (replace ? "; atomic replace of " + names(before) : "; stacks on top of " + (before.isEmpty() ? "nothing" : names(before)))
                    + (forecast.stall.isEmpty() ? "" : "; but its transition does not complete (still in transition after 60 s of virtual time):"));
            for (String l : forecast.stall) inv.println("    " + l);
            Set<Target> mine = new LinkedHashSet<>();
            for (KlpObject o : np.objs) for (KlpFunc f : o.funcs) mine.add(new Target(o.displayName(), f.oldName, f.oldSympos));
            List<String> fresh = new ArrayList<>(), again = new ArrayList<>();
            for (Target t : mine) (patchedBefore.stream().anyMatch(p -> p.object.equals(t.object) && p.func.equals(t.func)) ? again : fresh).add(t.toString());
            List<String> run = new ArrayList<>();
            for (KlpObject o : np.objs) {
                List<String> cbs = new ArrayList<>();
                if (o.callbacks.prePatch != null) cbs.add("pre_patch");
                if (o.callbacks.postPatch != null) cbs.add("post_patch");
                if (!cbs.isEmpty()) run.add(o.displayName() + (o.isLoaded() ? "" : " (when loaded)") + " (" + String.join(" ", cbs) + ")");
            }
            inv.println("  callbacks that run (" + name + "'s only): " + list(run));
            inv.println("  functions newly patched: " + list(fresh));
            inv.println("  functions patched again (over an older patch): " + list(again));
            if (replace) {
                List<String> nops = new ArrayList<>();
                for (Target t : patchedBefore) if (!mine.contains(t)) nops.add(t.toString());
                inv.println("  functions back to the original (nops): " + list(nops));
                List<String> silent = new ArrayList<>();
                for (KlpPatch p : before)
                    for (KlpObject o : p.objList())
                        if (!defined(o.callbacks).isEmpty()) silent.add(p.name() + "/" + o.displayName() + " (" + defined(o.callbacks) + ")");
                inv.println("  callbacks of the replaced patches that will NOT run: " + list(silent));
            }
            List<String> states = new ArrayList<>();
            for (KlpState s : np.states) {
                KlpState old = null;
                String owner = null;
                for (KlpPatch p : before) for (KlpState o : p.states) if (o.id == s.id) {
                    old = o;
                    owner = p.name();
                }
                states.add("id " + s.id + " version " + s.version + (old == null ? " (new)" : " takes over version " + old.version + " of " + owner));
            }
            if (!np.states.isEmpty() || replace) inv.println("  system states: " + list(states));
            if (!forecast.stalled && (replace || !forecast.vars.isEmpty())) {
                List<String> unfreed = new ArrayList<>();
                Set<String> concerned = new LinkedHashSet<>(List.of(name));
                if (replace) for (KlpPatch p : before) concerned.add(p.mod.name);
                for (Forecast.Var v : forecast.vars)
                    if (v.freedBy() == null && v.users().stream().anyMatch(concerned::contains)) unfreed.add(v.label());
                inv.println("  shadow variables nothing will free (" + name + " disabled, then every livepatch module removed): " + list(unfreed));
            } else if (!forecast.stall.isEmpty()) {
                inv.println("  shadow variables: no forecast while the transition does not complete");
            }
        }
        if (outlook[0] != null && loads && np != null) outlook[0].print(inv, sm);
        else if (r.stalled() && forecast.stall.isEmpty()) inv.println("  transition: stalls (still in flight after " + LoadPreview.WAIT_NS / 1_000_000_000L + " s of virtual time)");
        inv.println("  what the kernel prints:");
        for (String l : printed) inv.println("    " + l);
        if (!downgrade) return loads ? 0 : 1;
        if (!loads) {
            inv.errln("klp: downgrade refused: loading " + name + " fails (see above)");
            return 1;
        }
        if (!replace) {
            inv.errln("klp: downgrade refused: " + name + " is not a cumulative (replace) patch");
            return 1;
        }
        if (before.isEmpty()) {
            inv.errln("klp: nothing to downgrade: no patch is installed; load " + name + " with modprobe");
            return 1;
        }
        inv.println("klp: downgrading: only " + name + "'s callbacks run; the current patch's unpatch callbacks do not,");
        inv.println("     so whatever they would undo stays as it is (cumulative-patches.rst).");
        return KmodCommands.modprobeLoad(inv, inv.m.source(name), params);
    }

    /**
     * klp preview --disable PATCH: echo 0 > enabled on a scratch copy, run to the end of its
     * transition; what it frees under a module that still reads it is a warning before the
     * free (ShadowLedger.disableFrees, the ledger's one model), then the kernel's lines.
     */
    static int previewDisable(Invocation inv, String name) {
        KlpPatch p = inv.m.klp.core.findRegistered(name);
        if (p == null) {
            inv.errln("klp: no patch '" + name + "' (see: klp list)");
            return 1;
        }
        if (!p.enabled) {
            inv.errln("klp: '" + name + "' is not enabled");
            return 1;
        }
        if (inv.m.klp.transition.transitionPatch() != null) {
            inv.errln("klp: the transition of '" + inv.m.klp.transition.transitionPatch().name() + "' is in flight: echo 0 > enabled fails with EBUSY until it ends");
            return 1;
        }
        Machine sm = inv.m.fork();
        int logFrom = sm.printk.records().size();
        List<ShadowLedger.FreedUnderReader> frees = ShadowLedger.disableFrees(sm, name);
        inv.println("klp preview: echo 0 > /sys/kernel/livepatch/" + name + "/enabled (on a scratch copy of this machine; nothing changes here)");
        if (frees == null) {
            inv.println("  result: the unpatching transition does not complete within " + LoadPreview.WAIT_NS / 1_000_000_000L + " s of virtual time:");
            for (String l : KlpWait.blockingReport(sm)) inv.println("    " + l);
        } else {
            inv.println("  result: unpatching completes; " + name + " is disabled");
            if (frees.isEmpty()) inv.println("  shadow variables freed while another module still reads them: none");
            for (ShadowLedger.FreedUnderReader f : frees)
                inv.println("  WARNING: " + f.warning() + " (" + String.join(", ", f.readers())
                        + " stays enabled: its next klp_shadow_get() gets NULL, a read after free)");
        }
        inv.println("  what the kernel prints:");
        List<Printk.Record> recs = sm.printk.records();
        for (Printk.Record r : recs.subList(Math.min(logFrom, recs.size()), recs.size())) inv.println("    " + r.text());
        return 0;
    }

    /**
     * What the loaded patch leads to on the scratch machine: the tasks that stall its
     * transition (worded as klp blocking words them), or else each live shadow variable and
     * who frees it when the patch is disabled and the livepatch modules removed.
     */
    private record Forecast(boolean stalled, List<String> stall, List<Var> vars) {
        record Var(String label, List<String> users, String freedBy) {}
    }

    private static Forecast forecast(Machine sm, KlpPatch np, boolean sayStall) {
        if (np == null) return new Forecast(false, List.of(), List.of());
        if (sm.klp.transition.transitionPatch() == np) return new Forecast(true, sayStall ? KlpWait.blockingReport(sm) : List.of(), List.of());
        List<Shadow.Var> live = sm.klp.shadow.live();
        List<String> labels = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Shadow.Var v : live) {
            labels.add(String.format("<%s, 0x%x> allocated by %s%s%s", sm.klp.shadow.pointer(v.obj()), v.id(), v.allocatedBy(),
                    v.allocatedIn() == null ? "" : " in " + v.allocatedIn(), v.users().isEmpty() ? "" : ", used by " + String.join(", ", v.users())));
            keys.add(ShadowLedger.key(sm, v));
        }
        java.util.Map<String, String> future = live.isEmpty() ? java.util.Map.of() : ShadowLedger.forecast(sm);
        List<Forecast.Var> vars = new ArrayList<>();
        for (int i = 0; i < live.size(); i++)
            vars.add(new Forecast.Var(labels.get(i), live.get(i).everyUser(), future == null ? "?" : future.get(keys.get(i))));
        return new Forecast(false, List.of(), vars);
    }

    private static Set<Target> targets(List<KlpPatch> patches) {
        Set<Target> s = new LinkedHashSet<>();
        for (KlpPatch p : patches)
            for (KlpObject o : p.objList())
                for (KlpFunc f : o.funcList()) if (!f.nop) s.add(new Target(o.displayName(), f.oldName, f.oldSympos));
        return s;
    }

    private static String names(List<KlpPatch> ps) {
        return ps.isEmpty() ? "nothing" : String.join(", ", ps.stream().map(KlpPatch::name).toList());
    }

    private static String list(List<String> l) {
        return l.isEmpty() ? "none" : String.join(", ", l);
    }

    /** The unpatch callbacks a replaced patch defines: the ones a replace skips. */
    private static String defined(KlpCallbacks c) {
        List<String> l = new ArrayList<>();
        if (c.preUnpatch != null) l.add("pre_unpatch");
        if (c.postUnpatch != null) l.add("post_unpatch");
        return String.join(" ", l);
    }
}
