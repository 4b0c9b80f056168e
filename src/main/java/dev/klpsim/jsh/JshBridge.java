package dev.klpsim.jsh;

import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Machine;

/**
 * How host objects reach snippet code: snippets run in this JVM and read these while the
 * loader evaluates them (one evaluation at a time).
 */
public final class JshBridge {
    private static ModuleBuilder builder;
    private static Machine machine;
    /**
     * A compiled module's class initializer runs on the loading thread, so its builder and
     * machine are per thread: explore loads modules on all cores at once. JShell's snippets
     * run on JShell's own thread and read the shared fields (under the class lock).
     */
    private static final ThreadLocal<Object[]> LOADING = new ThreadLocal<>();

    private JshBridge() {}

    public static ModuleBuilder builder() {
        Object[] l = LOADING.get();
        return l != null ? (ModuleBuilder) l[0] : builder;
    }

    public static Machine machine() {
        Object[] l = LOADING.get();
        return l != null ? (Machine) l[1] : machine;
    }

    public static void setMachine(Machine m) {
        machine = m;
    }

    /**
     * For compiled .jsh modules: rethrows whatever a top-level statement threw, unchanged,
     * as JShell reports it (a static initializer may not throw checked exceptions itself).
     */
    public static RuntimeException rethrow(Throwable t) {
        throw JshBridge.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    static void set(ModuleBuilder b, Machine m) {
        builder = b;
        machine = m;
    }

    /** For this thread only (a compiled module's class initializer): {@code b} and {@code m}. Returns what to restore. */
    static Object[] enterLoading(ModuleBuilder b, Machine m) {
        Object[] prev = LOADING.get();
        LOADING.set(new Object[] {b, m});
        return prev;
    }

    static void leaveLoading(Object[] prev) {
        if (prev == null) LOADING.remove();
        else LOADING.set(prev);
    }
}
