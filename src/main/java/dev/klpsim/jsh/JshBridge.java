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

    static void set(ModuleBuilder b, Machine m) {
        builder = b;
        machine = m;
    }
}
