package dev.klpsim.jsh;

import dev.klpsim.kernel.Machine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Finds .jsh modules (a path, or a name in the module path) and turns sources into loadable
 * modules: from this process's memo, else the disk cache, else compiled (one javac
 * invocation, the compiler kept warm), else evaluated by JShell.
 */
public final class JshLoader {
    private JshLoader() {}

    /** Source key -> module, for this process: a source loaded again, on any machine, is not compiled again. */
    private static final Map<String, JshModule> memo = new ConcurrentHashMap<>();

    /** How the modules of this process were obtained, for the bench and the tests. */
    public static final AtomicInteger memoHits = new AtomicInteger(), diskHits = new AtomicInteger(),
            compiled = new AtomicInteger(), evaluated = new AtomicInteger();

    /**
     * The module for this source text. The same text under the same module name gives the
     * same module (compiled at most once per process, and at most once per machine with the
     * disk cache). A source that does not compile gives a module that reports the error
     * through JShell when instantiated; it is never stored.
     */
    public static JshModule module(String name, String source) {
        String simple = javaName(name);
        String className = "jsh." + simple;
        String key = JshCache.key(className, source);
        JshModule m = memo.get(key);
        if (m != null) {
            memoHits.incrementAndGet();
            return m;
        }
        synchronized (lock(key)) {
            m = memo.get(key);
            if (m != null) {
                memoHits.incrementAndGet();
                return m;
            }
            CompiledJsh c = JshCache.read(key, source);
            if (c != null) diskHits.incrementAndGet();
            else {
                c = compile(className, source);
                if (c != null) {
                    compiled.incrementAndGet();
                    JshCache.write(key, c);
                }
            }
            if (c != null) m = c;
            else {
                evaluated.incrementAndGet();
                m = new EvaluatedJsh(source);
            }
            memo.put(key, m);
            return m;
        }
    }

    private static final Map<String, Object> locks = new ConcurrentHashMap<>();

    private static Object lock(String key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    /** The one-class compilation, or null when the file needs JShell (or has an error: JShell words it). */
    static CompiledJsh compile(String className, String source) {
        JshCompiler javac = JshCompiler.get();
        if (javac == null) return null;
        int dot = className.lastIndexOf('.');
        String java;
        try {
            java = JshTranslator.translate(className.substring(0, dot), className.substring(dot + 1), source, javac);
        } catch (RuntimeException e) {
            return null;
        }
        if (java == null) return null;
        JshCompiler.Output out = javac.compile(className, java);
        return out.classes() == null ? null : new CompiledJsh(className, out.classes(), source);
    }

    /** Compiles a module without storing it (the class-data archive's training run). */
    public static boolean compileForTraining(String name, String source) {
        return compile("jsh." + javaName(name), source) != null;
    }

    /** The module name as a Java identifier, for its class (a file name may hold any character). */
    static String javaName(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(i == 0 ? (Character.isJavaIdentifierStart(c) ? c : '_') : (Character.isJavaIdentifierPart(c) ? c : '_'));
        }
        return b.length() == 0 ? "module" : b.toString();
    }

    /**
     * Warms the compiler on a daemon thread (a user at the prompt leaves the CPU idle): the
     * first .jsh load then costs what a later one does. Compiles a small module, stores nothing.
     */
    public static void warmUpInBackground() {
        if ("off".equals(System.getenv("KLPSIM_JSH_WARMUP"))) return;
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(300);   // after the prompt is drawn
                // stops once the user loads a module: the compiler is in use, and warm
                for (int i = 0; i < 3 && memo.isEmpty(); i++) compile("jsh.warm_up", WARM_UP);
            } catch (InterruptedException | RuntimeException | LinkageError e) {
                // warming is best effort
            }
        }, "klpsim-jsh-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static final String WARM_UP = """
            // what a .jsh livepatch looks like, for warming the compiler
            m.livepatch();
            m.description("warm-up");
            final long SV = 1;
            int calls(KlpObject o) { return o == null ? 0 : 1; }
            m.function("warm_up_show", c -> { c.seqPrintf("warm\n"); return 0; });
            m.init(() -> k.klpEnablePatch(k.patch().object(null).func("cmdline_proc_show", "warm_up_show")
                    .prePatch(o -> calls(o)).build()));
            """;

    /** Nanoseconds the first and the latest evaluator took to start, for the docs and the bench. */
    public static volatile long firstStartNs = -1, lastStartNs = -1;

    static JshEvaluator evaluator(String file, String source) {
        long t0 = System.nanoTime();
        JshEvaluator ev = new JshEvaluator(file, source);
        long dt = System.nanoTime() - t0;
        if (firstStartNs < 0) firstStartNs = dt;
        lastStartNs = dt;
        return ev;
    }

    /** The directories of KLPSIM_MODULE_PATH and --module-path, in that order. */
    public static List<Path> modulePath(List<String> extra) {
        List<Path> out = new ArrayList<>();
        String env = System.getenv("KLPSIM_MODULE_PATH");
        if (env != null) for (String d : env.split(File.pathSeparator)) if (!d.isBlank()) out.add(Path.of(d));
        for (String d : extra) out.add(Path.of(d));
        return out;
    }

    /** NAME.jsh (or with dashes for underscores) in the module path, or null. */
    public static Path find(List<Path> dirs, String name) {
        for (Path d : dirs) {
            for (String f : new String[] {name + ".jsh", name.replace('_', '-') + ".jsh"}) {
                Path p = d.resolve(f);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    public static JshModuleSource source(Path p, Machine m, java.util.function.Consumer<String> errors) {
        return new JshModuleSource(p, m, errors);
    }

    /** A .jsh module read from {@code p} and named {@code shown}: the path as typed, which resolved to p. */
    public static JshModuleSource source(Path p, String shown, Machine m, java.util.function.Consumer<String> errors) {
        return new JshModuleSource(p, shown, m, errors);
    }
}
