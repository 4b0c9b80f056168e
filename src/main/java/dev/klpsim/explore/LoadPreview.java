package dev.klpsim.explore;

import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Printk;
import dev.klpsim.livepatch.KlpPatch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What loading a module would do, found out on a copy of the machine (Machine.fork(): the
 * live machine's journal replayed on a fresh boot): the engine of `klp preview` and
 * `klp downgrade`. It only runs the load; the shell words the report.
 */
public final class LoadPreview {
    /** How long a preview lets a transition run on the copy before calling it stalled. */
    public static final long WAIT_NS = 60_000_000_000L;

    /**
     * The outcome. {@code copy} is the machine after the load (and after the transition
     * ran or stalled); {@code before} the patches in klp_patches before the load;
     * {@code patch} the new patch, or null; {@code ret} the load's return (0 or -errno);
     * {@code log} the kernel lines the load and its transition printed; {@code stalled}
     * whether the transition was still in flight after {@link #WAIT_NS}; {@code inexact}
     * what the copy could not repeat of the live machine's history (empty: an exact copy).
     */
    public record Result(Machine copy, List<KlpPatch> before, KlpPatch patch, int ret, List<Printk.Record> log,
                         boolean stalled, long transitionNs, List<String> inexact) {
        /** What modprobe takes for success: a positive return passed on from klp_module_coming() is not an error. */
        public boolean loads() {
            return ret >= 0;
        }
    }

    private LoadPreview() {}

    /** Loads {@code src} with {@code args} the way modprobe does, on a copy of {@code live}. */
    public static Result run(Machine live, ModuleSource src, List<String> args) {
        return run(live, src, args, (copy, patch) -> { });
    }

    /** run(), with {@code loaded} told of the copy right after the load, before its transition runs. */
    public static Result run(Machine live, ModuleSource src, List<String> args, java.util.function.BiConsumer<Machine, KlpPatch> loaded) {
        Machine copy = live.fork();
        List<Printk.Record> log = new ArrayList<>();
        Consumer<Printk.Record> console = log::add;
        copy.printk.addConsole(console);
        try {
            List<KlpPatch> before = copy.klp.core.klpPatches();
            copy.kmodReadCmdline();
            int ret;
            try {
                ModuleSpec spec = src.instantiate();
                ret = copy.modules.load(spec, args);
            } catch (KernelError e) {
                ret = e.errno.neg();
            }
            KlpPatch np = ret >= 0 ? copy.klp.core.findRegistered(src.name()) : null;
            loaded.accept(copy, np);
            long took = 0;
            if (np != null && copy.klp.transition.transitionPatch() == np)
                took = copy.waitFor(() -> copy.klp.transition.transitionPatch() == null, WAIT_NS, null);
            boolean stalled = np != null && copy.klp.transition.transitionPatch() == np;
            return new Result(copy, before, np, ret, List.copyOf(log), stalled, took, live.journal.unreplayable());
        } finally {
            copy.printk.removeConsole(console);
        }
    }
}
