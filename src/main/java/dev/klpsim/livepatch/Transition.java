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
            // the kernel's one function, for current: the same checks as an attempt's (a stack
            // deeper than MAX_STACK_ENTRIES keeps it too), the same debug lines
            klpTrySwitchTask(t, true);
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
        lastAttempt.clear();
        lastDecision.clear();
        for (Task t : m.tasks()) if (!klpTrySwitchTask(t)) {
            complete = false;
            blocked++;
            lastAttempt.add(t);
        }
        for (Task idle : m.idleTasks()) {
            if (!klpTrySwitchTask(idle)) {
                complete = false;
                blocked++;
                lastAttempt.add(idle);
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

    /**
     * What klp_try_switch_task() decides for one task, typed: the errno of
     * klp_check_and_switch_task() (-EBUSY running, -EINVAL unreliable stack, -EADDRINUSE
     * sleeping on a function) with what it found, or that klp_have_reliable_stack() is false.
     * A stack deeper than MAX_STACK_ENTRIES is -EINVAL in the kernel too (the unwinder's
     * consume_entry() refuses the 101st entry); it is its own outcome here only so the tools
     * can say why. {@code func} and {@code code}: for SLEEPING_ON, the func whose forbidden
     * implementation is on the stack (its patch: {@code func.object().patch()}) and that code.
     */
    public record SwitchDecision(Outcome outcome, KlpFunc func, Symbol code, int frames) {
        public boolean switches() {
            return outcome == Outcome.SWITCHED;
        }

        /** The kernel's pr_debug wording (after "TASK:PID "), also the trace's. */
        public String kernelWhy() {
            return switch (outcome) {
                case SWITCHED -> "switched";
                case RUNNING -> "is running";
                case NO_RELIABLE_STACKS -> "no reliable stack traces";
                case UNRELIABLE_STACK, STACK_TOO_DEEP -> "has an unreliable stack";
                case SLEEPING_ON -> "is sleeping on function " + func.oldName;
            };
        }
    }

    public enum Outcome { SWITCHED, RUNNING, NO_RELIABLE_STACKS, UNRELIABLE_STACK, STACK_TOO_DEEP, SLEEPING_ON }

    private static final SwitchDecision SWITCHES = new SwitchDecision(Outcome.SWITCHED, null, null, 0);

    /**
     * klp_try_switch_task()'s decision for {@code task}, without switching it: the one rule
     * the attempt, cond_resched(), klp blocking, klp preview and the snapshot forecast all
     * read. {@code asCurrent}: decide as the task itself would at cond_resched() (it is
     * current, so never "running").
     */
    public SwitchDecision klpDecideSwitch(Task task, boolean asCurrent) {
        if (klpTransitionPatch == null || task.patchState == klpTargetState) return SWITCHES;
        if (!m.options.reliableStacks) return new SwitchDecision(Outcome.NO_RELIABLE_STACKS, null, null, 0);
        if (!asCurrent && m.taskCurr(task) && task != m.current) return new SwitchDecision(Outcome.RUNNING, null, null, 0);
        if (task.unreliableStack) return new SwitchDecision(Outcome.UNRELIABLE_STACK, null, null, 0);
        int frames = task.frames().size();
        if (frames > MAX_STACK_ENTRIES) return new SwitchDecision(Outcome.STACK_TOO_DEEP, null, null, frames);
        KlpFunc blocking = klpCheckStack(task);
        if (blocking != null) return new SwitchDecision(Outcome.SLEEPING_ON, blocking, forbiddenFor(blocking), frames);
        return SWITCHES;
    }

    /** klp_try_switch_task() with klp_check_and_switch_task(): decides, logs the kernel's debug line, switches. */
    boolean klpTrySwitchTask(Task task) {
        return klpTrySwitchTask(task, false);
    }

    private boolean klpTrySwitchTask(Task task, boolean atCondResched) {
        if (task.patchState == klpTargetState) return true;
        SwitchDecision d = klpDecideSwitch(task, atCondResched);
        if (!atCondResched) lastDecision.put(task, d);
        String fn = "klp_try_switch_task";
        String checkFn = m.options.profile.legacyTransition() ? "klp_check_stack" : fn;
        switch (d.outcome()) {
            case SWITCHED -> {
                task.patchPending = false;
                task.patchState = klpTargetState;
                if (klp.tracing()) switched(task, atCondResched ? "cond_resched, stack check passed" : "stack check passed");
                return true;
            }
            case NO_RELIABLE_STACKS -> { }
            case RUNNING -> {
                if (taskDebugEnabled("%s: %s:%d is running"))
                    taskDebug("%s: %s:%d is running", fn + ": " + task.comm + ":" + task.pid + " is running");
            }
            case UNRELIABLE_STACK, STACK_TOO_DEEP -> {
                if (taskDebugEnabled("%s: %s:%d has an unreliable"))
                    taskDebug("%s: %s:%d has an unreliable", checkFn + ": " + task.comm + ":" + task.pid + " has an unreliable stack");
            }
            case SLEEPING_ON -> {
                if (taskDebugEnabled("%s: %s:%d is sleeping"))
                    taskDebug("%s: %s:%d is sleeping", checkFn + ": " + task.comm + ":" + task.pid + " is sleeping on function " + d.func().oldName);
            }
        }
        String why = d.outcome() == Outcome.SLEEPING_ON ? d.kernelWhy() + " (in " + describe(d.code(), d.func()) + ")"
                : d.outcome() == Outcome.STACK_TOO_DEEP ? d.kernelWhy() + " (" + d.frames() + " entries, more than MAX_STACK_ENTRIES " + MAX_STACK_ENTRIES + ")"
                : d.kernelWhy();
        if (klp.tracing()) m.trace.emit(task, new TraceEvent.TaskBlocked(klpTransitionPatch.name(), task.pid, task.comm, task.patchState, atCondResched, why));
        return false;
    }

    /** Why the last klp_try_switch_task() left each task it did not switch (by an attempt or at cond_resched()), in task order. */
    private final Map<Task, SwitchDecision> lastDecision = new java.util.LinkedHashMap<>();

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

    /** A task the next klp_try_switch_task() would leave, and its decision (for the tools that explain a stall). */
    public record Blocker(Task task, SwitchDecision decision) {
        public Outcome kind() {
            return decision.outcome();
        }

        public KlpFunc func() {
            return decision.func();
        }

        public Symbol code() {
            return decision.code();
        }
    }

    /** The tasks (idle tasks last) that would keep the next attempt from completing, and why: {@link #klpDecideSwitch} for each. */
    public List<Blocker> blockers() {
        List<Blocker> out = new java.util.ArrayList<>();
        if (klpTransitionPatch == null) return out;
        List<Task> all = new java.util.ArrayList<>(m.tasks());
        all.addAll(m.idleTasks());
        for (Task t : all) {
            SwitchDecision d = klpDecideSwitch(t, false);
            if (!d.switches()) out.add(new Blocker(t, d));
        }
        return out;
    }

    /**
     * What the last attempt (klp_try_complete_transition()) decided for each task it did not
     * switch, idle tasks last, even those that switched since (an idle CPU kicked, a task at
     * its return to user space): why the attempt failed. Empty before the first attempt.
     */
    public List<Blocker> lastAttemptBlockers() {
        List<Blocker> out = new java.util.ArrayList<>();
        for (Task t : lastAttempt) {
            SwitchDecision d = lastDecision.get(t);
            if (d != null && !d.switches()) out.add(new Blocker(t, d));
        }
        return out;
    }

    /** The tasks the last attempt left, in its order. */
    private final List<Task> lastAttempt = new java.util.ArrayList<>();

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
