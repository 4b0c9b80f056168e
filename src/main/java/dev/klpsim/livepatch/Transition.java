package dev.klpsim.livepatch;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.kernel.TraceEvent;
import dev.klpsim.kernel.Workqueue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** kernel/livepatch/transition.c: the consistency model. */
public final class Transition {
    public static final int KLP_TRANSITION_IDLE = -1;
    public static final int KLP_TRANSITION_UNPATCHED = 0;
    public static final int KLP_TRANSITION_PATCHED = 1;
    static final int MAX_STACK_ENTRIES = 100;
    static final int SIGNALS_TIMEOUT = 15;

    private final Livepatch klp;
    private final Machine m;
    KlpPatch klpTransitionPatch;
    int klpTargetState = KLP_TRANSITION_IDLE;
    int klpSignalsCnt;
    private Workqueue.Work klpTransitionWork;
    /** Attempts made in the current transition, for the tools that explain a stall. */
    int attempts;
    long startedAtNs;

    Transition(Livepatch klp) {
        this.klp = klp;
        this.m = klp.machine;
    }

    public KlpPatch transitionPatch() {
        return klpTransitionPatch;
    }

    public int targetState() {
        return klpTargetState;
    }

    public int signalsCnt() {
        return klpSignalsCnt;
    }

    public int attempts() {
        return attempts;
    }

    public long startedAtNs() {
        return startedAtNs;
    }

    /** When the next attempt is due, or -1. */
    public long nextAttemptNs() {
        return work().pending() ? nextDue : -1;
    }

    private long nextDue = -1;

    private Workqueue.Work work() {
        if (klpTransitionWork == null)
            klpTransitionWork = m.workqueue.create(m.kallsyms.lookup(null, "klp_transition_work_fn"), null);
        return klpTransitionWork;
    }

    private static String direction(int target) {
        return target == KLP_TRANSITION_PATCHED ? "patching" : "unpatching";
    }

    /** klp_transition_work_fn(): the retry, run from a kworker about once a second. */
    public void klpTransitionWorkFn() {
        if (klpTransitionPatch != null) klpTryCompleteTransition();
    }

    private void step(KlpPatch patch, TraceEvent.Step step, int target, int pending, long nextNs) {
        m.trace.emit(m.current, new TraceEvent.TransitionStep(patch.name(), step, target, attempts, pending, nextNs));
    }

    private void switched(Task t, String how) {
        m.trace.emit(t, new TraceEvent.TaskSwitched(klpTransitionPatch.name(), t.pid, t.comm, klpTargetState, how));
    }

    /** klp_init_transition() */
    void klpInitTransition(KlpPatch patch, int state) {
        klpTransitionPatch = patch;
        klpTargetState = state;
        attempts = 0;
        startedAtNs = m.now();
        klp.prDebug("klp_init_transition", "'%s': initializing", "'" + patch.name() + "': initializing " + direction(state) + " transition");
        int initial = state == KLP_TRANSITION_PATCHED ? KLP_TRANSITION_UNPATCHED : KLP_TRANSITION_PATCHED;
        for (Task t : m.tasks()) t.patchState = initial;
        for (Task t : m.idleTasks()) t.patchState = initial;
        for (KlpObject obj : patch.objList) for (KlpFunc f : obj.funcList) f.transition = true;
        if (klp.tracing()) step(patch, TraceEvent.Step.INIT, state, 0, 0);
    }

    /**
     * A transition that was in flight on a host when its snapshot was taken: the tasks
     * already carry their recorded patch states; those not at the target are pending, and
     * the retry is scheduled as the failed attempt before the snapshot left it.
     * {@code attemptsSoFar} and {@code startedAtNs} are estimates from the host's log (0
     * when it says nothing).
     */
    public void klpRestoreTransition(KlpPatch patch, int target, int attemptsSoFar, long startedAtNs) {
        klpTransitionPatch = patch;
        klpTargetState = target;
        attempts = attemptsSoFar;
        klpSignalsCnt = attemptsSoFar;
        this.startedAtNs = startedAtNs;
        for (KlpObject obj : patch.objList) for (KlpFunc f : obj.funcList) f.transition = true;
        for (Task t : m.tasks()) t.patchPending = t.patchState != target;
        for (Task t : m.idleTasks()) t.patchPending = t.patchState != target;
        long due = m.timers.roundJiffiesRelativeSecond();
        if (m.workqueue.scheduleAt(work(), due)) nextDue = due;
    }

