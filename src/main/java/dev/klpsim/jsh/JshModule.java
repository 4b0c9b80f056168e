package dev.klpsim.jsh;

import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Machine;

/**
 * A .jsh module ready to load: the compiled form of one source text, reusable on any
 * machine of this process (a load never compiles again; see {@link JshLoader#module}).
 */
public sealed interface JshModule permits CompiledJsh, EvaluatedJsh {
    /** One load of the module: the line of the file an exception from its code came from. */
    interface Instance {
        /** The file line of the innermost frame of this module's code, or 0. */
        int line(Throwable t);
    }

    /**
     * Runs the file's top-level code for one load, declaring into {@code b} on {@code m}.
     * {@code file} is the path as the user gave it, for messages.
     */
    Instance instantiate(String file, ModuleBuilder b, Machine m) throws JshEvaluator.SourceError;

    /** The source line {@code line} (1-based) for error context, indented, or "". */
    static String context(String source, int line) {
        String[] lines = source.split("\n", -1);
        if (line < 1 || line > lines.length) return "";
        return "    " + lines[line - 1].stripTrailing();
    }
}
