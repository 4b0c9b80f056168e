package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.Transition;

import java.util.List;

/** klp wait and klp blocking: how long a transition takes, and what holds it up. */
final class KlpWait {
    private KlpWait() {}

    static String secs(long ns) {
        return dev.klpsim.kernel.Timers.seconds(ns, false) + " s";
    }

    /** klp wait [--timeout S]; {@code timeoutArg} is null for the default of a minute. */
    static int waitCmd(Invocation inv, String timeoutArg) {
        long timeout = 60_000_000_000L;
        if (timeoutArg != null) {
            Long ns = SystemCommands.parseDuration(timeoutArg);
            if (ns == null) {
                inv.errln("klp: invalid timeout '" + timeoutArg + "'");
                return 2;
            }
            timeout = ns;
        }
        Machine m = inv.m;
        KlpPatch tp = m.klp.transition.transitionPatch();
        if (tp == null) {
            inv.println("klp: no transition in progress");
            return 0;
        }
        String dir = KlpCommand.direction(m);
        long took = m.waitFor(() -> m.klp.transition.transitionPatch() == null, timeout, dev.klpsim.jsh.UserCode::interruptRequested);
        if (m.klp.transition.transitionPatch() == null) {
            inv.println("klp: '" + tp.name() + "' " + dir + " transition finished after " + secs(took) + " of virtual time");
            return 0;
        }
        inv.println("klp: '" + tp.name() + "' is still in its " + KlpCommand.direction(m) + " transition after "
                + secs(took) + (dev.klpsim.jsh.UserCode.interruptRequested() ? " (interrupted)" : ""));
        blocking(inv, false);
        return 1;
    }

    static int blocking(Invocation inv, boolean verbose) {
        if (inv.m.klp.transition.transitionPatch() == null) {
            inv.println("klp: no transition in progress");
            return 0;
        }
        for (String l : blockingReport(inv.m, verbose)) inv.println(l);
        return 0;
    }

    static List<String> blockingReport(Machine m) {
        return blockingReport(m, false);
    }

    /**
     * The transition in flight, and each task that keeps it from completing with why and
     * what would end it; then, when it differs, why the last attempt failed (a task it left
     * that has switched since: an idle CPU kicked, a task at its return to user space).
     * {@link Transition#klpDecideSwitch} decides (klp_try_switch_task()'s one rule); this
     * only words it, for klp blocking, klp wait and klp preview alike.
     */
    static List<String> blockingReport(Machine m, boolean verbose) {
        Transition tr = m.klp.transition;
        KlpPatch tp = tr.transitionPatch();
        List<String> out = new java.util.ArrayList<>();
        long next = tr.nextAttemptNs();
        int cnt = tr.signalsCnt();
        int k = signalAttempt(tr) - 1;
        long signalAt = next < 0 ? -1 : next + (long) (k - cnt) * 1_000_000_000L;
        out.add("'" + tp.name() + "': " + KlpCommand.direction(m) + " transition, " + tr.attempts() + " attempt"
                + (tr.attempts() == 1 ? "" : "s") + " so far" + (next < 0 ? "" : ", next at " + secs(next))
                + (signalAt < 0 ? "" : ", fake signals at attempt " + (k + 1) + " (" + secs(signalAt) + ")"));
        List<Transition.Blocker> bs = tr.blockers();
        if (bs.isEmpty()) {
            out.add("  nothing blocks it: the next attempt completes it");
        }
        java.util.Set<Task> now = new java.util.HashSet<>();
        for (Transition.Blocker b : bs) {
            now.add(b.task());
            out.add("  " + b.task().comm + ":" + b.task().pid + "  " + describe(m, b, k + 1));
            if (verbose) {
                if (b.func() != null)
                    out.add("      " + b.func().oldName + " is a function patch '" + b.func().object().patch().name() + "' changes; the task's stack, innermost first:");
                stack(m, b.task(), out);
            }
        }
        List<Transition.Blocker> last = tr.lastAttemptBlockers();
        List<Transition.Blocker> since = last.stream().filter(b -> !now.contains(b.task())).toList();
        if (!since.isEmpty()) {
            out.add("  why the last attempt failed (" + dev.klpsim.text.Plural.of(last.size(), "task") + " left)" + (bs.isEmpty() ? ":" : ", besides the tasks above:"));
            for (Transition.Blocker b : since) out.add("    " + b.task().comm + ":" + b.task().pid + "  " + past(b, tr));
        }
        if (dev.klpsim.snapshot.Snapshots.of(m) != null)
            out.add("  (a host snapshot: each stack is the one captured at one instant, and a running task has moved on since; 'snapshot info' lists what klpsim assumed)");
        return out;
    }

