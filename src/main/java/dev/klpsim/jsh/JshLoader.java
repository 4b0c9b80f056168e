package dev.klpsim.jsh;

import dev.klpsim.kernel.Machine;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds .jsh modules (a path, or a name in the module path) and times JShell's start. */
public final class JshLoader {
    private JshLoader() {}

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
}
