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

    private JshBridge() {}

    public static ModuleBuilder builder() {
        return builder;
    }

    public static Machine machine() {
        return machine;
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
}
