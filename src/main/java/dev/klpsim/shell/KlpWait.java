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
        blocking(inv);
        return 1;
    }

    static int blocking(Invocation inv) {
        if (inv.m.klp.transition.transitionPatch() == null) {
            inv.println("klp: no transition in progress");
            return 0;
        }
        for (String l : blockingReport(inv.m)) inv.println(l);
        return 0;
    }

    /**
     * The transition in flight, and each task that keeps it from completing with why and
     * what would end it. {@link Transition#blockers()} decides; this only words it, for
     * klp blocking, klp wait and klp preview alike.
     */
    static List<String> blockingReport(Machine m) {
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
        for (Transition.Blocker b : bs) out.add("  " + b.task().comm + ":" + b.task().pid + "  " + describe(m, b, k + 1));
        if (dev.klpsim.snapshot.Snapshots.of(m) != null)
            out.add("  (a host snapshot: each stack is the one captured at one instant, and a running task has moved on since; 'snapshot info' lists what klpsim assumed)");
        return out;
    }

    /** The attempt at which klp_send_signals() next sends fake signals (every 15th failed attempt). */
    static int signalAttempt(Transition tr) {
        int cnt = tr.signalsCnt();
        return (cnt == 0 ? 15 : ((cnt + 14) / 15) * 15) + 1;
    }

    private static String condReschedOutlook(Machine m, Task t) {
        var f = m.klp.transition.klpCheckStack(t);
        return f == null ? ", and nothing on its stack stops it" : ", but " + f.oldName + " on its stack stops it";
    }

    static String describe(Machine m, Transition.Blocker b, int signalAttempt) {
        Task t = b.task();
        return switch (b.kind()) {
            case NO_RELIABLE_STACKS -> "no reliable stack traces on this machine: it switches only at its next return to user space, in the idle loop, or by force";
            case UNRELIABLE_STACK -> {
                var hb = dev.klpsim.snapshot.Snapshots.of(m);
                yield hb != null && hb.stackUnknown(t.pid)
                        ? "its stack could not be read on the host (see 'snapshot info'): klpsim cannot check it, so only its return to user space or force switches it"
                        : "has an unreliable stack: only its return to user space or force switches it";
            }
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
