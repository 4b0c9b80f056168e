package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The system workqueue: work items run on kworker threads. A work item that sleeps keeps
 * its kworker (and its stack) until it finishes; new work then goes to another kworker.
 */
public final class Workqueue {
    /** A work_struct / delayed_work. */
    public static final class Work {
        final Symbol fn;
        final Object arg;
        Timers.Timer timer;
        Task worker;
        boolean running;

        Work(Symbol fn, Object arg) {
            this.fn = fn;
            this.arg = arg;
        }

        public boolean pending() {
            return timer != null && timer.pending();
        }

        public boolean running() {
            return running;
        }

        public Task worker() {
            return worker;
        }
    }

    private final Machine m;
    private final List<Task> kworkers = new ArrayList<>();

    Workqueue(Machine m) {
        this.m = m;
    }

    void addBootWorker(Task t) {
        kworkers.add(t);
    }

    public Work create(Symbol fn, Object arg) {
        return new Work(fn, arg);
    }

    /** schedule_work(): runs the item now, on a free kworker. */
    public void schedule(Work w) {
        if (w.running) return;
        run(w);
    }

    /**
     * schedule_delayed_work(): a no-op while the item is already pending. With no delay
     * __queue_delayed_work() queues the work at once, as schedule_work() does, so it runs
     * now rather than when the clock next moves.
     */
    public boolean scheduleDelayed(Work w, long delayNs) {
        if (w.pending()) return false;
        if (delayNs <= 0) {
            if (w.running) return false;
            run(w);
            return true;
        }
        w.timer = m.timers.after(delayNs, () -> run(w));
        return true;
    }

    /** As scheduleDelayed, but due at an absolute time. */
    public boolean scheduleAt(Work w, long dueNs) {
        if (w.pending()) return false;
        w.timer = m.timers.at(dueNs, () -> run(w));
        return true;
    }

    public void cancelDelayed(Work w) {
        if (w.timer != null) w.timer.cancel();
    }

    /**
     * flush_work(): waits for a running item. A worker parked in a sleep is re-checked at
     * once, so an item whose wake-up condition already holds finishes inside the flush.
     */
    public void flush(Work w) {
        if (w.pending()) {
            w.timer.cancel();
            run(w);
        }
        if (w.running && w.worker != null && w.worker.sleep != null) m.recheckSleep(w.worker);
    }

    private Task freeWorker() {
        for (Task t : kworkers) if (!t.busy && t.state != TaskState.DEAD) return t;
        Task t = m.spawnKthread("kworker/0:" + kworkers.size(), List.of(), TaskState.INTERRUPTIBLE);
        kworkers.add(t);
        return t;
    }

    private void run(Work w) {
        Task worker = freeWorker();
        worker.busy = true;
        w.worker = worker;
        w.running = true;
        worker.state = TaskState.RUNNING;
        worker.setStack(m.boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread", "worker_thread", "process_one_work"));
        Task prev = m.current;
        m.current = worker;
        try {
            m.call(worker, w.fn, null, w.arg);
        } finally {
            m.current = prev;
        }
        if (worker.sleep != null) worker.sleep.onReturn = () -> finish(w, worker);
        else finish(w, worker);
    }

    private void finish(Work w, Task worker) {
        w.running = false;
        worker.busy = false;
        worker.state = TaskState.INTERRUPTIBLE;
        worker.setStack(m.boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread", "worker_thread", "schedule"));
    }
}
