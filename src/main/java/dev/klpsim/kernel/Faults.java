package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * Things that went wrong inside the kernel or in module code, as typed records: a WARN(),
 * an exception a module's code threw, a shadow variable read after another module freed
 * it. The kernel log shows them as the kernel would; explore reads them here, not from text.
 */
public final class Faults {
    public enum Kind { WARN, MODULE_EXCEPTION, SHADOW_READ_AFTER_FREE }

    public record Fault(Kind kind, long timeNs, String module, String text) {}

    private final Timers clock;
    private final List<Fault> faults = new ArrayList<>();
    /** Set while an observer (explore's checks) runs module code: what it does is no fault. */
    private int quiet;

    Faults(Timers clock) {
        this.clock = clock;
    }

    public void report(Kind kind, String module, String text) {
        if (quiet == 0) faults.add(new Fault(kind, clock.now(), module, text));
    }

    /** Every fault so far, oldest first. */
    public List<Fault> all() {
        return List.copyOf(faults);
    }

    public int count() {
        return faults.size();
    }

    public List<Fault> since(int index) {
        return List.copyOf(faults.subList(Math.min(index, faults.size()), faults.size()));
    }

    /** Whether an observer's look is running (module code it runs causes no fault and uses nothing). */
    public boolean quiet() {
        return quiet > 0;
    }

    /** Runs an observer's look at module state: nothing it causes counts as a fault. */
    public <T> T quietly(java.util.function.Supplier<T> look) {
        quiet++;
        try {
            return look.get();
        } finally {
            quiet--;
        }
    }
}
