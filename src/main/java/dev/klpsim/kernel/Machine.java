package dev.klpsim.kernel;

import dev.klpsim.livepatch.Livepatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * A booted simulated machine: the kernel's state and the operations user space can ask of
 * it. Knows nothing of terminals; the shell and the transcript runner are its clients.
 */
public final class Machine {
    public final MachineOptions options;
    /** What was done to this machine, replayable on a fresh boot: see fork(). */
    public final Journal journal = new Journal();
    public final Timers timers = new Timers();
    public final Printk printk = new Printk(timers);
    /** WARN()s, exceptions from module code, shadow data read after it was freed: what explore checks. */
    public final Faults faults = new Faults(timers);
    public final Trace trace = new Trace(timers);
    public final DynamicDebug dyndbg;
    public final Kallsyms kallsyms = new Kallsyms();
    public final Ftrace ftrace = new Ftrace(timers);
    public final Kprobes kprobes = new Kprobes(ftrace);
    public final Vfs vfs = new Vfs();
    public final Workqueue workqueue = new Workqueue(this);
    public final ModuleLoader modules = new ModuleLoader(this);
    public final Boot boot = new Boot(this);
    public final Livepatch klp;

    final Map<Integer, Task> tasks = new LinkedHashMap<>();
    final List<Task> idleTasks = new ArrayList<>();
    /** The task executing kernel code right now (the shell during a command, a kworker in work). */
    public Task current;
    /** The login shell that runs the user's commands. */
    public Task shell;
    int nextKernelPid;
    private int nextUserPid = 1000;
    /** console_loglevel, which test_klp_state changes and restores. */
    public int consoleLoglevel = 7;
    private final Map<String, ModuleSource> sources = new TreeMap<>();
    /** Objects module code has kfree()d: a shadow variable still attached to one is a leak. */
    private final java.util.Set<Object> freed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private final KernelFs fs;

    /** A task parked inside a function (see Call.sleepWhile). */
    static final class Sleep {
        final Task task;
        final BooleanSupplier cond;
        final long periodNs;
        final boolean interruptible;
        final Runnable then;
        /** Stack depth below the sleep primitives' frames. */
        final int sleepFramesAt;
        /** Stack depth to unwind to once the sleeping call chain returns. */
        int rootDepth;
        Runnable onReturn;
        Timers.Timer timer;

        Sleep(Task task, BooleanSupplier cond, long periodNs, boolean interruptible, Runnable then, int sleepFramesAt, int rootDepth) {
            this.task = task;
            this.cond = cond;
            this.periodNs = periodNs;
            this.interruptible = interruptible;
            this.then = then;
            this.sleepFramesAt = sleepFramesAt;
            this.rootDepth = rootDepth;
        }
    }

    public Machine(MachineOptions options) {
        this.options = options.copy();
        dyndbg = new DynamicDebug(printk, this.options.profile);
        boot.symbols();
        if (this.options.host == null) boot.tasks();
        current = shell;
        klp = new Livepatch(this);
        fs = new KernelFs(this);
        fs.build();
        klp.sysfs.register(vfs);
        vfs.journal = journal;
        if (this.options.host != null) {
            // The host's boot is part of booting, not an action on the machine: a copy booted
            // with the same options boots the same host (a journal must not record what this
            // does, e.g. the stand-in module loads, or a replay would do them twice).
            this.options.host.boot(this);
            if (shell == null) throw new IllegalStateException("host image " + this.options.host.source() + " set no shell task");
            current = shell;
            // what booting the host logged (module taint notices) is not the host's log
            printk.clear();
            // nor what it loaded an action: a copy boots the same image
            journal.forgetBoot();
        }
        // The ring starts empty: the simulated machine has no boot messages, so dmesg shows only
        // what the session caused.
    }

    public Machine() {
        this(new MachineOptions());
    }

    // ---- a host image's boot (HostImage.boot) ------------------------------------------

    /**
     * One task of a host image: {@code pid} is the kernel's task->pid (a thread id), the
     * stack outermost frame first. Pids of tasks started later come after the host's.
     */
    public Task addHostTask(int pid, String comm, boolean kthread, TaskState state, List<Symbol> stack) {
        if (pid <= 0 || tasks.containsKey(pid)) throw new IllegalArgumentException("pid " + pid + " is taken");
        Task t = new Task(pid, comm, kthread ? Task.Kind.KTHREAD : Task.Kind.USER, -1, state);
        t.setStack(stack);
        addTask(t);
        nextKernelPid = Math.max(nextKernelPid, pid + 1);
        nextUserPid = Math.max(nextUserPid, pid + 1001);
        return t;
    }

