package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * struct completion (kernel/sched/completion.c): complete() marks it done and wakes whoever
 * waits in wait_for_completion(). klpsim's only waiter is a module init (a load stays in
 * MODULE_STATE_COMING until then), so a waiter is the rest of the code after the wait.
 */
public final class Completion {
    private boolean done;
    private final List<Runnable> waiters = new ArrayList<>();

    public boolean done() {
        return done;
    }

    /** complete(): the waiters run in the order they started waiting. */
    public void complete() {
        done = true;
        List<Runnable> w = new ArrayList<>(waiters);
        waiters.clear();
        for (Runnable r : w) r.run();
    }

    void onComplete(Runnable r) {
        waiters.add(r);
    }
}
