package dev.klpsim.kernel;

import java.util.function.BooleanSupplier;

/**
 * One activation of a simulated kernel function: the task that runs it, its arguments
 * and, for seq_file show functions, the output buffer.
 */
public final class Call {
    public final Machine machine;
    public final Task task;
    public final Symbol symbol;
    private final Object[] args;
    public final StringBuilder out;

    Call(Machine machine, Task task, Symbol symbol, Object[] args, StringBuilder out) {
        this.machine = machine;
        this.task = task;
        this.symbol = symbol;
        this.args = args;
        this.out = out;
    }

    public Object arg(int i) {
        return i < args.length ? args[i] : null;
    }

    public int argCount() {
        return args.length;
    }

    /** Calls another function from this one, through ftrace and the livepatch handler. */
    public Object call(String name, Object... a) {
        return machine.callFrom(this, name, a);
    }

    /** seq_printf() into this show function's output. */
    public void seqPrintf(String s) {
        if (out != null) out.append(s);
    }

    /**
     * Puts the task to sleep inside this function (msleep/schedule_timeout style) while
     * {@code cond} holds, re-checking every {@code periodNs}; then runs {@code then} and
     * returns. Must be the last thing the function does.
     */
    public void sleepWhile(BooleanSupplier cond, long periodNs, boolean interruptible, String sleepFn, Runnable then) {
        machine.suspend(this, cond, periodNs, interruptible, sleepFn, then);
    }
}