    /** klp_start_transition() */
    void klpStartTransition() {
        klp.prNotice("'" + klpTransitionPatch.name() + "': starting " + direction(klpTargetState) + " transition");
        for (Task t : m.tasks()) if (t.patchState != klpTargetState) t.patchPending = true;
        for (Task t : m.idleTasks()) if (t.patchState != klpTargetState) t.patchPending = true;
        klpSignalsCnt = 0;
        if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.START, klpTargetState, 0, 0);
        // A user task looping on short system calls passes its return to user space at once.
        for (Task t : m.tasks()) if (t.userLoop && m.taskCurr(t)) klpUpdatePatchState(t, "return to user space");
    }

    /** klp_update_patch_state(): a task switches itself at a safe point. */
    public void klpUpdatePatchState(Task t) {
        klpUpdatePatchState(t, t.isIdle() ? "idle loop" : "return to user space");
    }

    void klpUpdatePatchState(Task t, String how) {
        if (t.patchPending) {
            t.patchPending = false;
            t.patchState = klpTargetState;
            if (klp.tracing()) switched(t, how);
        }
    }

    /**
     * __klp_sched_try_switch() (6.4+): a CPU-bound task passing cond_resched() with its
     * pending flag set tries to switch itself, stack check included. The 5.10 profile has
     * no such hook, so a running kthread switches only by force there; nor has 7.3, which
     * calls it from __schedule() only for a task going to sleep in a TASK_FREEZABLE state
     * (livepatch_sched.h), never for one that stays runnable in cond_resched().
     */
    public void klpCondResched(Task t) {
        if (klpTransitionPatch == null || !t.patchPending || !hasCondReschedSwitch(m.options.profile)) return;
        Task prev = m.current;
        m.current = t;
        try {
            if (t.patchState == klpTargetState) return;
            KlpFunc blocking = m.options.reliableStacks && !t.unreliableStack ? klpCheckStack(t) : null;
            if (!m.options.reliableStacks || t.unreliableStack || blocking != null) {
                if (klp.tracing()) m.trace.emit(t, new TraceEvent.TaskBlocked(klpTransitionPatch.name(), t.pid, t.comm, t.patchState, true,
                        blocking != null ? "is sleeping on function " + blocking.oldName : "has an unreliable stack"));
                return;
            }
            t.patchPending = false;
            t.patchState = klpTargetState;
            if (klp.tracing()) switched(t, "cond_resched, stack check passed");
        } finally {
            m.current = prev;
        }
    }

    /** Whether cond_resched() switches a CPU-bound task (6.4 up to, not including, 7.x). */
    public static boolean hasCondReschedSwitch(dev.klpsim.kernel.Profile p) {
        return !p.legacyTransition() && !p.schedSwitchFreezable();
    }

    /** klp_copy_process(): a new task starts in its parent's state. */
    public void klpCopyProcess(Task child, Task parent) {
        if (parent == null) return;
        child.patchState = parent.patchState;
        child.patchPending = parent.patchPending;
    }

    /** klp_try_complete_transition(): one attempt over every task. */
    /** Wall-clock time of the last attempt, for the benchmark (never printed in a session). */
    public long lastAttemptWallNs;

    boolean klpTryCompleteTransition() {
        long wall = System.nanoTime();
        try {
            return tryCompleteTransition();
        } finally {
            lastAttemptWallNs = System.nanoTime() - wall;
        }
    }

    private boolean tryCompleteTransition() {
        attempts++;
        Map<Symbol, Integer> forbidden = forbiddenImplementations();
        for (var e : forbidden.entrySet()) e.getKey().klpForbidden = e.getValue() + 1;
        forbiddenThisAttempt = forbidden;
        try {
            return attempt();
        } finally {
            // completion may free the funcs; the marks go with the attempt that set them
            forbiddenThisAttempt = null;
            for (Symbol s : forbidden.keySet()) s.klpForbidden = 0;
        }
    }

    private boolean attempt() {
        boolean complete = true;
        int blocked = 0;
        for (Task t : m.tasks()) if (!klpTrySwitchTask(t)) {
            complete = false;
            blocked++;
        }
        for (Task idle : m.idleTasks()) {
            if (!klpTrySwitchTask(idle)) {
                complete = false;
                blocked++;
                // wake_up_if_idle(): the kicked CPU passes its idle-loop switch point at once.
                klpUpdatePatchState(idle, "idle loop, CPU kicked");
            }
        }
        if (!complete) {
            if (klpSignalsCnt != 0 && klpSignalsCnt % SIGNALS_TIMEOUT == 0) klpSendSignals();
            klpSignalsCnt++;
            long due = m.timers.roundJiffiesRelativeSecond();
            if (m.workqueue.scheduleAt(work(), due)) nextDue = due;
            if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.ATTEMPT_FAILED, klpTargetState, blocked, nextDue);
            return false;
        }
        if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.ATTEMPT_DONE, klpTargetState, 0, 0);
        KlpPatch patch = klpTransitionPatch;
        klpCompleteTransition();
        if (!patch.enabled) klp.core.klpFreePatchAsync(patch);
        else if (patch.replace) klp.core.klpFreeReplacedPatchesAsync(patch);
        return true;
    }

    /**
     * The per-task pr_debug() of klp_try_switch_task(): one site per message since 5.13;
     * 5.10 builds the message in err_buf (klp_check_stack() names itself) and prints it
     * through one {@code "%s"} site.
     */
    private boolean taskDebugEnabled(String formatStart) {
        return m.options.profile.legacyTransition() ? klp.debugEnabled("klp_try_switch_task", "%s")
                : klp.debugEnabled("klp_try_switch_task", formatStart);
    }

    private void taskDebug(String formatStart, String msg) {
        klp.prDebug("klp_try_switch_task", m.options.profile.legacyTransition() ? "%s" : formatStart, msg);
    }

    /** klp_try_switch_task() with klp_check_and_switch_task(). */
    boolean klpTrySwitchTask(Task task) {
        if (task.patchState == klpTargetState) return true;
        if (!m.options.reliableStacks) return blocked(task, "no reliable stack traces");
        String fn = "klp_try_switch_task";
        if (m.taskCurr(task) && task != m.current) {
            if (taskDebugEnabled("%s: %s:%d is running"))
                taskDebug("%s: %s:%d is running", fn + ": " + task.comm + ":" + task.pid + " is running");
            return blocked(task, "is running");
        }
        String checkFn = m.options.profile.legacyTransition() ? "klp_check_stack" : fn;
        if (task.unreliableStack || task.frames().size() > MAX_STACK_ENTRIES) {
            if (taskDebugEnabled("%s: %s:%d has an unreliable"))
                taskDebug("%s: %s:%d has an unreliable", checkFn + ": " + task.comm + ":" + task.pid + " has an unreliable stack");
            return blocked(task, "has an unreliable stack");
        }
        KlpFunc blocking = klpCheckStack(task);
        if (blocking != null) {
            if (taskDebugEnabled("%s: %s:%d is sleeping"))
                taskDebug("%s: %s:%d is sleeping", checkFn + ": " + task.comm + ":" + task.pid + " is sleeping on function " + blocking.oldName);
            return blocked(task, "is sleeping on function " + blocking.oldName + " (in " + describe(forbiddenFor(blocking), blocking) + ")");
        }
        task.patchPending = false;
        task.patchState = klpTargetState;
        if (klp.tracing()) switched(task, "stack check passed");
        return true;
    }

    private boolean blocked(Task t, String why) {
        if (klp.tracing()) m.trace.emit(t, new TraceEvent.TaskBlocked(klpTransitionPatch.name(), t.pid, t.comm, t.patchState, false, why));
        return false;
    }

    private static String describe(Symbol code, KlpFunc f) {
        return code == f.oldFunc ? "the original" : code.toString();
    }

    static String seconds(long ns) {
        return dev.klpsim.kernel.Timers.seconds(ns, false);
    }

    /**
     * klp_check_stack(): the first func (in object and func order) whose forbidden
     * implementation has a frame on the task's stack, or null.
     */
    public KlpFunc klpCheckStack(Task task) {
        if (klpTransitionPatch == null) return null;
        int best = Integer.MAX_VALUE;
        if (forbiddenThisAttempt != null) {
            if (forbiddenThisAttempt.isEmpty()) return null;
            for (int i = 0, n = task.depth(); i < n; i++) {
                int mark = task.frame(i).klpForbidden;
                if (mark != 0 && mark - 1 < best) best = mark - 1;
            }
        } else {
            Map<Symbol, Integer> forbidden = forbiddenImplementations();
            for (int i = 0, n = task.depth(); i < n; i++) {
                Integer order = forbidden.get(task.frame(i));
                if (order != null && order < best) best = order;
            }
        }
        return best == Integer.MAX_VALUE ? null : funcAt(best);
    }

    /**
     * The forbidden code of every func, computed once per attempt: the kernel compares each
     * stack entry with each func; an index makes it one lookup per stack entry.
     */
    private Map<Symbol, Integer> forbiddenThisAttempt;

    private KlpFunc funcAt(int order) {
        int i = 0;
        for (KlpObject obj : klpTransitionPatch.objList) {
            if (!obj.patched) continue;
            for (KlpFunc f : obj.funcList) if (i++ == order) return f;
        }
        return null;
    }

    /**
     * klp_check_stack_func() for every func at once: the code a task must not be running.
     * Unpatching forbids the func's own implementation (the original, for a nop); patching
     * forbids what lies below it on its func stack.
     */
    private Map<Symbol, Integer> forbiddenImplementations() {
        Map<Symbol, Integer> out = new HashMap<>();
        int i = 0;
        for (KlpObject obj : klpTransitionPatch.objList) {
            if (!obj.patched) continue;
            for (KlpFunc func : obj.funcList) {
                Symbol code = forbiddenFor(func);
                if (code != null) out.putIfAbsent(code, i);
                i++;
            }
        }
        return out;
    }

    /** The implementation a task must not be executing for {@code func} to let it switch. */
    public Symbol forbiddenFor(KlpFunc func) {
        if (klpTargetState == KLP_TRANSITION_UNPATCHED) return func.newFunc;
        KlpOps ops = klp.patch.klpFindOps(func.oldFunc);
        if (ops == null) return func.oldFunc;
        KlpFunc prev = ops.below(func);
        if (prev == null) return func.oldFunc;
        return prev.newFunc;
    }

    /** Why klp_try_switch_task() would fail for a task right now (for the tools that explain a stall). */
    public enum BlockKind { RUNNING, NO_RELIABLE_STACKS, UNRELIABLE_STACK, SLEEPING_ON }

    public record Blocker(Task task, BlockKind kind, KlpFunc func, Symbol code) {}

    /** The tasks (idle tasks last) that would keep the next attempt from completing, and why. */
    public List<Blocker> blockers() {
        List<Blocker> out = new java.util.ArrayList<>();
        if (klpTransitionPatch == null) return out;
        List<Task> all = new java.util.ArrayList<>(m.tasks());
        all.addAll(m.idleTasks());
        for (Task t : all) {
            if (t.patchState == klpTargetState) continue;
            if (!m.options.reliableStacks) {
                out.add(new Blocker(t, BlockKind.NO_RELIABLE_STACKS, null, null));
            } else if (m.taskCurr(t) && t != m.current) {
                out.add(new Blocker(t, BlockKind.RUNNING, null, null));
            } else if (t.unreliableStack || t.stack().size() > MAX_STACK_ENTRIES) {
                out.add(new Blocker(t, BlockKind.UNRELIABLE_STACK, null, null));
            } else {
                KlpFunc f = klpCheckStack(t);
                if (f != null) out.add(new Blocker(t, BlockKind.SLEEPING_ON, f, forbiddenFor(f)));
            }
        }
        return out;
    }

    /** klp_send_signals(): fake signals to the tasks still pending. */
    void klpSendSignals() {
        if (klpSignalsCnt == SIGNALS_TIMEOUT) klp.prNotice("signaling remaining tasks");
        if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.SIGNALS, klpTargetState, 0, 0);
        for (Task t : m.tasks()) {
            if (!t.patchPending) continue;
            if (klp.tracing()) m.trace.emit(t, new TraceEvent.SignalSent(klpTransitionPatch.name(), t.pid, t.comm,
                    t.isKthread() ? (t.state == TaskState.INTERRUPTIBLE ? "kthread woken" : "kthread not woken (not in interruptible sleep)")
                    : switch (t.state) {
                        case RUNNING -> "kicked into its return to user space";
                        case INTERRUPTIBLE -> "fake signal wakes it";
                        default -> "fake signal does not reach it (uninterruptible sleep)";
                    }));
            if (t.isKthread()) {
                m.wakeUpInterruptible(t);
            } else {
                klpFakeSignal(t);
            }
        }
    }

    /**
     * set_notify_signal(): an interruptible sleeper is woken, its system call is
     * interrupted and it switches on the way back to user space; a running task is kicked
     * into the same path. Tasks in uninterruptible sleep are not affected.
     */
    private void klpFakeSignal(Task t) {
        switch (t.state) {
            case RUNNING -> klpUpdatePatchState(t, "fake signal, return to user space");
            case INTERRUPTIBLE -> m.signalInterrupt(t, () -> klpUpdatePatchState(t, "fake signal, return to user space"));
            default -> { }
        }
    }

    /** klp_complete_transition() */
    void klpCompleteTransition() {
        KlpPatch patch = klpTransitionPatch;
        klp.prDebug("klp_complete_transition", "'%s': completing", "'" + patch.name() + "': completing " + direction(klpTargetState) + " transition");
        if (patch.replace && klpTargetState == KLP_TRANSITION_PATCHED) {
            klp.core.klpUnpatchReplacedPatches(patch);
            klp.core.klpDiscardNops(patch);
        }
        if (klpTargetState == KLP_TRANSITION_UNPATCHED) klp.patch.klpUnpatchObjects(patch);
        for (KlpObject obj : patch.objList) for (KlpFunc f : obj.funcList) f.transition = false;
        for (Task t : m.tasks()) {
            t.patchPending = false;
            t.patchState = KLP_TRANSITION_IDLE;
        }
        for (Task t : m.idleTasks()) {
            t.patchPending = false;
            t.patchState = KLP_TRANSITION_IDLE;
        }
        for (KlpObject obj : List.copyOf(patch.objList)) {
            if (!obj.isLoaded()) {
                boolean defined = klpTargetState == KLP_TRANSITION_PATCHED ? obj.callbacks.postPatch != null : obj.callbacks.postUnpatch != null;
                if (defined) klp.core.traceSkip(klpTargetState == KLP_TRANSITION_PATCHED ? "post_patch" : "post_unpatch", obj, "object not loaded");
                continue;
            }
            if (klpTargetState == KLP_TRANSITION_PATCHED) klp.core.klpPostPatchCallback(obj);
            else klp.core.klpPostUnpatchCallback(obj);
        }
        klp.prNotice("'" + patch.name() + "': " + direction(klpTargetState) + " complete");
        if (klp.tracing()) step(patch, TraceEvent.Step.COMPLETE, klpTargetState, 0, 0);
        klpTargetState = KLP_TRANSITION_IDLE;
        klpTransitionPatch = null;
        m.workqueue.cancelDelayed(work());
    }

    /** klp_cancel_transition(): an enable that failed before the transition started. */
    void klpCancelTransition() {
        if (klpTargetState != KLP_TRANSITION_PATCHED) return;
        klp.prDebug("klp_cancel_transition", "'%s': canceling", "'" + klpTransitionPatch.name() + "': canceling patching transition, going to unpatch");
        klpTargetState = KLP_TRANSITION_UNPATCHED;
        if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.CANCEL, klpTargetState, 0, 0);
        klpCompleteTransition();
    }

    /** klp_reverse_transition(): no attempt of its own; the scheduled retry does the work. */
    void klpReverseTransition() {
        klp.prDebug("klp_reverse_transition", "'%s': reversing", "'" + klpTransitionPatch.name() + "': reversing transition from "
                + (klpTargetState == KLP_TRANSITION_PATCHED ? "patching to unpatching" : "unpatching to patching"));
        for (Task t : m.tasks()) t.patchPending = false;
        for (Task t : m.idleTasks()) t.patchPending = false;
        klpTransitionPatch.enabled = !klpTransitionPatch.enabled;
        klpTargetState = klpTargetState == KLP_TRANSITION_PATCHED ? KLP_TRANSITION_UNPATCHED : KLP_TRANSITION_PATCHED;
        if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.REVERSE, klpTargetState, 0, 0);
        for (KlpObject obj : klpTransitionPatch.objList) {
            if (!obj.patched) continue;
            if (klpTargetState == KLP_TRANSITION_UNPATCHED && obj.callbacks.preUnpatch != null)
                klp.core.traceSkip("pre_unpatch", obj, "a reversal runs no pre_unpatch");
            if (klpTargetState == KLP_TRANSITION_PATCHED && obj.callbacks.prePatch != null)
                klp.core.traceSkip("pre_patch", obj, "a reversal runs no pre_patch");
        }
        klpStartTransition();
        // klp_synchronize_transition() ran work on every CPU: idle CPUs passed their switch point.
        for (Task idle : m.idleTasks()) if (m.cpuIdle(idle.cpu)) klpUpdatePatchState(idle, "idle loop, CPU woken by the synchronization");
        attempts = 0;
    }

    /** klp_force_transition(): breaks the consistency model on purpose. */
    void klpForceTransition() {
        klp.prWarn("forcing remaining tasks to the patched state");
        if (klp.tracing()) step(klpTransitionPatch, TraceEvent.Step.FORCE, klpTargetState, 0, 0);
        for (Task t : m.tasks()) klpUpdatePatchState(t, "forced");
        for (Task t : m.idleTasks()) klpUpdatePatchState(t, "forced");
        if (m.options.profile.legacyTransition()) {
            for (KlpPatch p : klp.core.klpPatches) p.forced = true;
        } else if (klpTargetState == KLP_TRANSITION_UNPATCHED) {
            klpTransitionPatch.forced = true;
        } else if (klpTransitionPatch.replace) {
            for (KlpPatch p : klp.core.klpPatches) if (p != klpTransitionPatch) p.forced = true;
        }
    }
}
