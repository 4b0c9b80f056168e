package dev.klpsim.explore;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Breadth-first search over the orders of the alphabet's actions, from a start machine, up
 * to a depth: every state is checked (Checks) after each step, states reached by different
 * orders are explored once (StateDigest plus what the checks remember), a state that breaks
 * a property is not explored further. Each level is expanded on all cores; a state is
 * rebuilt by forking the start machine (its journal replayed) and doing the path's steps.
 * The result is the same for any number of threads: duplicates are resolved in the
 * alphabet's order after each level, not in the order threads finish.
 */
public final class Explorer {
    /** A violation with the shortest order of steps found that leads to it. */
    public record Found(Checks.Violation violation, List<Step> path) {}

    /** What a run found. {@code complete}: every order up to the depth was explored (not stopped). */
    /**
     * A search ended short: {@code limit} says which limit it reached (null: none, or Ctrl-C).
     */
    public record Result(long states, long distinct, int depthDone, boolean complete, List<Found> found, long elapsedNs, String limit) {
        public Result(long states, long distinct, int depthDone, boolean complete, List<Found> found, long elapsedNs) {
            this(states, distinct, depthDone, complete, found, elapsedNs, null);
        }

        public double statesPerSecond() {
            return elapsedNs == 0 ? 0 : states * 1e9 / elapsedNs;
        }
    }

    /** Progress as it runs: the depth being explored, states so far, their rate, violations so far. */
    public record Progress(int depth, long states, double statesPerSecond, int violations) {
        @Override
        public String toString() {
            return String.format("explore: depth %d, %d states, %.0f states/s, %d violation%s", depth, states, statesPerSecond, violations, violations == 1 ? "" : "s");
        }
    }

    private static final long MAX_TIME_STEP_NS = 60_000_000_000L;

    private final Machine start;
    private final Alphabet alphabet;
    private final int threads;
    private final BooleanSupplier stop;
    private final AtomicLong states = new AtomicLong();
    /** Whether a state reached before is explored again (false only for the differential check of the digest). */
    private boolean deduplicate = true;

    public Explorer(Machine start, Alphabet alphabet, int threads, BooleanSupplier stop) {
        this.start = start;
        this.alphabet = alphabet;
        this.threads = Math.max(1, threads);
        this.stop = stop == null ? () -> false : stop;
    }

    /**
     * Explores every order, also those that reach a state seen before: the reference the
     * differential test (ExploreDifferentialTest) compares the deduplicated search with. A
     * property that reads a fact the state digest leaves out shows up as a violation found
     * here and missed (or found deeper) with deduplication.
     */
    Explorer withoutDeduplication() {
        deduplicate = false;
        return this;
    }

    private record Node(List<Step> path) {}

    private record Child(List<Step> path, StateDigest.Key key, List<Checks.Violation> violations) {}

    /** A machine in the state {@code path} leads to, with its checks, from a fork of the start. */
    private record Built(Machine m, Checks checks, List<Checks.Violation> last) {}

    private Built build(List<Step> path) {
        Machine m = start.fork();
        Checks c = new Checks(m);
        List<Checks.Violation> v = c.check();
        for (Step s : path) {
            s.apply(m, alphabet.sources);
            v = c.check();
        }
        return new Built(m, c, v);
    }

