package dev.klpsim.snapshot;

import dev.klpsim.kernel.HostImage;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Profile;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.Transition;
import dev.klpsim.snapshot.Snapshot.Frame;
import dev.klpsim.snapshot.Snapshot.HostFunc;
import dev.klpsim.snapshot.Snapshot.HostObject;
import dev.klpsim.snapshot.Snapshot.HostPatch;
import dev.klpsim.snapshot.Snapshot.HostTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boots a machine that is the snapshot's host as far as livepatch can tell: every function
 * in a stack or a patch exists in kallsyms in the object that owns it, the modules are
 * stand-ins with those functions, the livepatches patch the same functions with no-op
 * replacements, and a transition in flight continues from the tasks' recorded states.
 * The decisions (what the snapshot cannot say) are made once, here, and listed in notes().
 */
public final class HostBoot implements HostImage {
    /** The size a function gets when no stack says how big it is. */
    static final long UNKNOWN_SIZE = 0x100;

    public final Snapshot snap;
    /** The patches in klp_patches order (oldest first). */
    final List<HostPatch> order;
    /** Per patch: old function (object/name/sympos) -> the replacement's name in the patch module. */
    private final Map<String, String> newNames = new HashMap<>();
    /** Per object ("" for vmlinux): function name -> size (first known). */
    private final Map<String, Map<String, Long>> functions = new LinkedHashMap<>();
    /** Per object: function name -> the occurrences the patches' sympos need. */
    private final Map<String, Map<String, Long>> occurrences = new HashMap<>();
    private final Set<String> livepatchModules = new HashSet<>();
    private final HostPatch transitionPatch;
    private final int attemptsSoFar;
    private final List<String> notes = new ArrayList<>();
    /** Which profile simulates the host's kernel, when none is exact. */
    final List<String> profileNotes = new ArrayList<>();
    /** Tasks whose stack could not be read: the machine treats them as unreliable. */
    final Set<Integer> unknownStacks = new HashSet<>();

    HostBoot(Snapshot snap) {
        this.snap = snap;
        for (HostPatch p : snap.patches) livepatchModules.add(p.name());
        this.order = patchOrder();
        // one transition at a time (klp_transition_patch): of several, the newest patch is the
        // one a kernel could be switching to (a patching transition is always the newest patch)
        HostPatch tp = null;
        List<HostPatch> newestFirst = new ArrayList<>(order);
        java.util.Collections.reverse(newestFirst);
        for (HostPatch p : newestFirst) {
            if (!p.transition()) continue;
            if (tp != null) {
                snap.warnings.add("line " + p.line() + ": '" + p.name() + "' is in transition too, but only one transition can be in flight ('"
                        + tp.name() + "', the newer): taken as not in transition");
                continue;
            }
            tp = p;
        }
        this.transitionPatch = tp;
        this.attemptsSoFar = tp == null ? 0 : estimateAttempts(tp);
        collectFunctions();
        explain();
    }

    @Override
    public String source() {
        return snap.source;
    }

    /** The snapshot file, absolute; null for one not read from a file. */
    public java.nio.file.Path path() {
        return snap.path;
    }

    /** What the snapshot could not say and what klpsim assumed instead, in load order. */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    @Override
    public String release() {
        return snap.release;
    }

    @Override
    public String cmdline() {
        return snap.cmdline;
    }

