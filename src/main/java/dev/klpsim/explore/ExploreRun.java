package dev.klpsim.explore;

import dev.klpsim.kernel.Machine;
import dev.klpsim.livepatch.KlpPatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One explore run, for the shell's `klp explore` and the command line's `klpsim explore`:
 * the search, then each violation reported in one line and written as a shrunk
 * counterexample transcript. Returns 1 when a violation was found, 0 when none, 130 when
 * stopped (Ctrl-C) before the search was complete and nothing was found.
 */
public final class ExploreRun {
    /** The status of a search stopped by Ctrl-C before it found anything (128 + SIGINT, as bash). */
    public static final int STOPPED = 130;
    /** The status of a search that reached a limit (too many states) before it found anything. */
    public static final int LIMIT = 3;
    /** The largest machine explored: a state is a copy of the machine (4096 CPUs took 146 s for depth 2). */
    static final int MAX_CPUS = 64;

    private ExploreRun() {}

    /** Where messages go: {@code out} the results, {@code progress} the running figures (stderr, overwritten in a terminal). */
    public record Sinks(Consumer<String> out, Consumer<String> err, Consumer<Explorer.Progress> progress) {}

    public static int run(Machine start, List<Alphabet.Module> modules, ExploreOptions o, Counterexample.Context ctx, String origin,
                          Sinks sinks, BooleanSupplier stop) {
        List<Alphabet.TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < o.tasks.size(); i++) tasks.add(ExploreOptions.taskSpec(o.tasks.get(i), i));
        List<String> startPatches = start.klp.core.registeredPatches().stream().map(KlpPatch::name).toList();
        Alphabet alphabet = new Alphabet(modules, tasks, startPatches).without(o.withoutKinds());
        int loads = 0;
        for (Alphabet.Module mod : modules) loads += mod.variants().size();
        sinks.out().accept("explore: " + modules.size() + " module" + (modules.size() == 1 ? "" : "s") + ", " + loads + " load" + (loads == 1 ? "" : "s") + " (parameter variants included)"
                + (tasks.isEmpty() ? "" : ", " + tasks.size() + " blocking task" + (tasks.size() == 1 ? "" : "s")) + ", "
                + (o.runs() > 0 ? o.runs() + " random orders of " + o.depth + " steps" : "every order of up to " + o.depth + " steps")
                + (o.without.isEmpty() ? "" : ", without " + String.join(",", o.without))
                + ", " + o.jobs + " thread" + (o.jobs == 1 ? "" : "s"));
        if (start.options.cpus > MAX_CPUS) {
            sinks.err().accept("explore: a machine of " + start.options.cpus + " CPUs is too big to explore: every state is a copy of it"
                    + " (at most " + MAX_CPUS + " CPUs; orders of loads and transitions rarely need more than 2)");
            return 2;
        }
        Explorer ex = new Explorer(start, alphabet, o.jobs, stop);
        Explorer.Result r = o.runs() > 0 ? ex.random(o.runs(), o.depth, o.seed, sinks.progress()) : ex.exhaustive(o.depth, o.all, sinks.progress());
        // every state was reached before the depth asked for: the search is complete, say both depths
        boolean exhausted = r.complete() && o.runs() == 0 && r.depthDone() < o.depth && (r.found().isEmpty() || o.all);
        sinks.out().accept(String.format("explore: %s: %d states (%s%d distinct) in %.1f s, %.0f states/s; %s",
                !r.complete() ? "stopped after depth " + r.depthDone() : o.runs() > 0 ? o.runs() + " runs done"
                        : exhausted ? "depth " + o.depth + " done (no new state after depth " + r.depthDone() + ")" : "depth " + r.depthDone() + " done",
                r.states(), r.distinct() >= Explorer.maxStates ? "at least " : "", r.distinct(), r.elapsedNs() / 1e9, r.statesPerSecond(),
                r.found().isEmpty() ? "no violation" : r.found().size() + " violation" + (r.found().size() == 1 ? "" : "s")
                        + (r.found().size() > 1 && !o.all ? " (the first below; --all reports each)" : "")));
        if (r.limit() != null) sinks.err().accept("explore: stopped after depth " + r.depthDone() + ": " + r.limit());
        List<Explorer.Found> report = o.all ? r.found() : r.found().isEmpty() ? List.of() : List.of(r.found().get(0));
        for (Explorer.Found f : report) {
            List<String> steps = new ArrayList<>();
            for (Step s : f.path()) steps.add(s.command());
            List<String> small = Counterexample.shrink(ctx, steps, f.violation().property());
            Checks.Violation v = Counterexample.replay(ctx, small, f.violation().property());
            if (v == null) {
                // the shell replay did not break the property: a defect in klpsim, said as such
                sinks.err().accept("explore: internal error: the commands of a " + f.violation().property() + " violation do not break it when replayed: "
                        + String.join(" ; ", steps));
                v = f.violation();
                small = steps;
            }
            sinks.out().accept("explore: VIOLATION " + v.property() + " after " + small.size() + " step" + (small.size() == 1 ? "" : "s") + ": " + v.message());
            try {
                Path file = Counterexample.write(Path.of(o.out), v.property(), Counterexample.transcript(ctx, small, v, origin, Path.of(o.out)));
                sinks.out().accept("  wrote " + file + " (replay it: klpsim verify " + file + ")");
            } catch (IOException | RuntimeException e) {
                sinks.err().accept("explore: cannot write the counterexample into " + o.out + ": " + e.getMessage());
            }
            for (String c : small) sinks.out().accept("    % " + c);
        }
        // stopped by Ctrl-C with nothing found proves nothing: the shell's status of an interrupted command
        return !r.found().isEmpty() ? 1 : r.limit() != null ? LIMIT : r.complete() ? 0 : STOPPED;
    }
}
