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
    /** The file as the user named it: what messages and modinfo's filename show. */
    private final String shown;
    private final String name;
    private final Machine machine;
    private final Consumer<String> errors;
    /** The parameters of the last evaluation, for completion (which must not run JShell). */
    private volatile List<String> paramNames = List.of();

    public JshModuleSource(Path path, Machine machine, Consumer<String> errors) {
        this(path, path.toString(), machine, errors);
    }

    /** Reads {@code path}; names it {@code shown} (the path as typed, which resolved to it). */
    public JshModuleSource(Path path, String shown, Machine machine, Consumer<String> errors) {
        this.path = path;
        this.shown = shown;
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
    /** The module the last load ran (null before the first): replay it with {@link #of}. */
    public JshModule lastModule() {
        return lastModule;
    }

    private volatile JshModule lastModule;
    private JshModule fixed;

    /**
     * A source that loads exactly {@code module} on {@code machine}, without reading the file
     * or compiling: for replaying a load on another machine.
     */
    public static JshModuleSource of(JshModule module, Path path, Machine machine, Consumer<String> errors) {
        return of(module, path, path.toString(), machine, errors);
    }

    static JshModuleSource of(JshModule module, Path path, String shown, Machine machine, Consumer<String> errors) {
        JshModuleSource s = new JshModuleSource(path, shown, machine, errors);
        s.fixed = module;
        return s;
    }

    /**
     * A fresh spec for one load: the file's top-level code run into a new builder. A file
     * that cannot be read is ENOENT; a source that does not compile or throws at top level
     * is ENOEXEC ("Invalid module format"), with the error already reported through
     * {@code errors}. The compiled form is reused (see {@link JshLoader#module}).
     */
    @Override
    public ModuleSpec instantiate() {
        JshModule module = fixed;
        if (module == null) {
            String source;
            try {
                source = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new KernelError(Errno.ENOENT);
            }
            module = JshLoader.module(name, source);
        }
        ModuleBuilder b = new ModuleBuilder(name, false);
        String file = shown;
        JshModule.Instance[] where = new JshModule.Instance[1];
        b.guard(new ModuleBuilder.Guard() {
            @Override
            public int guardInt(String what, java.util.function.IntSupplier code) {
                try {
                    int ret = code.getAsInt();
                    return stoppedOnReturn(what) ? Errno.EINVAL.neg() : ret;
                } catch (RuntimeException | LinkageError | StackOverflowError | UserCode.Interrupted | UserCode.ExitCalled e) {
                    report(what, e);
                    return Errno.EINVAL.neg();
                }
            }

            @Override
            public void guardVoid(String what, Runnable code) {
                try {
                    code.run();
                    stoppedOnReturn(what);
                } catch (RuntimeException | LinkageError | StackOverflowError | UserCode.Interrupted | UserCode.ExitCalled e) {
                    report(what, e);
                }
            }

            /**
             * Ctrl-C came while the code ran and it returned anyway (it caught the
             * InterruptedException of a sleep the interrupt cut short): it was stopped all the same.
             */
            private boolean stoppedOnReturn(String what) {
                if (!UserCode.stopPending()) return false;
                report(what, new UserCode.Interrupted());
                return true;
            }

            private void report(String what, Throwable e) {
                int line = where[0] == null ? 0 : where[0].line(e);
                // an exception the interrupt of Ctrl-C caused (InterruptedException, say) is the stop
                if (UserCode.stopPending()) e = new UserCode.Interrupted();
                // the machine the module is loaded on: a copy of a machine loads it from this same source
                Machine on = b.kernel().module() != null ? b.kernel().machine() : machine;
                // stopped by Ctrl-C or System.exit: the callback fails as if it had thrown
                if (e instanceof UserCode.Interrupted) UserCode.consumeUserStop();
                if (e instanceof UserCode.Interrupted || e instanceof UserCode.ExitCalled) {
                    on.printk.log(Printk.KERN_ERR, name + ": " + what + (e instanceof UserCode.Interrupted ? " stopped by Ctrl-C" : " called " + e.getMessage().replace("; klpsim keeps running", ""))
                            + " at " + file + (line > 0 ? ":" + line : "") + " (returning -EINVAL)");
                    return;
                }
                String text = name + ": " + what + " threw " + e.getClass().getName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + " at " + file + ":" + line + " (returning -EINVAL)";
                on.faults.report(dev.klpsim.kernel.Faults.Kind.MODULE_EXCEPTION, name, text);
                on.printk.log(Printk.KERN_ERR, text);
            }
        });
        try {
            where[0] = module.instantiate(file, b, machine);
        } catch (JshEvaluator.SourceError e) {
            errors.accept(e.getMessage());
            throw new KernelError(Errno.ENOEXEC);
        }
        lastModule = module;
        ModuleSpec spec = b.build();
        // as given, not absolute: a transcript must not depend on where the project is checked out
        spec.filename = Path.of(shown).normalize().toString();
        // a copy of the machine loads this very module again, whatever the file holds by then
        spec.origin = fixed != null ? this : of(module, path, shown, machine, errors);
        paramNames = spec.params.stream().map(p -> p.name).toList();
        return spec;
    }
}
