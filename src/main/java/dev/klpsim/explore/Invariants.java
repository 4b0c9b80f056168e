package dev.klpsim.explore;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.Trace;
import dev.klpsim.kernel.TraceEvent;
import dev.klpsim.kernel.Vfs;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpOps;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's invariants, checked from outside after every step of a session (the
 * reliability tests' random sessions and klp explore). Each check is written independently
 * of the code it checks (kernel/livepatch/patch.c, core.c, transition.c, state.c).
 */
public final class Invariants {

    private final Machine m;
    /** The sequence number of the first trace event not looked at yet. */
    private long nextSeq;
    /** (patch, object) -> whether post_unpatch may run (a pre_patch succeeded and no post_unpatch ran since). */
    private final Map<String, Boolean> armed = new HashMap<>();
    /** Patches replaced by a cumulative patch: no callback of theirs may run until their module loads again. */
    private final Set<String> replaced = new HashSet<>();
    private Set<String> activeBefore = new HashSet<>();

    public Invariants(Machine m) {
        this.m = m;
    }

    /** The same checks on another machine, carrying on from where this one's history is (a fork's). */
    public Invariants copyFor(Machine other) {
        Invariants c = new Invariants(other);
        c.nextSeq = nextSeq;
        c.armed.putAll(armed);
        c.replaced.addAll(replaced);
        c.activeBefore = new HashSet<>(activeBefore);
        return c;
    }

    /** What this checker remembers of the history: part of explore's state. */
    public String digest() {
        return new java.util.TreeMap<>(armed) + " " + new java.util.TreeSet<>(replaced) + " " + new java.util.TreeSet<>(activeBefore);
    }

    /** Violations after the last step, empty when all hold. */
    public List<String> check() {
        List<String> v = new ArrayList<>();
        // reading the transition files is a look, not an action of the session
        m.journal.unrecorded(() -> {
            transitionFiles(v);
            return null;
        });
        activeList(v);
        implementations(v);
        refcounts(v);
        callbacks(v);
        states(v);
        return v;
    }

    private void transitionFiles(List<String> v) {
        KlpPatch tp = m.klp.transition.transitionPatch();
        int inTransition = 0;
        for (KlpPatch p : m.klp.core.registeredPatches()) {
            Vfs.Node n = m.vfs.find("/sys/kernel/livepatch/" + p.name() + "/transition");
            String s = n == null ? "missing" : ((Vfs.File) n).read().trim();
            if (s.equals("1")) inTransition++;
            if (s.equals("1") != (p == tp)) v.add("transition file of " + p.name() + " reads " + s + " but the transition patch is " + tp);
        }
        if (inTransition > 1) v.add(inTransition + " patches in transition");
        if (tp == null) {
            for (Task t : m.tasks()) if (t.patchState != -1 || t.patchPending) v.add("no transition but " + t + " has patch_state " + t.patchState);
            for (Task t : m.idleTasks()) if (t.patchState != -1) v.add("no transition but " + t + " has patch_state " + t.patchState);
        }
    }

    private void activeList(List<String> v) {
        List<KlpPatch> list = m.klp.core.klpPatches();
        KlpPatch tp = m.klp.transition.transitionPatch();
        for (int i = 0; i < list.size(); i++) {
            KlpPatch p = list.get(i);
            if (!p.enabled && p != tp) v.add("disabled patch " + p.name() + " is in klp_patches");
            if (m.klp.core.stackOrder(p) != i + 1) v.add("stack_order of " + p.name() + " is " + m.klp.core.stackOrder(p) + ", expected " + (i + 1));
        }
        for (KlpPatch p : m.klp.core.registeredPatches())
            if (!list.contains(p)) v.add("patch " + p.name() + " has a sysfs directory but is not in klp_patches");
    }

