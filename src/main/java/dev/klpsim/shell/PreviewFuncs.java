package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.Transition;
import dev.klpsim.snapshot.FuncsPatch;
import dev.klpsim.snapshot.HostBoot;
import dev.klpsim.snapshot.Snapshot;
import dev.klpsim.snapshot.Snapshots;

import java.util.ArrayList;
import java.util.List;

/**
 * `klp preview --funcs F,G` (a patch of no-op replacements of just those functions), and
 * the transition outlook a preview prints on a host snapshot: who the first attempt leaves
 * behind and why, whether and when the transition completes, and which captured stacks
 * hold each patched function.
 */
final class PreviewFuncs {
    private PreviewFuncs() {}

    static final long WAIT_NS = 60_000_000_000L;

    static int preview(Invocation inv, List<String> a) {
        String list;
        if (a.get(0).startsWith("--funcs=")) {
            list = a.get(0).substring("--funcs=".length());
            if (a.size() != 1) return usage(inv);
        } else {
            if (a.size() != 2) return usage(inv);
            list = a.get(1);
        }
        FuncsPatch fp;
        try {
            fp = FuncsPatch.of(inv.m, list);
        } catch (IllegalArgumentException e) {
            inv.errln("klp: " + e.getMessage());
            return 1;
        }
        if (inv.m.modules.find(FuncsPatch.NAME) != null) {
            inv.errln("klp: a module named " + FuncsPatch.NAME + " is loaded: rmmod it first");
            return 1;
        }
        inv.m.registerSource(fp);
        try {
            int st = KlpPreview.preview(inv, List.of(FuncsPatch.NAME), false);
            for (String f : fp.assumed())
                inv.println("  note: " + f + " is in no captured stack and in no patch of the snapshot (it lists only those functions): taken as a vmlinux function");
            return st;
        } finally {
            // the preview changes nothing here: not even the module table modprobe searches
            inv.m.unregisterSource(FuncsPatch.NAME);
        }
    }

    private static int usage(Invocation inv) {
        inv.errln("usage: klp preview --funcs F[,G...]   (F: a function name, or MODULE:NAME)");
        return 2;
    }

    /** Whether a preview of {@code module} on this machine predicts its transition. */
    static boolean predicts(Machine m, String module) {
        return Snapshots.of(m) != null || module.equals(FuncsPatch.NAME);
    }

    /** The scratch machine's transition right after the load, and after the wait. */
    static final class Outlook {
        private KlpPatch patch;
        private boolean inTransition;
        private long startNs;
        private final List<String> first = new ArrayList<>();
        private int firstTasks;
        private boolean completed;
        private long tookNs;
        private int attempts;
        private final List<String> last = new ArrayList<>();

        static Outlook before(Machine sm, KlpPatch np) {
            Outlook o = new Outlook();
            o.patch = np;
            o.startNs = sm.now();
            Transition tr = sm.klp.transition;
            o.inTransition = np != null && tr.transitionPatch() == np;
            if (o.inTransition) {
                o.first.addAll(describe(sm, tr));
                o.firstTasks = tr.blockers().size();
            }
            return o;
        }

        void after(Machine sm) {
            Transition tr = sm.klp.transition;
            completed = tr.transitionPatch() != patch;
            tookNs = sm.now() - startNs;
            attempts = tr.attempts();
            if (!completed) last.addAll(describe(sm, tr));
        }

        private static List<String> describe(Machine sm, Transition tr) {
            List<String> out = new ArrayList<>();
            int at = KlpWait.signalAttempt(tr);
            // many tasks left for the same reason (a host whose stacks could not be read) are one line
            java.util.Map<String, List<String>> byWhy = new java.util.LinkedHashMap<>();
            for (Transition.Blocker b : tr.blockers())
                byWhy.computeIfAbsent(KlpWait.describe(sm, b, at), k -> new ArrayList<>()).add(b.task().comm + ":" + b.task().pid);
            java.util.Set<String> told = new java.util.HashSet<>();
            for (Transition.Blocker b : tr.blockers()) {
                String why = KlpWait.describe(sm, b, at);
                List<String> ts = byWhy.get(why);
                if (ts.size() < 4) out.add(b.task().comm + ":" + b.task().pid + "  " + why);
                else if (told.add(why)) out.add(ts.size() + " tasks (" + String.join(", ", ts.subList(0, 3)) + " and " + (ts.size() - 3) + " more)  " + why);
            }
            return out;
        }

        void print(Invocation inv, Machine sm) {
            if (!inTransition) {
                inv.println("  transition: the first attempt switches every task: it completes at once");
            } else {
                inv.println("  transition: the first attempt leaves " + dev.klpsim.text.Plural.of(firstTasks, "task") + " unswitched:");
                for (String l : first) inv.println("    " + l);
                if (completed) inv.println("  transition: completes " + KlpWait.secs(tookNs) + " later, at attempt " + attempts);
                else {
                    inv.println("  transition: still not complete after " + KlpWait.secs(WAIT_NS) + " (" + dev.klpsim.text.Plural.of(attempts, "attempt") + "); what blocks it then:");
                    for (String l : last) inv.println("    " + l);
                }
            }
            HostBoot hb = Snapshots.of(inv.m);
            if (hb == null || patch == null) return;
            inv.println("  on the host's captured stacks (one instant: a running task has moved on since):");
            for (KlpObject o : patch.objList()) {
                for (KlpFunc f : o.funcList()) {
                    List<Snapshot.HostTask> ts = Snapshots.tasksWith(hb, f.oldName);
                    List<String> names = new ArrayList<>();
                    for (Snapshot.HostTask t : ts) names.add(HostBoot.taskComm(t) + ":" + t.tid());
                    inv.println("    " + f.oldName + " (" + o.displayName() + "): "
                            + (ts.isEmpty() ? "no task" : ts.size() + " task" + (ts.size() == 1 ? "" : "s") + ": " + String.join(", ", names)));
                }
            }
        }
    }
}
