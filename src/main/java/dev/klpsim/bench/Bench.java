package dev.klpsim.bench;

import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.livepatch.Shadow;
import dev.klpsim.transcript.Verify;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * klpsim bench [--quick]: the figures of docs/PERFORMANCE.md. Each row names what was
 * measured, the machine size and the unit. Figures are wall-clock on this machine.
 */
public final class Bench {
    private final boolean quick;
    private final PrintStream out;
    private final List<String[]> rows = new ArrayList<>();

    private Bench(boolean quick, PrintStream out) {
        this.quick = quick;
        this.out = out;
    }

    /** The parts of the table, in its order; `klpsim bench SECTION...` measures some only. */
    public enum Section { startup, interactive, verify, replay, transition, dispatch, shadow, jsh, explore }

    /** The section names, for completion and help. */
    public static final class SectionNames extends ArrayList<String> {
        public SectionNames() {
            for (Section s : Section.values()) add(s.name());
        }
    }

    public static int run(boolean quick, List<Section> sections, PrintStream out) {
        Bench b = new Bench(quick, out);
        out.println("klpsim bench" + (quick ? " --quick" : "") + " on " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, load average " + loadAverage());
        if (sections.contains(Section.startup)) b.startup();
        if (sections.contains(Section.interactive)) b.interactive();
        if (sections.contains(Section.verify)) b.verifyProcess();
        if (sections.contains(Section.replay)) b.replay();
        int functions = quick ? 2_000 : 10_000;
        if (sections.contains(Section.transition) || sections.contains(Section.dispatch)) b.warmUp(functions);
        if (sections.contains(Section.transition))
            for (int tasks : quick ? new int[] {1_000, 10_000} : new int[] {1_000, 10_000, 100_000}) b.transition(tasks, functions);
        if (sections.contains(Section.dispatch)) b.dispatch();
        if (sections.contains(Section.shadow)) b.shadow(quick ? 200_000 : 1_000_000);
        if (sections.contains(Section.jsh)) {
            b.jsh();
            b.cModule();
        }
        if (sections.contains(Section.explore)) b.explore();
        b.print();
        return 0;
    }

    /** The host's 1-minute load average at the start: wall-clock figures depend on it. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private void row(String what, String size, String value, String unit) {
        rows.add(new String[] {what, size, value, unit});
        out.printf("  %-48s %-28s %12s %s%n", what, size, value, unit);
    }

    private void print() {
        out.println();
        out.println("| measure | machine | result | unit |");
        out.println("|---|---|---:|---|");
        for (String[] r : rows) out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " | " + r[3] + " |");
    }

    private static String f1(double v) {
        return String.format("%.1f", v);
    }

    // ---- 1. start-up -------------------------------------------------------------------------

    private void startup() {
        Path launcher = Path.of("scripts/klpsim");
        if (!Files.isExecutable(launcher)) {
            row("start-up", "-", "skipped", "(run from the project directory)");
            return;
        }
        awaitCdsArchive(launcher);
        int n = quick ? 3 : 5;
        double hello = bestOf(n, () -> exec(List.of("java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                Path.of("target/klpsim.jar").toString(), Hello.class.getName()), ""));
        double prompt = bestOf(n, () -> exec(List.of(launcher.toString()), "exit\n"));
        double oneCommand = bestOf(n, () -> exec(List.of(launcher.toString()), "insmod test_modules/test_klp_livepatch.ko\n"));
        row("JVM hello-world (the floor)", "-", f1(hello), "ms");
        row("start-up to a ready shell (`exit` piped)", "1 CPU", f1(prompt) + " (x" + f1(prompt / hello) + ")", "ms");
        row("a one-command script (insmod a livepatch)", "1 CPU", f1(oneCommand) + " (x" + f1(oneCommand / hello) + ")", "ms");
    }

    /** The launcher makes its class-data archive on first use; figures are for a started-before install. */
    private static void awaitCdsArchive(Path launcher) {
        exec(List.of(launcher.toString()), "exit\n");
        Path lock = Path.of("target/klpsim-cds.lock");
        for (int i = 0; i < 600 && Files.exists(lock); i++) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static double bestOf(int n, Supplier<Double> f) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) best = Math.min(best, f.get());
        return best;
    }

    private static double exec(List<String> cmd, String stdin) {
        return exec(cmd, stdin, java.util.Map.of());
    }

