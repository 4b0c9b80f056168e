package dev.klpsim.jsh;

/**
 * The one interrupt flag of a klpsim process: Ctrl-C sets it (and the interactive shell
 * interrupts its thread while that waits in a sleep or wait user code called, so the call
 * returns: {@link #interruptIfWaitingInUserCall}), the shell clears it when a command starts. User code (.jsh modules, {@code java} snippets) is loaded with a call to
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

    /**
     * The stop of user code has been reported: further user code of this command runs
     * normally, and an interrupt the stop sent this thread is cleared, so the kernel-side
     * code after it runs without one.
     */
    public static void consumeUserStop() {
        synchronized (LOCK) {
            userStop = false;
            Thread.interrupted();
        }
    }

    private static final Object LOCK = new Object();
    /** The names of the class loaders of user code (see CompiledJsh and HostLoaderDelegate). */
    static final String SNIPPET_LOADER = "jshell-snippets", MODULE_LOADER_PREFIX = "jsh#";

    /**
     * While a Ctrl-C stop is pending: interrupts {@code t} if it waits (sleep, wait, join, a
     * lock's or queue's wait) in a JDK call that user code made, so that the call returns.
     * Never when it waits in klpsim's own code, or computes: an interrupt there would make
     * klpsim's own I/O fail. Returns whether it did.
     */
    public static boolean interruptIfWaitingInUserCall(Thread t) {
        synchronized (LOCK) {
            if (!userStop) return false;
            Thread.State s = t.getState();
            if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) return false;
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getModuleName() != null) continue; // the JDK's own code (klpsim and its libraries are on the class path)
                if (!isUserFrame(f)) return false;
                t.interrupt();
                return true;
            }
            return false;
        }
    }

    /** A frame of a .jsh module's class or of a `java` snippet's. */
    static boolean isUserFrame(StackTraceElement f) {
        String l = f.getClassLoaderName();
        return l != null && (l.equals(SNIPPET_LOADER) || l.startsWith(MODULE_LOADER_PREFIX));
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