    /** The idle task (swapper/N) of one CPU of a host image. */
    public Task addIdleTask(int cpu, List<Symbol> stack) {
        Task idle = new Task(0, "swapper/" + cpu, Task.Kind.IDLE, cpu, TaskState.RUNNING);
        idle.setStack(stack);
        idleTasks.add(idle);
        return idle;
    }

    /** A host kworker that is idle in worker_thread: work items may run on it. */
    public void addHostWorker(Task t) {
        workqueue.addBootWorker(t);
    }

    /**
     * A copy of this machine: booted with the same options, knowing the same module sources,
     * with this machine's journal replayed on it. Modules are built again from the sources
     * that built them here (the same code, not a file read anew). Its consoles are its own.
     * Trace categories switched on here are on there too (a setting, not an action).
     */
    public Machine fork() {
        Machine copy = new Machine(options);
        for (ModuleSource src : sources.values()) copy.registerSource(src);
        copy.replay(journal.entries());
        copy.trace.enable(trace.enabled(), true);
        return copy;
    }

    /**
     * Does {@code actions} on this machine in order. An action that fails fails as it did
     * the first time (the error was the original's answer too) and the replay goes on.
     */
    public void replay(List<Journal.Action> actions) {
        for (Journal.Action a : actions) {
            try {
                a.replay(this);
            } catch (KernelError e) {
                // failed here as it failed on the original machine
            }
        }
    }

    // ---- modules known to modprobe/insmod ------------------------------------------------

    public void registerSource(ModuleSource src) {
        sources.put(src.name(), src);
    }

    public void unregisterSource(String name) {
        sources.remove(name);
    }

    public ModuleSource source(String name) {
        return sources.get(name);
    }

    public Map<String, ModuleSource> sources() {
        return java.util.Collections.unmodifiableMap(sources);
    }

    // ---- tasks ---------------------------------------------------------------------------

    void addTask(Task t) {
        tasks.put(t.pid, t);
    }

    /** All tasks except the idle tasks, in task-list order. */
    public List<Task> tasks() {
        return List.copyOf(tasks.values());
    }

    public List<Task> idleTasks() {
        return List.copyOf(idleTasks);
    }

    public Task task(int pid) {
        if (pid == 0) return idleTasks.get(0);
        return tasks.get(pid);
    }

    /** Starts a kernel thread; like fork, the child inherits the transition state of its parent. */
    public Task spawnKthread(String comm, List<Symbol> stack, TaskState state) {
        return journal.record(new Journal.Spawn(comm, true, state, stack), () -> doSpawnKthread(comm, stack, state));
    }

