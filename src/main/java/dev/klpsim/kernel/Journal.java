package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The actions that changed a machine from outside its kernel, in order: module loads with
 * their parameters, rmmod, file writes and reads that run kernel code, time passing, tasks
 * spawned, woken, killed, functions called. Replayed on a machine freshly booted with the
 * same options, they rebuild the same state, so a copy of a machine (Machine.fork()) is
 * exact and costs no more than the actions themselves.
 *
 * Only the outermost action is recorded: what it causes inside the kernel (a module's init
 * spawning a kthread, a timer waking a task) happens again when the action is replayed.
 * Whatever changes a machine without an action (Java code assigning a field) is not seen:
 * the copy then differs, and {@link #unreplayable()} names what could not be recorded.
 */
public final class Journal {
    /** One action; {@code replay} does it again on a copy whose journal so far equals this one's. */
    public interface Action {
        void replay(Machine m);
    }

    /** insmod/modprobe: {@code source} builds the very module that was loaded (no re-reading of a file). */
    public record Load(ModuleSource source, List<String> args) implements Action {
        public void replay(Machine m) {
            m.modules.load(source.instantiate(), args);
        }
    }

    /** delete_module(); {@code force}: with O_TRUNC (rmmod -f). */
    public record Unload(String name, boolean force) implements Action {
        public void replay(Machine m) {
            m.modules.unload(name, force);
        }
    }

    /** A write(2) to a virtual file: sysfs stores, /dev/kmsg, tracefs, sysctl. */
    public record Write(String path, String data, boolean append) implements Action {
        public void replay(Machine m) {
            ((Vfs.File) m.vfs.resolve(path)).write(data, append);
        }
    }

    /** A read(2) of a file whose show function runs kernel (and patched) code. */
    public record Read(String path) implements Action {
        public void replay(Machine m) {
            ((Vfs.File) m.vfs.resolve(path)).read();
        }
    }

    /**
     * Time passing. {@code interruptedAfter}: the sleep was cut short (Ctrl-C) at that check
     * of its interrupt flag, -1 when it ran to its end.
     */
    public record Sleep(long ns, int interruptedAfter) implements Action {
        public void replay(Machine m) {
            if (interruptedAfter < 0) {
                m.sleep(ns, null);
                return;
            }
            int[] checks = {0};
            m.sleep(ns, () -> ++checks[0] >= interruptedAfter);
        }
    }

    /**
     * task spawn: a task asleep inside {@code functions}. Functions are the original
     * machine's symbols; a replay looks up the same names in the copy.
     */
    public record SpawnSleeper(String comm, boolean kthread, List<Symbol> functions, boolean interruptible, long sleepNs) implements Action {
        public void replay(Machine m) {
            m.spawnSleeper(comm, kthread, symbols(m, functions), interruptible, sleepNs);
        }
    }

    /** task spawn --kthread --running */
    public record SpawnBusy(String comm, List<Symbol> functions) implements Action {
        public void replay(Machine m) {
            m.spawnBusyKthread(comm, symbols(m, functions));
        }
    }

    /** A kernel thread or user task made by hand (Java code), with its stack. */
    public record Spawn(String comm, boolean kthread, TaskState state, List<Symbol> stack) implements Action {
        public void replay(Machine m) {
            if (kthread) m.spawnKthread(comm, symbols(m, stack), state);
            else m.spawnUser(comm, state, symbols(m, stack));
        }
    }

    /** ./test_klp-call_getpid &: a user program looping on getpid(). */
    public record SpawnGetpidLoop(String comm) implements Action {
        public void replay(Machine m) {
            m.spawnGetpidLoop(comm);
        }
    }

    /** task kill, kill: the task exits. */
    public record Exit(int pid) implements Action {
        public void replay(Machine m) {
            Task t = m.task(pid);
            if (t != null) m.exitTask(t);
        }
    }

    /** task wake: the sleeper's wait ends. */
    public record Wake(int pid) implements Action {
        public void replay(Machine m) {
            Task t = m.task(pid);
            if (t != null) m.wakeSleeper(t);
        }
    }

    /**
     * A function called by hand (Java code), through ftrace and livepatch, {@code times()}
     * times in a row by the same task with the same arguments: a loop of a million calls is
     * one entry, not a million.
     */
    public static final class Call implements Action {
        private final int pid;
        private final Symbol function;
        private final List<Object> args;
        private int times = 1;

        Call(int pid, Symbol function, List<Object> args) {
            this.pid = pid;
            this.function = function;
            this.args = args;
        }

        public int pid() { return pid; }
        public Symbol function() { return function; }
        public List<Object> args() { return args; }
        public int times() { return times; }

        boolean repeats(int pid, Symbol function, Object[] args) {
            if (this.pid != pid || this.function != function || this.args.size() != args.length) return false;
            for (int i = 0; i < args.length; i++) if (!java.util.Objects.equals(this.args.get(i), args[i])) return false;
            return true;
        }

        public void replay(Machine m) {
            Task t = m.task(pid);
            if (t == null) return;
            Symbol s = symbol(m, function);
            for (int i = 0; i < times; i++) m.call(t, s, null, args.toArray());
        }

        @Override
        public String toString() {
            return "Call[pid=" + pid + ", function=" + function.name + ", args=" + args + (times > 1 ? ", times=" + times : "") + "]";
        }
    }

    /** A system call by hand (Java code). */
    public record Syscall(int pid, String function, List<Object> args) implements Action {
        public void replay(Machine m) {
            Task t = m.task(pid);
            if (t != null) m.syscall(t, function, args.toArray());
        }
    }

    /** dmesg -C */
    public record ClearLog() implements Action {
        public void replay(Machine m) {
            m.clearLog();
        }
    }

    /** cd */
    public record Chdir(String path) implements Action {
        public void replay(Machine m) {
            m.vfs.setCwd(path);
        }
    }

    /** Something was done that cannot be replayed (a load of a module that has no source, a call with object arguments). */
    public record Unreplayable(String what) implements Action {
        public void replay(Machine m) { }
    }

    private final List<Action> entries = new ArrayList<>();
    private int depth;
    /** The last unreplayable call recorded, so that a run of them is one entry too. */
    private Unreplayable lastObjectCall;
    private Symbol lastObjectCallOf;

    /** Runs {@code body} as {@code action}: recorded once it returns or throws, unless it runs inside another action. */
    public <T> T record(Action action, Supplier<T> body) {
        return recordLazily(() -> action, body);
    }

    /** record(), with the action known only once {@code body} is done (how long a sleep really was). */
    public <T> T recordLazily(Supplier<Action> action, Supplier<T> body) {
        depth++;
        try {
            return body.get();
        } finally {
            if (--depth == 0) {
                Action a = action.get();
                if (a != null) entries.add(a);
            }
        }
    }

    /**
     * Machine.call(): runs {@code body} and records the call, unless inside another action;
     * a call that repeats the last entry's counts there.
     */
    public <T> T recordCall(int pid, Symbol function, Object[] args, Supplier<T> body) {
        return recordLazily(() -> callAction(pid, function, args), body);
    }

    /** The entry a finished call adds, or null when it counted on the last entry instead. */
    private Action callAction(int pid, Symbol function, Object[] args) {
        Action last = entries.isEmpty() ? null : entries.get(entries.size() - 1);
        if (!replayable(args)) {
            if (last instanceof Unreplayable u && u == lastObjectCall && lastObjectCallOf == function) return null;
            lastObjectCall = new Unreplayable("a call of " + function.name + " with object arguments");
            lastObjectCallOf = function;
            return lastObjectCall;
        }
        if (last instanceof Call c && c.repeats(pid, function, args) && c.times < Integer.MAX_VALUE) {
            c.times++;
            return null;
        }
        return new Call(pid, function, java.util.Arrays.asList(args.clone()));   // nulls allowed
    }

    public void record(Action action, Runnable body) {
        record(action, () -> {
            body.run();
            return null;
        });
    }

    /** Runs an observer's look (reading sysfs files to check them): nothing it does is recorded. */
    public <T> T unrecorded(Supplier<T> look) {
        depth++;
        try {
            return look.get();
        } finally {
            depth--;
        }
    }

    /** Whether an action is running now (what happens is its consequence, not a new action). */
    public boolean inAction() {
        return depth > 0;
    }

    /** What the boot of a host image did is the boot, not an action: a copy boots the same image. */
    void forgetBoot() {
        entries.clear();
    }

    public List<Action> entries() {
        return List.copyOf(entries);
    }

    public int size() {
        return entries.size();
    }

    /** What was done that a copy cannot repeat; empty when a fork is exact. */
    public List<String> unreplayable() {
        List<String> out = new ArrayList<>();
        for (Action a : entries) if (a instanceof Unreplayable u) out.add(u.what());
        return out;
    }

    /** The copy's symbol of the same name in the same object (the original's symbol is another machine's). */
    static Symbol symbol(Machine m, Symbol original) {
        // ids are handed out in load order, so a replayed machine gives the same symbol the same id
        Symbol s = original.id < m.kallsyms.size() ? m.kallsyms.byId(original.id) : null;
        if (s == null || !s.name.equals(original.name) || !java.util.Objects.equals(s.owner, original.owner))
            s = m.kallsyms.lookup(original.owner, original.name);
        if (s == null) throw new KernelError(Errno.ENOENT, "no such function: " + original.name);
        return s;
    }

    static List<Symbol> symbols(Machine m, List<Symbol> originals) {
        List<Symbol> out = new ArrayList<>();
        for (Symbol s : originals) out.add(symbol(m, s));
        return out;
    }

    /** Arguments a replay can pass again: numbers, strings, booleans, null. */
    static boolean replayable(Object[] args) {
        for (Object a : args)
            if (a != null && !(a instanceof Number || a instanceof String || a instanceof Boolean || a instanceof Character)) return false;
        return true;
    }

    /** An interrupt flag that counts its checks, so that a replay stops a sleep at the same point. */
    static final class CountingInterrupt implements BooleanSupplier {
        private final BooleanSupplier inner;
        int checks;
        boolean fired;

        CountingInterrupt(BooleanSupplier inner) {
            this.inner = inner;
        }

        @Override
        public boolean getAsBoolean() {
            if (fired) return true;
            checks++;
            fired = inner != null && inner.getAsBoolean();
            return fired;
        }
    }
}