    /** The profile whose livepatch behaviour fits the host's kernel best, with a note when none is exact. */
    static Profile profileFor(String release, List<String> notes) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(release == null ? "" : release);
        if (!m.find()) {
            notes.add("the snapshot names no kernel release: the " + Profile.DEFAULT.option + " profile is used");
            return Profile.DEFAULT;
        }
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
        int v = major * 1000 + minor;
        if (v < 5010) {
            notes.add("Linux " + release + " is older than klpsim's oldest profile (5.10): it is simulated as 5.10, whose livepatch core it may not match");
            return Profile.V5_10;
        }
        if (v < 6000) {
            if (v != 5010) notes.add("Linux " + release + " is simulated with the 5.10 profile (no cond_resched switching, no replace/stack_order attributes)");
            return Profile.V5_10;
        }
        if (v >= 7000) {
            if (v != 7003) notes.add("Linux " + release + " is simulated with the 7.3 profile (" + Profile.V7_3.release + ")");
            return Profile.V7_3;
        }
        if (v >= 6014) {
            notes.add("Linux " + release + " is simulated with the spec profile (6.12's livepatch with stack_order)");
            return Profile.SPEC;
        }
        if (v != 6012) notes.add("Linux " + release + " is simulated with the 6.12 profile"
                + (v < 6004 ? ", which has cond_resched switching (6.4+) that this kernel lacks" : ""));
        return Profile.V6_12;
    }

    // ---- the plan --------------------------------------------------------------------------

    /** klp_patches order: stack_order when the kernel has it, else the order the log enabled them in. */
    private List<HostPatch> patchOrder() {
        List<HostPatch> ps = new ArrayList<>(snap.patches);
        if (ps.size() < 2) return ps;
        if (ps.stream().allMatch(p -> p.stackOrder() != null)) {
            ps.sort((a, b) -> Integer.compare(a.stackOrder(), b.stackOrder()));
            return ps;
        }
        Map<String, Integer> enabledAt = new HashMap<>();
        int i = 0;
        for (Snapshot.LogLine l : snap.log) {
            Matcher m = Pattern.compile("livepatch: enabling patch '([^']+)'").matcher(l.text());
            if (m.find()) enabledAt.put(m.group(1), i++);
        }
        if (ps.stream().allMatch(p -> enabledAt.containsKey(p.name()))) {
            ps.sort((a, b) -> Integer.compare(enabledAt.get(a.name()), enabledAt.get(b.name())));
            notes.add("patch order (no stack_order on this kernel) taken from the 'enabling patch' lines of the log: "
                    + String.join(", ", ps.stream().map(HostPatch::name).toList()));
            return ps;
        }
        // a patch in its patching transition is the newest; the rest in name order
        ps.sort((a, b) -> {
            boolean ta = a.transition() && a.enabled(), tb = b.transition() && b.enabled();
            if (ta != tb) return ta ? 1 : -1;
            return a.name().compareTo(b.name());
        });
        notes.add("the snapshot does not say in which order the patches were enabled (no stack_order, no log lines): assumed "
                + String.join(", ", ps.stream().map(HostPatch::name).toList()) + " (oldest first); func stacks over a function patched twice may differ");
        return ps;
    }

    /** Failed attempts so far: about one a second since the transition started, by the host's log. */
    private int estimateAttempts(HostPatch tp) {
        String dir = tp.enabled() ? "patching" : "unpatching";
        double started = -1;
        for (Snapshot.LogLine l : snap.log)
            if (l.time() >= 0 && l.text().contains("'" + tp.name() + "': starting " + dir + " transition")) started = l.time();
        if (started < 0 || snap.uptime < 0) {
            notes.add("how long '" + tp.name() + "' has been in transition is unknown (no 'starting " + dir
                    + " transition' line in the snapshot's log): klpsim counts its attempts from the snapshot on");
            return 0;
        }
        double elapsed = Math.max(0, snap.uptime - started);
        int attempts = 1 + (int) Math.min(Math.floor(elapsed), 1e9);   // one a second, for at most 30 years
        notes.add(String.format("'%s' started its %s transition %.1f s before the snapshot (log at %.6f, uptime %.2f): about %d attempt%s so far",
                tp.name(), dir, elapsed, started, snap.uptime, attempts, attempts == 1 ? "" : "s"));
        return attempts;
    }

    private static String key(String object) {
        return object == null || object.equals("vmlinux") ? "" : object;
    }

    private void function(String object, String name, long size) {
        functions.computeIfAbsent(key(object), k -> new LinkedHashMap<>()).merge(name, size, (a, b) -> a > 0 ? a : b);
    }

    private void collectFunctions() {
        for (HostTask t : snap.tasks) for (Frame f : t.stack()) function(f.module(), f.name(), f.size());
        for (HostPatch p : order) {
            Set<String> own = new java.util.LinkedHashSet<>();
            for (HostTask t : snap.tasks) for (Frame f : t.stack()) if (p.name().equals(f.module())) own.add(f.name());
            int nfuncs = 0;
            for (HostObject o : p.objects()) nfuncs += o.funcs().size();
            Set<String> used = new HashSet<>();
            for (HostObject o : p.objects()) {
                for (HostFunc f : o.funcs()) {
                    function(o.name(), f.name(), 0);
                    occurrences.computeIfAbsent(key(o.name()), k -> new HashMap<>()).merge(f.name(), f.sympos(), Math::max);
                    String repl = replacementName(f.name(), own, used, nfuncs);
                    used.add(repl);
                    newNames.put(p.name() + "/" + o.name() + "/" + f.name() + "," + f.sympos(), repl);
                    function(p.name(), repl, 0);
                }
            }
        }
    }

    /**
     * The replacement of {@code old} in a patch module, as its stack frames name it: the same
     * name (kpatch builds them so), a name ending in it (livepatch_cmdline_proc_show), or the
     * one function of a one-function patch seen on a stack. Otherwise a stand-in of the
     * original's name: no stack of the host runs it.
     */
    private static String replacementName(String old, Set<String> own, Set<String> used, int nfuncs) {
        if (own.contains(old)) return old;
        for (String s : own) if (!used.contains(s) && s.endsWith("_" + old)) return s;
        if (nfuncs == 1 && own.size() == 1) return own.iterator().next();
        return old;
    }

    private void explain() {
        int running = 0, unknownPs = 0, noStack = 0, dropped = 0;
        for (HostTask t : snap.tasks) {
            if (t.state() == 'R' && !isSelf(t)) running++;
            if (t.patchState() == null) unknownPs++;
            if (!t.stackKnown()) noStack++;
        }
        for (String w : snap.warnings) if (w.contains("left out of its stack") || w.contains("has no symbol name")) dropped++;
        if (running > 0) notes.add(running + " task" + (running == 1 ? " was" : "s were") + " running when the snapshot was taken: "
                + "a stack is one instant and running tasks move; klpsim lets their user-space parts switch at once (the return to user space) "
                + "and running kthreads at cond_resched()");
        if (noStack > 0) {
            java.util.Map<String, Integer> why = new java.util.TreeMap<>();
            for (HostTask t : snap.tasks) if (!t.stackKnown() && !isSelf(t)) why.merge(t.noStack(), 1, Integer::sum);
            List<String> parts = new ArrayList<>();
            why.forEach((k, n) -> parts.add(n + " " + k));
            notes.add(noStack + " task" + (noStack == 1 ? "'s stack" : "s' stacks") + " could not be read (" + String.join(", ", parts) + "): "
                    + "klpsim treats each as the kernel treats a stack it cannot walk reliably: klp_check_stack() fails, at an attempt "
                    + "and at cond_resched() alike, so only its return to user space or force switches it");
        }
        List<Snapshot.HostRefusal> refusals = snap.livepatchRefusals();
        if (!refusals.isEmpty())
            notes.add("this host cannot load a livepatch: " + String.join("; ", refusals.stream().map(Snapshot.HostRefusal::why).toList())
                    + ": every livepatch load here fails as it would there");
        else if (snap.host.isEmpty())
            notes.add("the snapshot (format " + snap.version + ") does not say whether the host can load livepatches at all: taken as it can");
        if (transitionPatch != null && unknownPs > 0) notes.add(unknownPs + " task" + (unknownPs == 1 ? "'s" : "s'")
                + " patch_state could not be read: taken as not yet switched");
        if (dropped > 0) notes.add(dropped + " stack entr" + (dropped == 1 ? "y" : "ies") + " could not be named and were left out (see the warnings)");
        if (snap.user != null && snap.user != 0)
            notes.add("the snapshot was taken as uid " + snap.user + ", not root: kernel stacks and patch states need root");
        if (snap.self == null || snap.tasks.stream().noneMatch(this::isSelf))
            notes.add("the snapshot does not name the task that took it: klpsim adds a shell task for its own commands");
        if (transitionPatch != null) notes.add("the idle tasks (swapper/N) have no /proc entry: taken as switched (an idle CPU switches in its idle loop)");
        for (HostPatch p : order) if (p.replace() == null) {
            notes.add("this kernel has no 'replace' attribute: whether the patches are cumulative is unknown; taken as not");
            break;
        }
        if (!order.isEmpty()) notes.add("the livepatches' replacement functions are no-op stand-ins: only which functions they patch is known");
    }

    /** Whether the host could not give this task's stack (klpsim then treats it as unreliable). */
    public boolean stackUnknown(int pid) {
        return unknownStacks.contains(pid);
    }

    boolean isSelf(HostTask t) {
        return snap.self != null && t.tid() == snap.self;
    }

    // ---- the boot --------------------------------------------------------------------------

    @Override
    public void boot(Machine m) {
        List<Snapshot.HostRefusal> refusals = snap.livepatchRefusals();
        if (!refusals.isEmpty()) {
            Snapshot.HostRefusal r = refusals.get(0);
            m.modules.livepatchRefusal = new dev.klpsim.kernel.ModuleLoader.LivepatchRefusal(r.why(), r.errno(), r.level(), r.kernelLine());
        }
        addVmlinux(m);
        loadModules(m);
        List<HostPatch> ok = restorePatches(m);
        addTasks(m);
        if (transitionPatch != null && ok.contains(transitionPatch)) {
            KlpPatch p = m.klp.core.findRegistered(transitionPatch.name());
            int target = transitionPatch.enabled() ? Transition.KLP_TRANSITION_PATCHED : Transition.KLP_TRANSITION_UNPATCHED;
            m.klp.transition.klpRestoreTransition(p, target, attemptsSoFar, 0);
        }
    }

    private void addVmlinux(Machine m) {
        Map<String, Long> fns = functions.getOrDefault("", Map.of());
        for (var e : fns.entrySet()) {
            long need = occurrences.getOrDefault("", Map.of()).getOrDefault(e.getKey(), 1L);
            long have = m.kallsyms.occurrences(null, e.getKey()).size();
            for (long i = have; i < need; i++) m.kallsyms.addVmlinux(e.getKey(), size(e.getValue()), true, null);
        }
    }

    private static long size(long s) {
        return s > 0 ? s : UNKNOWN_SIZE;
    }

    /** The modules, oldest first so that lsmod lists them as /proc/modules did. */
    private void loadModules(Machine m) {
        List<String> names = new ArrayList<>();
        Map<String, Snapshot.HostModule> host = new HashMap<>();
        for (int i = snap.modules.size() - 1; i >= 0; i--) {
            names.add(snap.modules.get(i).name());
            host.put(snap.modules.get(i).name(), snap.modules.get(i));
        }
        // a module a stack or a patch names that /proc/modules lacks (unreadable, or edited)
        for (String obj : functions.keySet()) if (!obj.isEmpty() && !names.contains(obj) && (livepatchModules.contains(obj) || inStacks(obj))) names.add(obj);
        for (HostPatch p : order) if (!names.contains(p.name())) names.add(p.name());
        for (String name : names) {
            ModuleSpec spec = new ModuleSpec(name, livepatchModules.contains(name));
            spec.filename = snap.source;
            Map<String, Long> fns = functions.getOrDefault(name, Map.of());
            for (var e : fns.entrySet()) {
                long need = occurrences.getOrDefault(name, Map.of()).getOrDefault(e.getKey(), 1L);
                for (long i = 0; i < need; i++) spec.functions.add(new ModuleSpec.Function(e.getKey(), size(e.getValue()), null));
            }
            if (m.modules.load(spec, List.of()) != 0) continue;
            Snapshot.HostModule hm = host.get(name);
            if (hm != null && !spec.livepatch) m.modules.find(name).refcnt = hm.refcnt();
        }
    }

    private boolean inStacks(String module) {
        for (HostTask t : snap.tasks) for (Frame f : t.stack()) if (module.equals(f.module())) return true;
        return false;
    }

    private List<HostPatch> restorePatches(Machine m) {
        List<HostPatch> ok = new ArrayList<>();
        for (HostPatch hp : order) {
            Module mod = m.modules.find(hp.name());
            if (mod == null) continue;
            List<KlpObject> objs = new ArrayList<>();
            for (HostObject ho : hp.objects()) {
                List<KlpFunc> funcs = new ArrayList<>();
                for (HostFunc hf : ho.funcs()) {
                    String repl = newNames.get(hp.name() + "/" + ho.name() + "/" + hf.name() + "," + hf.sympos());
                    KlpFunc f = new KlpFunc(hf.name(), repl, hf.sympos());
                    f.newFunc = mod.symbol(repl);
                    funcs.add(f);
                }
                objs.add(new KlpObject(ho.vmlinux() ? null : ho.name(), funcs, null));
            }
            boolean replace = Boolean.TRUE.equals(hp.replace());
            KlpPatch p = new KlpPatch(mod, objs, null, replace);
            int ret = m.klp.core.klpRestorePatch(p, hp.enabled());
            if (ret == 0) {
                ok.add(hp);
                if (hp.attrs().containsKey("forced")) p.forced = "1".equals(hp.attrs().get("forced"));
            }
        }
        return ok;
    }

    private void addTasks(Machine m) {
        int target = transitionPatch == null ? Transition.KLP_TRANSITION_IDLE
                : transitionPatch.enabled() ? Transition.KLP_TRANSITION_PATCHED : Transition.KLP_TRANSITION_UNPATCHED;
        int initial = target == Transition.KLP_TRANSITION_IDLE ? target : 1 - target;
        boolean condResched = dev.klpsim.livepatch.Transition.hasCondReschedSwitch(m.options.profile);
        int maxPid = 0;
        for (HostTask ht : snap.tasks) {
            TaskState st = state(ht.state());
            if (st == null) continue;
            boolean self = isSelf(ht);
            List<Symbol> frames = self ? m.boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64") : frames(m, ht);
            Task t = m.addHostTask(ht.tid(), taskComm(ht), ht.kthread(), self ? TaskState.RUNNING : st, frames);
            maxPid = Math.max(maxPid, ht.tid());
            Integer ps = ht.patchState();
            t.patchState = target == Transition.KLP_TRANSITION_IDLE ? Transition.KLP_TRANSITION_IDLE
                    : ps == null || ps == Transition.KLP_TRANSITION_IDLE ? initial : ps;
            if (!ht.stackKnown() && !self) {
                t.unreliableStack = true;
                unknownStacks.add(ht.tid());
            }
            if (self) m.shell = t;
            else if (st == TaskState.RUNNING && !ht.kthread()) t.userLoop = true;
            else if (st == TaskState.RUNNING && condResched) t.program = (mm, task) -> mm.klp.transition.klpCondResched(task);
            if (!self && ht.kthread() && ht.comm().startsWith("kworker/") && st != TaskState.RUNNING
                    && !frames.isEmpty() && innermostIsWorkerIdle(frames)) m.addHostWorker(t);
        }
        if (m.shell == null) {
            Task t = m.addHostTask(maxPid + 1, "bash", false, TaskState.RUNNING, m.boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64"));
            t.patchState = target;
            m.shell = t;
        }
        for (int cpu = 0; cpu < m.options.cpus; cpu++) {
            Task idle = m.addIdleTask(cpu, cpu == 0
                    ? m.boot.frames("secondary_startup_64_no_verify", "x86_64_start_kernel", "start_kernel", "rest_init", "cpu_startup_entry", "do_idle")
                    : m.boot.frames("secondary_startup_64_no_verify", "start_secondary", "cpu_startup_entry", "do_idle"));
            idle.patchState = target;
        }
    }

    /**
     * task->comm, which the kernel's lines print: /proc shows a workqueue worker as
     * wq_worker_comm() makes it, with "+desc" (busy) or "-desc" (idle) after the comm.
     */
    public static String taskComm(HostTask ht) {
        String c = ht.comm();
        if (!ht.kthread() || !c.startsWith("kworker/")) return c;
        int plus = c.indexOf('+');
        if (plus > 0) return c.substring(0, plus);
        // rescuers are named kworker/R-<wq>: their '-' is part of the name
        int minus = c.startsWith("kworker/R-") ? -1 : c.indexOf('-');
        return minus > 0 ? c.substring(0, minus) : c;
    }

    private static boolean innermostIsWorkerIdle(List<Symbol> frames) {
        for (int i = frames.size() - 1; i >= 0 && i >= frames.size() - 4; i--) if (frames.get(i).name.equals("worker_thread")) return true;
        return false;
    }

    /** The scheduler state a /proc state letter stands for; null: not a task to keep. */
    static TaskState state(char c) {
        return switch (c) {
            case 'R' -> TaskState.RUNNING;
            case 'S' -> TaskState.INTERRUPTIBLE;
            case 'X' -> null;
            // D, I (idle kthreads: uninterruptible, not counted in the load), T/t (stopped,
            // traced), P (parked), Z (zombies): a fake signal does not wake any of them
            default -> TaskState.UNINTERRUPTIBLE;
        };
    }

    /** The task's stack as symbols, outermost first (/proc lists the innermost first). */
    private static List<Symbol> frames(Machine m, HostTask ht) {
        List<Symbol> out = new ArrayList<>(ht.stack().size());
        for (int i = ht.stack().size() - 1; i >= 0; i--) {
            Frame f = ht.stack().get(i);
            Symbol s = m.kallsyms.lookup(f.module(), f.name());
            if (s != null) out.add(s);
        }
        return out;
    }
}