    private Task doSpawnKthread(String comm, List<Symbol> stack, TaskState state) {
        Task t = new Task(nextKernelPid++, comm, Task.Kind.KTHREAD, -1, state);
        t.setStack(stack.isEmpty() ? boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread", "schedule") : stack);
        klp.transition.klpCopyProcess(t, tasks.get(2));
        addTask(t);
        return t;
    }

    /** Starts a user process from the shell (pids 1000, 1001, ...). */
    public Task spawnUser(String comm, TaskState state, List<Symbol> stack) {
        return journal.record(new Journal.Spawn(comm, false, state, stack), () -> doSpawnUser(comm, state, stack));
    }

    private Task doSpawnUser(String comm, TaskState state, List<Symbol> stack) {
        Task t = new Task(nextUserPid++, comm, Task.Kind.USER, -1, state);
        t.setStack(stack);
        klp.transition.klpCopyProcess(t, shell);
        addTask(t);
        return t;
    }

    /** do_exit(): the task leaves the task list and stops blocking transitions. */
    public void exitTask(Task t) {
        journal.record(new Journal.Exit(t.pid), () -> doExitTask(t));
    }

    private void doExitTask(Task t) {
        if (t.sleep != null) {
            if (t.sleep.timer != null) t.sleep.timer.cancel();
            t.sleep = null;
        }
        t.state = TaskState.DEAD;
        tasks.remove(t.pid);
        trace.emit(t, new TraceEvent.TaskExited(t.pid, t.comm));
    }

    /** Tasks on a CPU right now. */
    public int runningCount() {
        int n = 0;
        for (Task t : tasks.values()) if (t.state == TaskState.RUNNING) n++;
        return n;
    }

    /** A CPU is idle when fewer tasks run than there are CPUs; the highest-numbered ones idle first. */
    public boolean cpuIdle(int cpu) {
        int idle = Math.max(0, options.cpus - runningCount());
        return cpu >= options.cpus - idle;
    }

    /** task_curr(): whether the task is executing on some CPU at this moment. */
    public boolean taskCurr(Task t) {
        if (t.isIdle()) return cpuIdle(t.cpu);
        return t.state == TaskState.RUNNING;
    }

    /**
     * A task that sleeps inside {@code functions} (outermost first), entered through the
     * ftrace handler as the task's patch state dictates: what `task spawn` builds.
     * A user task that a signal interrupts re-enters them with its new state.
     */
    /**
     * A CPU-bound kernel thread looping inside {@code functions}: it is on a CPU, so an
     * attempt cannot check it, and it calls cond_resched() each time the clock moves.
     */
    public Task spawnBusyKthread(String comm, List<Symbol> functions) {
        return journal.record(new Journal.SpawnBusy(comm, functions), () -> doSpawnBusyKthread(comm, functions));
    }

    private Task doSpawnBusyKthread(String comm, List<Symbol> functions) {
        Task t = spawnKthread(comm, boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread"), TaskState.RUNNING);
        t.spawned = true;
        List<Symbol> frames = new ArrayList<>(t.stack);
        for (Symbol f : functions) frames.add(klp.patch.klpFtraceHandler(f, t));
        frames.addAll(boot.frames("cond_resched"));
        t.setStack(frames);
        t.program = (mm, task) -> mm.klp.transition.klpCondResched(task);
        return t;
    }

    public Task spawnSleeper(String comm, boolean kthread, List<Symbol> functions, boolean interruptible, long sleepNs) {
        return journal.record(new Journal.SpawnSleeper(comm, kthread, functions, interruptible, sleepNs),
                () -> doSpawnSleeper(comm, kthread, functions, interruptible, sleepNs));
    }

    private Task doSpawnSleeper(String comm, boolean kthread, List<Symbol> functions, boolean interruptible, long sleepNs) {
        List<Symbol> base = kthread ? boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread")
                : boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64");
        TaskState st = interruptible ? TaskState.INTERRUPTIBLE : TaskState.UNINTERRUPTIBLE;
        Task t = kthread ? spawnKthread(comm, base, st) : spawnUser(comm, st, base);
        t.spawned = true;
        Runnable enter = () -> {
            List<Symbol> frames = new ArrayList<>(base);
            for (Symbol f : functions) frames.add(klp.patch.klpFtraceHandler(f, t));
            frames.addAll(boot.frames("schedule"));
            t.setStack(frames);
        };
        enter.run();
        if (!kthread) t.restart = enter;
        if (sleepNs > 0) timers.after(sleepNs, () -> {
            if (tasks.get(t.pid) == t) wakeSleeper(t);
        });
        return t;
    }

    /** The sleeper's wait ends: it returns from its functions (to user space, for a user task) and exits. */
    public void wakeSleeper(Task t) {
        journal.record(new Journal.Wake(t.pid), () -> {
            if (!t.isKthread()) klp.transition.klpUpdatePatchState(t);
            exitTask(t);
        });
    }

    /**
     * test_klp-call_getpid: loops on getpid(). It is always running and passes its return
     * to user space all the time; it makes one more call each time the clock moves.
     */
    public Task spawnGetpidLoop(String comm) {
        return journal.record(new Journal.SpawnGetpidLoop(comm), () -> {
            Task t = spawnUser(comm, TaskState.RUNNING, boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "syscall_exit_to_user_mode"));
            t.userLoop = true;
            t.program = (mm, task) -> mm.syscall(task, "__x64_sys_getpid");
            return t;
        });
    }

    // ---- calling simulated functions -----------------------------------------------------

    /** Calls a function by name (vmlinux first, then modules) as {@code task}. */
    public Object call(Task task, String name, StringBuilder out, Object... args) {
        Symbol s = kallsyms.lookupAny(name);
        if (s == null) throw new KernelError(Errno.ENOENT, "no such function: " + name);
        return call(task, s, out, args);
    }

    /**
     * Calls {@code fn} as {@code task}: the function tracer sees the entry, the livepatch
     * ftrace handler picks the implementation, and the implementation's frame sits on the
     * task's stack while it runs.
     */
    public Object call(Task task, Symbol fn, StringBuilder out, Object... args) {
        return journal.recordCall(task.pid, fn, args, () -> doCall(task, fn, out, args));
    }

    private Object doCall(Task task, Symbol fn, StringBuilder out, Object... args) {
        Symbol impl = klp.patch.klpFtraceHandler(fn, task);
        if (ftrace.recording()) {
            Symbol parent = task.stack.isEmpty() ? null : task.stack.get(task.stack.size() - 1);
            int cpu = cpuOf(task);
            if (fn.traceable) ftrace.traceCall(task, fn, parent, cpu);
            if (impl != fn && impl.traceable) ftrace.traceCall(task, impl, parent, cpu);
        }
        int depth = task.stack.size();
        task.stack.add(impl);
        try {
            return impl.body == null ? 0 : impl.body.call(new Call(this, task, impl, args, out));
        } finally {
            if (task.sleep != null) task.sleep.rootDepth = Math.min(task.sleep.rootDepth, depth);
            else while (task.stack.size() > depth) task.stack.remove(task.stack.size() - 1);
        }
    }

    Object callFrom(Call caller, String name, Object[] args) {
        return call(caller.task, name, caller.out, args);
    }

    private int cpuOf(Task t) {
        return t.isIdle() ? t.cpu : 0;
    }

    /** A system call from a user task: entry, the call, and the return to user space. */
    public Object syscall(Task task, String name, Object... args) {
        Journal.Action a = journal.inAction() ? null : Journal.replayable(args) ? new Journal.Syscall(task.pid, name, java.util.Arrays.asList(args.clone()))
                : new Journal.Unreplayable("a system call " + name + " with object arguments");
        return journal.record(a, () -> doSyscall(task, name, args));
    }

    private Object doSyscall(Task task, String name, Object... args) {
        Task prev = current;
        current = task;
        List<Symbol> saved = List.copyOf(task.stack);
        try {
            task.setStack(boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64"));
            return call(task, name, null, args);
        } finally {
            task.setStack(saved);
            klp.transition.klpUpdatePatchState(task);
            current = prev;
        }
    }

    // ---- sleeping inside functions -------------------------------------------------------

    void suspend(Call c, BooleanSupplier cond, long periodNs, boolean interruptible, String sleepFn, Runnable then) {
        Task t = c.task;
        if (!cond.getAsBoolean()) {
            then.run();
            return;
        }
        int at = t.stack.size();
        switch (sleepFn) {
            case "msleep" -> t.stack.addAll(boot.frames("msleep", "schedule_timeout", "schedule"));
            case "msleep_interruptible" -> t.stack.addAll(boot.frames("msleep_interruptible", "schedule_timeout", "schedule"));
            default -> t.stack.addAll(boot.frames("schedule"));
        }
        Sleep s = new Sleep(t, cond, periodNs, interruptible, then, at, at - 1);
        t.sleep = s;
        t.state = interruptible ? TaskState.INTERRUPTIBLE : TaskState.UNINTERRUPTIBLE;
        armSleep(s);
    }

    private void armSleep(Sleep s) {
        s.timer = timers.after(s.periodNs, () -> {
            if (s.task.sleep == s) recheckSleep(s.task);
        });
    }

    /** Re-evaluates a sleeper's condition now: wakes it when the condition no longer holds. */
    public void recheckSleep(Task t) {
        Sleep s = t.sleep;
        if (s == null) return;
        if (s.cond.getAsBoolean()) {
            if (s.timer == null || !s.timer.pending()) armSleep(s);
            return;
        }
        if (s.timer != null) s.timer.cancel();
        t.sleep = null;
        while (t.stack.size() > s.sleepFramesAt) t.stack.remove(t.stack.size() - 1);
        t.state = TaskState.RUNNING;
        Task prev = current;
        current = t;
        try {
            s.then.run();
        } finally {
            current = prev;
        }
        if (t.sleep != null) {
            t.sleep.rootDepth = Math.min(t.sleep.rootDepth, s.rootDepth);
            t.sleep.onReturn = s.onReturn;
            return;
        }
        while (t.stack.size() > s.rootDepth) t.stack.remove(t.stack.size() - 1);
        t.state = TaskState.INTERRUPTIBLE;
        if (s.onReturn != null) s.onReturn.run();
    }

    /**
     * A signal to a task in interruptible sleep: its system call is interrupted, it passes
     * the return to user space ({@code atUserReturn}), and restarts the call, which enters
     * the kernel again through the ftrace handler with its new patch state.
     */
    public void signalInterrupt(Task t, Runnable atUserReturn) {
        atUserReturn.run();
        if (t.restart != null) t.restart.run();
    }

    /** wake_up_state(TASK_INTERRUPTIBLE): a sleeping task re-checks why it sleeps. */
    public void wakeUpInterruptible(Task t) {
        if (t.sleep != null && t.sleep.interruptible) recheckSleep(t);
    }

    // ---- time ----------------------------------------------------------------------------

    /**
     * Lets {@code ns} of virtual time pass: user programs run, then every timer due on the
     * way fires in order. {@code interrupted} (Ctrl-C) stops early.
     */
    public void sleep(long ns, BooleanSupplier interrupted) {
        Journal.CountingInterrupt counted = new Journal.CountingInterrupt(interrupted);
        // known once the sleep is over: whether, and at which check, Ctrl-C cut it short
        journal.recordLazily(() -> new Journal.Sleep(ns, counted.fired ? counted.checks : -1), () -> {
            doSleep(ns, counted);
            return null;
        });
    }

    private void doSleep(long ns, BooleanSupplier interrupted) {
        long target = timers.now() + ns;
        List<Symbol> saved = List.copyOf(shell.stack);
        TaskState savedState = shell.state;
        shell.state = TaskState.INTERRUPTIBLE;
        shell.setStack(boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_clock_nanosleep", "hrtimer_nanosleep", "do_nanosleep", "schedule"));
        try {
            if (ns > 0) {
                for (Task t : tasks()) if (t.program != null && t.state == TaskState.RUNNING) t.program.tick(this, t);
            }
            timers.advanceTo(target, interrupted);
        } finally {
            shell.setStack(saved);
            shell.state = savedState;
            current = shell;
        }
    }

    /**
     * Lets virtual time pass until {@code done} holds, at most {@code maxNs}; returns the
     * time that passed. Used by flush-style waits and `klp wait`.
     */
    public long waitFor(BooleanSupplier done, long maxNs, BooleanSupplier interrupted) {
        long start = timers.now();
        long deadline = start + maxNs;
        while (!done.getAsBoolean() && timers.now() < deadline && (interrupted == null || !interrupted.getAsBoolean())) {
            long next = timers.nextDue();
            if (next < 0 || next > deadline) next = deadline;
            if (next <= timers.now()) next = timers.now() + 1;
            sleep(next - timers.now(), interrupted);
        }
        return timers.now() - start;
    }

    /** dmesg -C: empties the ring buffer. */
    public void clearLog() {
        journal.record(new Journal.ClearLog(), printk::clear);
    }

    /** kfree(): remembers that the object is gone. */
    public void kfree(Object obj) {
        if (obj != null) freed.add(obj);
    }

    public boolean isFreed(Object obj) {
        return freed.contains(obj);
    }

    /** uname -r: the host's release for a host image, else the profile's. */
    public String release() {
        String r = options.host == null ? null : options.host.release();
        return r != null ? r : options.profile.release;
    }

    /** /proc/cmdline without its newline. */
    public String cmdline() {
        String c = options.host == null ? null : options.host.cmdline();
        return c != null ? c : Boot.CMDLINE;
    }

    public long now() {
        return timers.now();
    }

    public KernelFs fs() {
        return fs;
    }

    /** Reads /proc/cmdline the way libkmod does when a kmod tool starts. */
    /** Set while kmod (modprobe, insmod, rmmod) reads /proc/cmdline: module code it runs says so in the shadow ledger. */
    public boolean kmodReadingCmdline;

    public void kmodReadCmdline() {
        kmodReadingCmdline = true;
        try {
            // cmdline_proc_show may be patched: the read runs module code, so it is an action
            journal.record(new Journal.Read("/proc/cmdline"), () -> fs.readProcCmdline(shell));
        } catch (KernelError ignored) {
            // libkmod carries on without the kernel command line's module options
        } finally {
            kmodReadingCmdline = false;
        }
    }
}
