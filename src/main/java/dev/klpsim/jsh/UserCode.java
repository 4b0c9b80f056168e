package dev.klpsim.jsh;

/**
 * The one interrupt flag of a klpsim process: Ctrl-C sets it (and interrupts the shell's
 * thread, so that user code blocked in a JDK sleep, wait or interruptible I/O returns), the
 * shell clears it when a command starts. User code (.jsh modules, {@code java} snippets) is loaded with a call to
 * {@link #check} at the start of every method and before every backward branch (see
 * {@link Instrument}), so a runaway loop in it ends with {@link Interrupted} within a loop
 * iteration; commands that wait on virtual time and the shell's loops poll
 * {@link #interruptRequested}. Java 17's Thread.stop would do without rewriting classes,
 * but Java 20+ refuses it, and klpsim runs on both.
 */
public final class UserCode {
    private UserCode() {}

    /** Ctrl-C during this command: the shell stops the rest of the line, waits end early. */
    private static volatile boolean requested;
    /**
     * Armed by Ctrl-C for user code: set until the boundary that reports the stop (a callback
     * guard, the java command, a module load) consumes it, so that the kernel-side code after
     * a stopped callback runs on, and a catch (Throwable) in user code cannot keep looping.
     */
    private static volatile boolean userStop;

    /**
     * Thrown into user code stopped by Ctrl-C. An Error, so that {@code catch (Exception e)}
     * in user code does not swallow it; the flag stays set until the command ends, so even
     * a {@code catch (Throwable t)} inside a loop is left at its next iteration.
     */
    public static final class Interrupted extends Error {
        public Interrupted() {
            super("interrupted (Ctrl-C)", null, false, true);
        }
    }

    /** Thrown in place of System.exit / Runtime.exit / Runtime.halt called by user code. */
    public static final class ExitCalled extends Error {
        public final int status;

        public ExitCalled(int status) {
            super("System.exit(" + status + ") called; klpsim keeps running", null, false, true);
            this.status = status;
        }
    }

    public static void requestInterrupt() {
        requested = true;
        userStop = true;
    }

    /** A command starts: no Ctrl-C yet. */
    public static void clearInterrupt() {
        requested = false;
        userStop = false;
    }

    /** The stop of user code has been reported: further user code of this command runs normally. */
    public static void consumeUserStop() {
        userStop = false;
    }

    /**
     * Ctrl-C was pressed and no boundary has reported the stop yet: an exception user code
     * ends with now (an InterruptedException from a sleep the interrupt cut short, say) is
     * the stop, and is reported as such.
     */
    public static boolean stopPending() {
        return userStop;
    }

    public static boolean interruptRequested() {
        return requested;
    }

    /** Called by instrumented user code: throws when Ctrl-C was pressed. */
    public static void check() {
        if (userStop) throw new Interrupted();
    }

    /** Called by instrumented user code instead of System.exit(int). */
    public static void exit(int status) {
        throw new ExitCalled(status);
    }

    /** Called by instrumented user code instead of Runtime.exit(int) / Runtime.halt(int). */
    public static void exit(Runtime ignored, int status) {
        throw new ExitCalled(status);
    }
}