    /** What the last attempt found of a task that is no longer blocking, and what happened since. */
    private static String past(Transition.Blocker b, Transition tr) {
        Task t = b.task();
        boolean switched = t.patchState == tr.targetState();
        String was = switch (b.kind()) {
            case RUNNING -> t.isIdle() ? "was running (the idle task of CPU " + t.cpu + ")" : "was running";
            case UNRELIABLE_STACK, STACK_TOO_DEEP -> "had an unreliable stack";
            case SLEEPING_ON -> "was sleeping on function " + b.func().oldName;
            case NO_RELIABLE_STACKS -> "could not be checked (no reliable stack traces)";
            case SWITCHED -> "switched";
        };
        String then = !switched ? "it switches at the next attempt"
                : t.isIdle() ? "the attempt kicked its CPU, which switched it in the idle loop" : "it has switched since";
        return was + "; " + then;
    }

    /** A blocking task's stack, innermost first, as /proc/PID/stack names each frame (klp blocking -v). */
    private static void stack(Machine m, Task t, List<String> out) {
        List<dev.klpsim.kernel.Symbol> frames = new java.util.ArrayList<>(t.frames());
        java.util.Collections.reverse(frames); // kept outermost first; /proc/PID/stack shows the innermost first
        if (frames.isEmpty()) {
            out.add("      (no kernel stack)");
            return;
        }
        int shown = Math.min(frames.size(), 12);
        for (int i = 0; i < shown; i++) out.add("      " + frames.get(i));
        if (frames.size() > shown) out.add("      ... " + (frames.size() - shown) + " more (" + frames.size() + " in all)");
    }

    /** The attempt at which klp_send_signals() next sends fake signals (every 15th failed attempt). */
    static int signalAttempt(Transition tr) {
        int cnt = tr.signalsCnt();
        return (cnt == 0 ? 15 : ((cnt + 14) / 15) * 15) + 1;
    }

    private static String condReschedOutlook(Machine m, Task t) {
        Transition.SwitchDecision d = m.klp.transition.klpDecideSwitch(t, true);
        return switch (d.outcome()) {
            case SWITCHED -> ", and nothing on its stack stops it";
            case SLEEPING_ON -> ", but " + d.func().oldName + " on its stack stops it";
            case STACK_TOO_DEEP -> ", but its stack has " + d.frames() + " entries, more than MAX_STACK_ENTRIES (100): the check fails there too; only force";
            default -> ", but its stack cannot be checked (" + d.kernelWhy() + "); only force";
        };
    }

    static String describe(Machine m, Transition.Blocker b, int signalAttempt) {
        Task t = b.task();
        return switch (b.kind()) {
            case SWITCHED -> "switches at the next attempt";
            case NO_RELIABLE_STACKS -> "no reliable stack traces on this machine: it switches only at its next return to user space, in the idle loop, or by force";
            case UNRELIABLE_STACK -> {
                var hb = dev.klpsim.snapshot.Snapshots.of(m);
                yield hb != null && hb.stackUnknown(t.pid)
                        ? "its stack could not be read on the host (see 'snapshot info'): klpsim cannot check it, so only its return to user space or force switches it"
                        : "has an unreliable stack: only its return to user space or force switches it";
            }
            case STACK_TOO_DEEP -> "has an unreliable stack: " + b.decision().frames() + " entries, more than MAX_STACK_ENTRIES (100), so the kernel cannot save it "
                    + "(at cond_resched() neither): only its return to user space or force switches it";
            case RUNNING -> t.isIdle()
                    ? "is running (the idle task of idle CPU " + t.cpu + "): the attempt kicks the CPU, which switches in its idle loop"
                    : t.isKthread() ? (m.options.profile.legacyTransition()
                            ? "is running: a kthread on 5.10 has no cond_resched switch point; only force"
                            : m.options.profile.schedSwitchFreezable()
                            ? "is running: on 7.3 cond_resched() is no switch point (a task switches itself only as it goes to sleep in a freezable state); only force"
                            : "is running: it tries to switch at its next cond_resched()" + condReschedOutlook(m, t))
                    : "is running: it switches at its next return to user space (the fake signal at attempt " + signalAttempt + " forces one)";
            case SLEEPING_ON -> {
                String code = b.code() == b.func().oldFunc ? b.func().oldName + " (the original)" : b.code().toString();
                String how;
                if (t.state == TaskState.UNINTERRUPTIBLE) how = "in uninterruptible sleep: fake signals do not reach it; it must leave that code, or force";
                else if (t.isKthread()) how = "a kthread: a fake signal only wakes it and it sleeps again; it must leave that code, or force";
                else how = "in interruptible sleep: the fake signal at attempt " + signalAttempt + " wakes it and it switches on its way to user space";
                yield "is sleeping on function " + b.func().oldName + ", in " + code + "; " + how;
            }
        };
    }
}