    /** The handler rule, rewritten: the implementation each task gets for each patched function. */
    private void implementations(List<String> v) {
        List<Task> all = new ArrayList<>(m.tasks());
        all.addAll(m.idleTasks());
        for (KlpOps ops : m.klp.patch.allOps()) {
            List<KlpFunc> stack = ops.funcStack();
            if (stack.isEmpty()) {
                v.add("empty func stack for " + ops.oldFunc);
                continue;
            }
            for (KlpFunc f : stack) {
                if (!m.klp.core.klpPatches().contains(f.object().patch())) v.add(f + " of a patch not in klp_patches is on the stack of " + ops.oldFunc);
                if (f.transition && f.object().patch() != m.klp.transition.transitionPatch())
                    v.add(f + " has transition set but its patch is not in transition");
            }
            for (Task t : all) {
                Symbol expected;
                int i = 0;
                if (stack.get(0).transition && t.patchState == 0) i = 1;
                if (i >= stack.size() || stack.get(i).nop) expected = ops.oldFunc;
                else expected = stack.get(i).newFunc;
                Symbol got = m.klp.patch.klpFtraceHandler(ops.oldFunc, t);
                if (got != expected) v.add(t + " (state " + t.patchState + ") runs " + got + " for " + ops.oldFunc + ", expected " + expected);
            }
        }
    }

    private void refcounts(List<String> v) {
        for (Module mod : m.modules.list()) {
            if (mod.refcnt < 0) v.add("negative refcnt of " + mod.name);
            KlpPatch p = m.klp.core.findRegistered(mod.name);
            if (p != null && mod.refcnt < 1) v.add(mod.name + " has a live patch but refcnt " + mod.refcnt);
        }
        for (KlpPatch p : m.klp.core.klpPatches()) if (p.forced && p.mod.refcnt < 1) v.add("forced patch " + p.name() + " dropped its module reference");
        // do_init_module()'s failure path frees the module (free_module()) whatever klp_enable_patch
        // did: an init that fails after enabling its patch leaves the patch live on freed code
        for (KlpPatch p : m.klp.core.registeredPatches())
            if (m.modules.find(p.mod.name) != p.mod)
                v.add("patch " + p.name() + " is registered but its module was freed (its init failed after klp_enable_patch succeeded): "
                        + "its functions are freed code");
    }

    private void callbacks(List<String> v) {
        List<Trace.Event> evs = m.trace.all();
        Set<String> active = new HashSet<>();
        for (KlpPatch p : m.klp.core.klpPatches()) active.add(p.name());
        for (Trace.Event e : evs) {
            if (e.seq() < nextSeq) continue;
            nextSeq = e.seq() + 1;
            if (e.what() instanceof TraceEvent.ModuleEvent me && me.kind().equals("load")) {
                String name = me.module();
                replaced.remove(name);
                armed.keySet().removeIf(k -> k.startsWith(name + "/"));
            }
            if (e.what() instanceof TraceEvent.TransitionStep st && st.step() == TraceEvent.Step.COMPLETE && st.target() == 1) {
                // a completed cumulative patch replaces every patch active before it
                for (String old : activeBefore) if (!old.equals(st.patch()) && !active.contains(old)) replaced.add(old);
            }
            if (!(e.what() instanceof TraceEvent.CallbackRan c)) continue;
            String patch = c.patch(), cb = c.callback(), key = patch + "/" + c.object();
            if (replaced.contains(patch)) v.add(cb + " of replaced patch " + patch + " ran: " + e.text());
            switch (cb) {
                case "pre_patch" -> armed.put(key, c.ret() == 0);
                case "post_unpatch" -> {
                    if (!armed.getOrDefault(key, false)) v.add("post_unpatch without a successful pre_patch (or twice): " + e.text());
                    armed.put(key, false);
                }
                default -> { }
            }
        }
        activeBefore = active;
    }

    private void states(List<String> v) {
        List<KlpPatch> list = m.klp.core.klpPatches();
        for (int i = 0; i < list.size(); i++) {
            for (KlpState s : list.get(i).states) {
                for (int j = i + 1; j < list.size(); j++) {
                    KlpPatch newer = list.get(j);
                    if (!newer.replace) continue;
                    KlpState mine = null;
                    for (KlpState x : newer.states) if (x.id == s.id) mine = x;
                    if (mine == null || mine.version < s.version)
                        v.add("state " + s.id + " v" + s.version + " of " + list.get(i).name() + " not covered by cumulative " + newer.name());
                }
            }
        }
    }
}
