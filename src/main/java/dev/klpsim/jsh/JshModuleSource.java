package dev.klpsim.jsh;

import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Printk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A module written as a .jsh source: Java statements against the module API, with `m` (the
 * ModuleBuilder) and `k` (the Kernel) bound. The module name is the file name without
 * .jsh, dashes turned into underscores, as the kernel names .ko modules.
 */
public final class JshModuleSource implements ModuleSource {
    private final Path path;
    private final String name;
    private final Machine machine;
    private final Consumer<String> errors;
    /** The parameters of the last evaluation, for completion (which must not run JShell). */
    private volatile List<String> paramNames = List.of();

    public JshModuleSource(Path path, Machine machine, Consumer<String> errors) {
        this.path = path;
        this.machine = machine;
        this.errors = errors;
        String base = path.getFileName().toString();
        this.name = base.substring(0, base.length() - ".jsh".length()).replace('-', '_');
    }

    public static boolean isSource(String file) {
        return file.endsWith(".jsh");
    }

    @Override
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    public List<String> paramNames() {
        return paramNames;
    }

    /**
     * Evaluates the source into a fresh spec. A file that cannot be read is ENOENT; a
     * source that does not compile or throws at top level is ENOEXEC ("Invalid module
     * format"), with the error already reported through {@code errors}.
     */
    @Override
    public ModuleSpec instantiate() {
        String source;
        try {
            source = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new KernelError(Errno.ENOENT);
        }
        ModuleBuilder b = new ModuleBuilder(name, false);
        String file = path.toString();
        JshEvaluator ev = JshLoader.evaluator(file, source);
        b.guard(new ModuleBuilder.Guard() {
            @Override
            public int guardInt(String what, java.util.function.IntSupplier code) {
                try {
                    return code.getAsInt();
                } catch (RuntimeException | LinkageError | StackOverflowError e) {
                    report(what, e);
                    return Errno.EINVAL.neg();
                }
            }

            @Override
            public void guardVoid(String what, Runnable code) {
                try {
                    code.run();
                } catch (RuntimeException | LinkageError | StackOverflowError e) {
                    report(what, e);
                }
            }

            private void report(String what, Throwable e) {
                int line = ev.locate(e, 0);
                machine.printk.log(Printk.KERN_ERR, name + ": " + what + " threw " + e.getClass().getName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " at " + file + ":" + line + " (returning -EINVAL)");
            }
        });
        synchronized (JshBridge.class) {
            JshBridge.set(b, machine);
            try {
                ev.prelude(JshEvaluator.PRELUDE + "ModuleBuilder m = dev.klpsim.jsh.JshBridge.builder();\nKernel k = m.kernel();\n");
                ev.evalFile(source);
            } catch (JshEvaluator.SourceError e) {
                errors.accept(e.getMessage());
                throw new KernelError(Errno.ENOEXEC);
            } finally {
                JshBridge.set(null, null);
                ev.close();
            }
        }
        ModuleSpec spec = b.build();
        // as given, not absolute: a transcript must not depend on where the project is checked out
        spec.filename = path.normalize().toString();
        paramNames = spec.params.stream().map(p -> p.name).toList();
        return spec;
    }
}
