package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/** A simulated task: a user process, a kernel thread or a per-CPU idle task. */
public final class Task {
    public enum Kind { USER, KTHREAD, IDLE }

    /** What a task does when the clock moves (a user program in its loop). */
    public interface Program {
        void tick(Machine m, Task t);
    }

    public final int pid;
    public final String comm;
    public final Kind kind;
    /** For idle tasks: the CPU they belong to. */
    public final int cpu;
    public TaskState state;
    /** Kernel stack, outermost frame first. */
    final List<Symbol> stack = new ArrayList<>();
    /** -1 (KLP_TRANSITION_IDLE), 0 (UNPATCHED) or 1 (PATCHED). */
    public int patchState = -1;
    /** TIF_PATCH_PENDING */
    public boolean patchPending;
    /** A task whose stack cannot be unwound reliably (e.g. deeper than MAX_STACK_ENTRIES). */
    public boolean unreliableStack;
    /** A user process spinning on short system calls: it passes the return to user space all the time. */
    public boolean userLoop;
    /** The user program behind a process started from the shell. */
    public Program program;
    /** Set while the task sleeps inside a function (see Call.sleepWhile). */
    Machine.Sleep sleep;
    /** How a user task re-enters the system call a signal interrupted (null: its stack stays as it was). */
    public Runnable restart;
    /** Built by `task spawn`: a sleeper the user may wake or kill. */
    public boolean spawned;
    /** Set while a kworker is busy with a work item. */
    boolean busy;

    Task(int pid, String comm, Kind kind, int cpu, TaskState state) {
        this.pid = pid;
        this.comm = comm;
        this.kind = kind;
        this.cpu = cpu;
        this.state = state;
    }

    public boolean isKthread() {
        return kind != Kind.USER;
    }

    public boolean isIdle() {
        return kind == Kind.IDLE;
    }

    private final List<Symbol> stackView = java.util.Collections.unmodifiableList(stack);

    public List<Symbol> stack() {
        return List.copyOf(stack);
    }

    public int depth() {
        return stack.size();
    }

    public Symbol frame(int i) {
        return stack.get(i);
    }

    /** The live stack, read-only and without a copy: for the stack check's hot loop. */
    public List<Symbol> frames() {
        return stackView;
    }

    public void setStack(List<Symbol> frames) {
        stack.clear();
        stack.addAll(frames);
    }

    public boolean sleepingInFunction() {
        return sleep != null;
    }

    @Override
    public String toString() {
        return comm + ":" + pid;
    }
}