    /**
     * Explores every order of at most {@code depth} steps. Stops at the end of the first
     * level with a violation unless {@code all}. {@code progress} is called about once a second.
     */
    public Result exhaustive(int depth, boolean all, Consumer<Progress> progress) {
        long t0 = System.nanoTime();
        List<Found> found = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        Set<StateDigest.Key> seen = new HashSet<>();
        Built root = build(List.of());
        states.incrementAndGet();
        seen.add(key(root));
        if (!root.last().isEmpty()) {
            for (Checks.Violation v : root.last()) found.add(new Found(v, List.of()));
            return new Result(1, 1, 0, true, found, System.nanoTime() - t0);
        }
        List<Node> frontier = List.of(new Node(List.of()));
        ExecutorService pool = pool();
        Reporter reporter = new Reporter(progress, t0);
        int depthDone = 0;
        boolean stopped = false;
        String limit = null;
        try {
            for (int d = 1; d <= depth && !frontier.isEmpty(); d++) {
                reporter.depth = d;
                List<Future<List<Child>>> work = new ArrayList<>();
                for (Node n : frontier) work.add(pool.submit(() -> expand(n)));
                List<Child> children = new ArrayList<>();
                for (Future<List<Child>> f : work) {
                    if (limit == null && children.size() + seen.size() > maxStates)
                        limit = "the search holds " + (children.size() + seen.size()) + " states, more than the " + maxStates
                                + " explore keeps in memory (a state for every order of " + d + " steps); a smaller --depth or --random N explores deeper";
                    if (limit != null) {
                        f.cancel(true);
                        continue;
                    }
                    try {
                        children.addAll(f.get());
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("explore: " + e.getCause(), e.getCause());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        stopped = true;
                    }
                    reporter.tick(states.get(), found.size());
                }
                if (stop.getAsBoolean() || limit != null) stopped = true;
                // duplicates resolved in the alphabet's order, so the result does not depend on thread timing
                children.sort(Comparator.comparing(Child::path, Explorer::comparePaths));
                List<Node> next = new ArrayList<>();
                for (Child c : children) {
                    // a violation belongs to the step, not only to the state it reaches: a state
                    // seen before (reached by an order that broke nothing) can be reached again by
                    // a step that breaks a property, so violations are taken before deduplication
                    boolean fresh = seen.add(c.key()) || !deduplicate;
                    if (!c.violations().isEmpty()) {
                        for (Checks.Violation v : c.violations()) if (kinds.add(v.property() + "\0" + normalize(v.message()))) found.add(new Found(v, c.path()));
                        continue;
                    }
                    if (fresh) next.add(new Node(c.path()));
                }
                reporter.tick(states.get(), found.size());
                if (stopped) break;
                depthDone = d;
                frontier = next;
                if (!found.isEmpty() && !all) break;
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(states.get(), seen.size(), depthDone, !stopped, found, System.nanoTime() - t0, limit);
    }

    /**
     * The most states an exhaustive search keeps (the distinct states seen and the children of
     * the level being expanded): each is a path of steps and a digest, well under 1 KiB at
     * depth 50, so the search stays within a few hundred MiB; with sleeps and spawns the
     * states of a deep search never repeat, and without it grew until the JVM thrashed.
     */
    static int maxStates = 1_000_000;

    /** The children of one state: each applicable step done on a copy, checked and fingerprinted. */
    private List<Child> expand(Node n) {
        List<Child> out = new ArrayList<>();
        if (stop.getAsBoolean()) return out;
        Built parent = build(n.path());
        List<Step> steps = alphabet.steps(parent.m());
        for (int i = 0; i < steps.size(); i++) {
            if (stop.getAsBoolean()) break;
            Step s = steps.get(i);
            boolean last = i == steps.size() - 1;
            Machine m = last ? parent.m() : parent.m().fork();
            Checks c = last ? parent.checks() : parent.checks().copyFor(m);
            boolean applied = false;
            if (s.kind() == Step.Kind.SLEEP) {
                Resolved r = resolveSleep(m, s);
                if (r == null) continue;
                s = r.step();
                applied = r.applied();
            }
            List<Checks.Violation> v;
            try {
                if (!applied) s.apply(m, alphabet.sources);
                v = c.check();
            } catch (RuntimeException | StackOverflowError e) {
                // an exception escaping into the kernel from a built-in module's code
                v = List.of(new Checks.Violation("module-exception", s.command() + " threw " + e));
            }
            states.incrementAndGet();
            List<Step> path = new ArrayList<>(n.path());
            path.add(s);
            out.add(new Child(List.copyOf(path), key(m, c), v));
        }
        return out;
    }

    /**
     * A time step made concrete: how long until the next timer that changes the state (a
     * retry, a task waking, a work item), or until the next fake signal. Found on a copy when
     * a user program runs (each sleep call gives it a turn, so one long sleep is not several
     * short ones); null when nothing would change within a minute of virtual time.
     */
    private record Resolved(Step step, boolean applied) {}

    private Resolved resolveSleep(Machine m, Step s) {
        boolean programs = false;
        for (Task t : m.tasks()) if (t.program != null && t.state == dev.klpsim.kernel.TaskState.RUNNING) programs = true;
        Machine probe = programs ? m.fork() : m;
        long startNs = probe.now();
        String before = StateDigest.text(probe, false);
        int target = probe.klp.transition.signalsCnt() / 15 * 15 + 15;
        long[] quick = {quick(probe)};
        // a timer after which no event was emitted, nothing was logged and no task changed (a
        // sleeper polling its condition) changed nothing worth the full comparison
        Predicate<Machine> done = s.ns() == Alphabet.TICK ? x -> {
            long q = quick(x);
            if (q == quick[0] && x.trace.recording) return false;
            quick[0] = q;
            return !StateDigest.text(x, false).equals(before);
        } : x -> x.klp.transition.transitionPatch() == null || x.klp.transition.signalsCnt() >= target;
        while (true) {
            long next = probe.timers.nextDue();
            if (next < 0 || next - startNs > MAX_TIME_STEP_NS) return null;
            probe.sleep(next - probe.now(), null);
            if (done.test(probe)) break;
        }
        long ns = probe.now() - startNs;
        // without a user program the probe's short sleeps were that one sleep: m is there already
        return new Resolved(new Step(Step.Kind.SLEEP, s.order(), "sleep " + seconds(ns), null, List.of(), ns, false), !programs);
    }

    /** A cheap fingerprint of what usually changes: events, log records, tasks and their states, modules. */
    private static long quick(Machine m) {
        long h = m.trace.emitted() * 31 + m.printk.logged();
        for (Task t : m.tasks()) h = h * 31 + t.pid * 7L + t.state.ordinal() * 3L + t.patchState + (t.patchPending ? 5 : 0) + t.depth() * 11L;
        return h * 31 + m.modules.list().size();
    }

    /** Nanoseconds as `sleep` reads them: seconds with as many decimals as needed. */
    static String seconds(long ns) {
        return new java.math.BigDecimal(ns).movePointLeft(9).stripTrailingZeros().toPlainString();
    }

    private StateDigest.Key key(Built b) {
        return key(b.m(), b.checks());
    }

    private static StateDigest.Key key(Machine m, Checks c) {
        return StateDigest.Key.of(StateDigest.text(m, false) + "\n" + c.digest());
    }

    static int comparePaths(List<Step> a, List<Step> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i).order(), b.get(i).order());
            if (c == 0) c = a.get(i).command().compareTo(b.get(i).command());
            if (c != 0) return c;
        }
        return Integer.compare(a.size(), b.size());
    }

    /** Messages that differ only in numbers (pids, pointers, times) are the same violation for --all. */
    static String normalize(String message) {
        return message.replaceAll("[0-9a-f]{16}", "P").replaceAll("\\d+", "N");
    }

    /**
     * Random orders of {@code length} steps, {@code runs} of them, from {@code seed}: for
     * depths exhaustive search cannot reach. Runs go to all threads; run i draws from the i-th
     * split of the seed, and results are taken in run order, so the result is the same for any
     * number of threads. Returns the violations found (each with the prefix of its run up to
     * the violating step) and how many distinct states the runs went through.
     */
    public Result random(int runs, int length, long seed, Consumer<Progress> progress) {
        long t0 = System.nanoTime();
        List<Found> found = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        Set<StateDigest.Key> seen = new HashSet<>();
        Reporter reporter = new Reporter(progress, t0);
        reporter.depth = length;
        boolean stopped = false;
        SplittableRandom root = new SplittableRandom(seed);
        ExecutorService pool = pool();
        try {
            // a few runs in flight per thread, taken in run order: memory does not grow with N
            java.util.ArrayDeque<Future<Run>> work = new java.util.ArrayDeque<>();
            int submitted = 0;
            while (submitted < runs || !work.isEmpty()) {
                while (submitted < runs && work.size() < 4 * threads) {
                    SplittableRandom r = root.split();
                    work.add(pool.submit(() -> randomRun(r, length)));
                    submitted++;
                }
                Future<Run> f = work.poll();
                Run run;
                try {
                    run = f.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException("explore: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = true;
                    break;
                }
                if (run == null) {
                    stopped = true;
                    break;
                }
                if (seen.size() < maxStates) seen.addAll(run.keys());
                for (Checks.Violation x : run.violations())
                    if (kinds.add(x.property() + "\0" + normalize(x.message()))) found.add(new Found(x, run.path()));
                reporter.tick(states.get(), found.size());
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(states.get(), seen.size(), length, !stopped, found, System.nanoTime() - t0);
    }

    /** One random run: the states it went through, and the violation that ended it (with its path), if any. */
    private record Run(List<StateDigest.Key> keys, List<Checks.Violation> violations, List<Step> path) {}

    /** Null when stopped before it began. */
    private Run randomRun(SplittableRandom r, int length) {
        if (stop.getAsBoolean()) return null;
        Built b = build(List.of());
        states.incrementAndGet();
        List<StateDigest.Key> keys = new ArrayList<>();
        keys.add(key(b));
        List<Step> path = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            List<Step> steps = alphabet.steps(b.m());
            if (steps.isEmpty()) break;
            Step s = steps.get(r.nextInt(steps.size()));
            boolean applied = false;
            if (s.kind() == Step.Kind.SLEEP) {
                Resolved res = resolveSleep(b.m(), s);
                if (res == null) continue;
                s = res.step();
                applied = res.applied();
            }
            List<Checks.Violation> v;
            try {
                if (!applied) s.apply(b.m(), alphabet.sources);
                v = b.checks().check();
            } catch (RuntimeException | StackOverflowError e) {
                v = List.of(new Checks.Violation("module-exception", s.command() + " threw " + e));
            }
            path.add(s);
            states.incrementAndGet();
            keys.add(key(b));
            if (!v.isEmpty()) return new Run(keys, v, List.copyOf(path));
        }
        return new Run(keys, List.of(), List.copyOf(path));
    }

    private ExecutorService pool() {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "explore");
            t.setDaemon(true);
            return t;
        });
    }

    /** Calls the progress consumer about once a second (the run's result line says the final figures). */
    private static final class Reporter {
        private final Consumer<Progress> out;
        private final long t0;
        private long last;
        volatile int depth;

        Reporter(Consumer<Progress> out, long t0) {
            this.out = out;
            this.t0 = t0;
            this.last = t0;
        }

        synchronized void tick(long states, int violations) {
            long now = System.nanoTime();
            if (out == null || now - last < 1_000_000_000L) return;
            last = now;
            out.accept(new Progress(depth, states, states * 1e9 / (now - t0), violations));
        }

    }
}