    /** Milliseconds a process takes, from its start to its exit, given {@code stdin} and extra environment. */
    private static double exec(List<String> cmd, String stdin, java.util.Map<String, String> env) {
        try {
            long t0 = System.nanoTime();
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            p.waitFor();
            return (System.nanoTime() - t0) / 1e6;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("klpsim-bench");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | RuntimeException e) {
            // a temporary directory left behind
        }
    }

    // ---- 1b. the interactive shell on a pseudo-terminal ---------------------------------------

    /**
     * scripts/klpsim as a user meets it, each figure the best of n: the prompt; a .jsh load
     * typed at once and after a second and a half at the prompt (an empty cache: compiled);
     * a second, different .jsh; klp preview with both loaded; and, in a new process, the
     * first .jsh again (read from the cache); and a built-in livepatch loaded at the first
     * prompt, what any first load costs (the livepatch core's code runs for the first time).
     */
    private void interactive() {
        Path launcher = Path.of("scripts/klpsim");
        if (!Files.isExecutable(launcher) || !PtySession.available()) {
            row("interactive shell (pseudo-terminal)", "-", "skipped", "(needs the project directory and `script`)");
            return;
        }
        int n = quick ? 1 : 3;
        String sample = "insmod docs/examples/livepatch-sample.jsh", demo = "insmod docs/examples/livepatch-callbacks-demo.jsh";
        double prompt = Double.MAX_VALUE, atOnce = Double.MAX_VALUE, first = Double.MAX_VALUE, second = Double.MAX_VALUE,
                preview = Double.MAX_VALUE, cached = Double.MAX_VALUE, builtin = Double.MAX_VALUE, cFirst = Double.MAX_VALUE, cWarm = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Path cache = tempDir();
            java.util.Map<String, String> env = java.util.Map.of("XDG_CACHE_HOME", cache.toString());
            try {
                try (PtySession s = new PtySession(launcher.toString(), env, cache)) {
                    prompt = Math.min(prompt, s.firstPrompt());
                    atOnce = Math.min(atOnce, s.type(sample));
                }
                deleteTree(cache);
                cache = tempDir();
                env = java.util.Map.of("XDG_CACHE_HOME", cache.toString());
                try (PtySession s = new PtySession(launcher.toString(), env, cache)) {
                    prompt = Math.min(prompt, s.firstPrompt());
                    Thread.sleep(1500);
                    first = Math.min(first, s.type(sample));
                    second = Math.min(second, s.type(demo));
                    preview = Math.min(preview, s.type("klp preview test_modules/test_klp_livepatch.ko"));
                }
                try (PtySession s = new PtySession(launcher.toString(), env, cache)) {
                    s.firstPrompt();
                    cached = Math.min(cached, s.type(sample));
                }
                try (PtySession s = new PtySession(launcher.toString(), env, cache)) {
                    s.firstPrompt();
                    builtin = Math.min(builtin, s.type("insmod test_modules/test_klp_livepatch.ko"));
                }
                try (PtySession s = new PtySession(launcher.toString(), env, cache)) {
                    s.firstPrompt();
                    cFirst = Math.min(cFirst, s.type("insmod " + C_SAMPLE));
                }
                try (PtySession s = new PtySession(launcher.toString(), env, cache)) {
                    s.firstPrompt();
                    Thread.sleep(1500);
                    cWarm = Math.min(cWarm, s.type("insmod " + C_SAMPLE));
                }
            } catch (java.io.IOException | InterruptedException e) {
                row("interactive shell (pseudo-terminal)", "-", "failed", e.getMessage());
                return;
            } finally {
                deleteTree(cache);
            }
        }
        String best = n > 1 ? " (best of " + n + ")" : "";
        row("start to the interactive prompt" + best, "JLine terminal", f1(prompt), "ms");
        row(".jsh load typed at once at the first prompt" + best, "livepatch-sample.jsh, compiled", f1(atOnce), "ms");
        row(".jsh load after 1.5 s at the prompt" + best, "livepatch-sample.jsh, compiled", f1(first), "ms");
        row("  then a second, different .jsh" + best, "livepatch-callbacks-demo.jsh", f1(second), "ms");
        row("  then klp preview with the two loaded" + best, "preview of test_klp_livepatch", f1(preview), "ms");
        row(".jsh load in a new shell, source unchanged" + best, "livepatch-sample.jsh, cached", f1(cached), "ms");
        row("  (the floor: a built-in livepatch's first insmod)" + best, "test_klp_livepatch", f1(builtin), "ms");
        row("C module's first insmod, typed at once at the first prompt" + best, "livepatch-sample.c", f1(cFirst) + " (x" + f1(cFirst / builtin) + " the floor)", "ms");
        row("C module's first insmod after 1.5 s at the prompt" + best, "livepatch-sample.c", f1(cWarm) + " (x" + f1(cWarm / builtin) + " the floor)", "ms");
    }

    /** The kernel's own sample, loaded from its C source. */
    private static final String C_SAMPLE = "src/test/resources/c-modules/7.3/livepatch-sample.c";

    /** C module loads in this process: the first preprocesses and parses (and loads jcpp and ANTLR), later ones reuse the tree. */
    private void cModule() {
        Path sample = Path.of(C_SAMPLE);
        if (!Files.exists(sample)) {
            row("C module load", "-", "skipped", "(run from the project directory)");
            return;
        }
        Path dir = tempDir();
        double[] ms = new double[4];
        try {
            // a text no earlier load has seen (a comment added)
            Path fresh = dir.resolve("livepatch-sample.c");
            Files.writeString(fresh, Files.readString(sample) + "/* bench " + System.nanoTime() + " */\n");
            for (int i = 0; i < ms.length; i++) {
                Machine m = new Machine();
                var src = new dev.klpsim.c.CModuleSource(fresh, fresh.toString(), m, e -> { });
                long t0 = System.nanoTime();
                m.modules.load(src.instantiate(), List.of());
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        } catch (java.io.IOException e) {
            row("C module load", "-", "failed", e.getMessage());
            return;
        } finally {
            deleteTree(dir);
        }
        row("first C module load in the process (preprocess, parse, run)", "livepatch-sample.c", f1(ms[0]), "ms");
        row("later loads of the same C source (best of 3)", "livepatch-sample.c", f1(Math.min(ms[1], Math.min(ms[2], ms[3]))), "ms");
    }

    /** `scripts/klpsim verify` of the .jsh transcripts as a process: wall time and peak RSS. */
    private void verifyProcess() {
        Path launcher = Path.of("scripts/klpsim"), dir = Path.of("src/test/resources/transcripts/jsh");
        if (!Files.isExecutable(launcher) || !Files.isDirectory(dir)) {
            row("verify of the .jsh transcripts (process)", "-", "skipped", "(run from the project directory)");
            return;
        }
        boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
        int n = quick ? 1 : 3;
        double coldMs = Double.MAX_VALUE, warmMs = Double.MAX_VALUE;
        long coldKb = Long.MAX_VALUE, warmKb = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Path cache = tempDir();
            for (int pass = 0; pass < 2; pass++) {
                List<String> cmd = new ArrayList<>();
                Path rss = cache.resolve("rss");
                if (gnuTime) cmd.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
                cmd.addAll(List.of(launcher.toString(), "verify", dir.toString()));
                double ms = exec(cmd, "", java.util.Map.of("XDG_CACHE_HOME", cache.toString()));
                long kb = -1;
                try {
                    if (gnuTime) kb = Long.parseLong(Files.readString(rss).strip());
                } catch (java.io.IOException | NumberFormatException e) {
                    kb = -1;
                }
                if (pass == 0) {
                    coldMs = Math.min(coldMs, ms);
                    coldKb = Math.min(coldKb, kb);
                } else {
                    warmMs = Math.min(warmMs, ms);
                    warmKb = Math.min(warmKb, kb);
                }
            }
            deleteTree(cache);
        }
        String best = n > 1 ? " (best of " + n + ")" : "";
        row("verify of the .jsh transcripts, empty cache" + best, dir.toFile().list().length + " transcripts, whole process", f1(coldMs) + (coldKb > 0 ? ", " + coldKb / 1024 + " MiB peak" : ""), "ms");
        row("verify of the .jsh transcripts, cache filled" + best, dir.toFile().list().length + " transcripts, whole process", f1(warmMs) + (warmKb > 0 ? ", " + warmKb / 1024 + " MiB peak" : ""), "ms");
    }

    // ---- 2. replay ---------------------------------------------------------------------------

    private void replay() {
        Path dir = Path.of("src/test/resources/transcripts");
        if (!Files.isDirectory(dir)) {
            row("replay of the project's transcripts", "-", "skipped", "(run from the project directory)");
            return;
        }
        List<Path> all = new ArrayList<>();
        try (var s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".klpt")).sorted().forEach(all::add);
        } catch (Exception e) {
            return;
        }
        List<Path> noJsh = all.stream().filter(p -> !loadsJava(p)).toList();
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        new Verify(sink).run(noJsh.stream().map(Path::toString).toList()); // warm-up
        // the .jsh modules compiled here, not read from the user's cache
        String cacheBefore = System.getProperty("klpsim.cache.dir");
        Path cache = tempDir();
        System.setProperty("klpsim.cache.dir", cache.toString());
        long t0 = System.nanoTime();
        new Verify(sink).run(all.stream().map(Path::toString).toList());
        double totalMs = (System.nanoTime() - t0) / 1e6;
        long t2 = System.nanoTime();
        new Verify(sink).run(all.stream().map(Path::toString).toList());
        double againMs = (System.nanoTime() - t2) / 1e6;
        if (cacheBefore == null) System.clearProperty("klpsim.cache.dir");
        else System.setProperty("klpsim.cache.dir", cacheBefore);
        deleteTree(cache);
        long t1 = System.nanoTime();
        new Verify(sink).run(noJsh.stream().map(Path::toString).toList());
        double noJshMs = (System.nanoTime() - t1) / 1e6;
        row("replay all " + all.size() + " transcripts in one process (empty .jsh cache)", "as written", f1(totalMs), "ms");
        row("  the " + noJsh.size() + " that compile no Java (.jsh or java)", "as written", f1(noJshMs) + " (" + f1(noJshMs / noJsh.size()) + " each)", "ms");
        row("  all " + all.size() + " again in that process (modules compiled)", "as written", f1(againMs), "ms");
    }

    /** Whether a transcript compiles Java: a .jsh module or a `java` line. */
    private static boolean loadsJava(Path transcript) {
        try {
            String text = Files.readString(transcript);
            return text.contains(".jsh") || text.contains("\n% java ");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    // ---- 3. transition at scale ------------------------------------------------------------

    /** A patch module of {@code n} functions on bench_fn_{from}..: the same module API as every module. */
    private static ModuleSource patchModule(String name, int from, int n, boolean replace) {
        return new ModuleSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ModuleSpec instantiate() {
                ModuleBuilder m = new ModuleBuilder(name, true);
                Kernel k = m.kernel();
                for (int i = 0; i < n; i++) m.function("new_" + name + "_" + (from + i), c -> 0);
                m.init(() -> {
                    var p = k.patch().object(null);
                    for (int i = 0; i < n; i++) p.func("bench_fn_" + (from + i), "new_" + name + "_" + (from + i));
                    return k.klpEnablePatch(p.replace(replace).build());
                });
                return m.build();
            }
        };
    }

    /** A machine with {@code tasks} extra tasks (stacks 16-32 deep) and 2 x functions bench functions. */
    static Machine bigMachine(int tasks, int functions, long seed) {
        MachineOptions o = new MachineOptions();
        o.cpus = 2;
        Machine m = new Machine(o);
        m.trace.recording = false;
        List<Symbol> pool = new ArrayList<>();
        for (int i = 0; i < 2 * functions; i++) m.kallsyms.addVmlinux("bench_fn_" + i, 64, true, c -> 0);
        for (int i = 0; i < 2_000; i++) pool.add(m.kallsyms.addVmlinux("bench_other_" + i, 64, true, c -> 0));
        Random r = new Random(seed);
        List<Symbol> base = m.boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread");
        List<Symbol> sched = m.boot.frames("schedule");
        for (int i = 0; i < tasks; i++) {
            int depth = 16 + r.nextInt(17);
            List<Symbol> st = new ArrayList<>(base);
            while (st.size() < depth - 1) st.add(pool.get(r.nextInt(pool.size())));
            st.addAll(sched);
            // a realistic mix: mostly sleeping kthreads, some user tasks, a few running
            int kind = r.nextInt(100);
            TaskState state = kind < 2 ? TaskState.RUNNING : kind < 10 ? TaskState.UNINTERRUPTIBLE : TaskState.INTERRUPTIBLE;
            Task t = m.spawnKthread("bench/" + i, st, state);
            if (kind < 2) t.userLoop = true;
        }
        m.registerSource(patchModule("bench_patch_a", 0, functions, true));
        m.registerSource(patchModule("bench_patch_b", functions / 2, functions, true));
        return m;
    }

    /** One untimed round, so that the first row does not pay for class loading and the JIT. */
    private void warmUp(int functions) {
        for (int i = 0; i < 2; i++) {
            Machine m = bigMachine(1_000, functions, 41);
            m.modules.load(m.source("bench_patch_a").instantiate(), List.of());
            m.modules.load(m.source("bench_patch_b").instantiate(), List.of());
        }
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private void transition(int tasks, int functions) {
        Machine m = bigMachine(tasks, functions, 42);
        String size = String.format("%,d tasks x %,d functions", tasks, functions);
        long t0 = System.nanoTime();
        int ret = m.modules.load(m.source("bench_patch_a").instantiate(), List.of());
        double enableMs = (System.nanoTime() - t0) / 1e6;
        double attemptMs = m.klp.transition.lastAttemptWallNs / 1e6;
        boolean done = ret == 0 && m.klp.transition.transitionPatch() == null;
        t0 = System.nanoTime();
        int ret2 = m.modules.load(m.source("bench_patch_b").instantiate(), List.of());
        double replaceMs = (System.nanoTime() - t0) / 1e6;
        boolean replaced = ret2 == 0 && m.klp.core.klpPatches().size() == 1;
        long withMachine = heapAfterGc();
        java.lang.ref.Reference.reachabilityFence(m);
        m = null;
        long heap = withMachine - heapAfterGc();
        row("one transition attempt (every task checked)", size, f1(attemptMs), "ms");
        row("whole transition: insmod to 'patching complete'" + (done ? "" : " (DID NOT COMPLETE)"), size, f1(enableMs), "ms");
        row("replace by a cumulative patch (" + functions / 2 + " nops)" + (replaced ? "" : " (FAILED)"), size, f1(replaceMs), "ms");
        row("heap of that machine after GC", size, f1(heap / (1024.0 * 1024.0)), "MiB");
    }

    // ---- 4. dispatch ---------------------------------------------------------------------------

    private void dispatch() {
        Machine m = bigMachine(100, 100, 7);
        m.modules.load(m.source("bench_patch_a").instantiate(), List.of());
        Symbol fn = m.kallsyms.lookup(null, "bench_fn_0");
        Task t = m.shell;
        long calls = quick ? 5_000_000 : 20_000_000;
        double outside = bestOf(3, () -> callsPerSecond(m, t, fn, calls));
        // during a transition: a task that sleeps in bench_fn_0 stalls patch b; half the callers are still unpatched
        m.spawnSleeper("stall", false, List.of(m.kallsyms.lookup(null, "bench_fn_60")), false, 0);
        m.modules.load(m.source("bench_patch_b").instantiate(), List.of());
        Symbol fn2 = m.kallsyms.lookup(null, "bench_fn_60");
        Task old = m.task(1000);
        double during = bestOf(3, () -> (callsPerSecond(m, t, fn2, calls / 2) + callsPerSecond(m, old, fn2, calls / 2)) / 2);
        boolean inTransition = m.klp.transition.transitionPatch() != null;
        row("dispatch of a patched function, no transition", "func stack of 1", f1(outside / 1e6), "M calls/s");
        row("dispatch during a transition" + (inTransition ? "" : " (NOT IN TRANSITION)"), "per-task state check", f1(during / 1e6), "M calls/s");
    }

    private static double callsPerSecond(Machine m, Task t, Symbol fn, long n) {
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) m.call(t, fn, null);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    // ---- 5. shadow variables -------------------------------------------------------------------

    /**
     * A million live variables, then the calls a patched function makes (klp_shadow_get
     * with its module as the caller, as the module API calls it) and alloc + free pairs in
     * batches of 1,000, so the live count stays at the million the row names. Each is
     * measured with the event log off (the shadow table and its ledger alone) and on (a
     * session's default: every call is an event).
     */
    private void shadow(int live) {
        for (boolean recording : new boolean[] {false, true}) {
            Machine m = new Machine();
            m.trace.recording = recording;
            Shadow sh = m.klp.shadow;
            Object[] objs = new Object[live];
            for (int i = 0; i < live; i++) {
                objs[i] = new Object();
                sh.klpShadowAlloc(objs[i], 1, 8, null, null, "bench");
            }
            int ops = quick || recording ? 1_000_000 : 3_000_000;
            double get = 0, allocFree = 0;
            Object[] batch = new Object[1_000];
            for (int i = 0; i < batch.length; i++) batch[i] = new Object();
            for (int round = 0; round < 2; round++) {   // the first round warms the JIT
                Random r = new Random(1);
                long t0 = System.nanoTime();
                for (int i = 0; i < ops; i++) sh.klpShadowGet(objs[r.nextInt(live)], 1, "bench");
                get = ops / ((System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                for (int k = 0; k < ops / (2 * batch.length); k++) {
                    for (Object o : batch) sh.klpShadowAlloc(o, 2, 8, null, null, "bench");
                    for (Object o : batch) sh.klpShadowFree(o, 2, null, "bench");
                }
                allocFree = ops / ((System.nanoTime() - t0) / 1e9);
            }
            String size = String.format("%,d live variables", live) + (recording ? ", event log on" : "");
            row("shadow get", size, f1(get / 1e6), "M ops/s");
            row("shadow alloc + free", size, f1(allocFree / 1e6), "M ops/s");
        }
    }

    // ---- 6. .jsh load ------------------------------------------------------------------------

    private void jsh() {
        Path sample = Path.of("docs/examples/livepatch-sample.jsh");
        if (!Files.exists(sample)) {
            row(".jsh load", "-", "skipped", "(run from the project directory)");
            return;
        }
        // a text no cache and no earlier row has seen (a comment added), in an empty cache
        Path dir = tempDir();
        String cacheBefore = System.getProperty("klpsim.cache.dir");
        System.setProperty("klpsim.cache.dir", dir.resolve("cache").toString());
        double[] ms = new double[4];
        try {
            Path fresh = dir.resolve("livepatch-sample.jsh");
            Files.writeString(fresh, Files.readString(sample) + "// bench " + System.nanoTime() + "\n");
            for (int i = 0; i < ms.length; i++) {
                Machine m = new Machine();
                var src = dev.klpsim.jsh.JshLoader.source(fresh, m, e -> { });
                long t0 = System.nanoTime();
                m.modules.load(src.instantiate(), List.of());
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        } catch (java.io.IOException e) {
            row(".jsh load", "-", "failed", e.getMessage());
            return;
        } finally {
            if (cacheBefore == null) System.clearProperty("klpsim.cache.dir");
            else System.setProperty("klpsim.cache.dir", cacheBefore);
            deleteTree(dir);
        }
        row("first .jsh module load of a new source (compiled)", "livepatch-sample.jsh", f1(ms[0]), "ms");
        row("later .jsh module loads (best of 3)", "livepatch-sample.jsh", f1(Math.min(ms[1], Math.min(ms[2], ms[3]))), "ms");
    }
    // ---- 7. klp explore ------------------------------------------------------------------------

    /** The yardstick: depth 6 over the callbacks-demo family with one blocking task, on every core. */
    private void explore() {
        List<String> family = List.of("test_klp_callbacks_demo", "test_klp_callbacks_demo2", "test_klp_callbacks_mod", "test_klp_callbacks_busy");
        Machine m = new Machine(new MachineOptions());
        dev.klpsim.modules.BuiltinModules.registerAll(m);
        List<dev.klpsim.explore.Alphabet.Module> mods = new ArrayList<>();
        for (String n : family) mods.add(dev.klpsim.explore.Alphabet.module(m.source(n), "insmod test_modules/" + n + ".ko"));
        var alphabet = new dev.klpsim.explore.Alphabet(mods, List.of(dev.klpsim.explore.ExploreOptions.taskSpec("busymod_work_func", 0)), List.of());
        int threads = Runtime.getRuntime().availableProcessors();
        var r = new dev.klpsim.explore.Explorer(m, alphabet, threads, null).exhaustive(6, false, null);
        String size = "callbacks family, 1 task, " + threads + " threads";
        String clean = r.found().isEmpty() ? "" : " (FOUND A VIOLATION)";
        row("explore --depth 6: states" + clean, size, String.format("%,d", r.states()), "states");
        row("  distinct states", size, String.format("%,d", r.distinct()), "states");
        row("  time", size, f1(r.elapsedNs() / 1e9), "s");
        row("  rate", size, String.format("%,.0f", r.statesPerSecond()), "states/s");
    }
}
