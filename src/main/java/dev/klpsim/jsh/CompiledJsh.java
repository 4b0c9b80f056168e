package dev.klpsim.jsh;

import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Machine;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A module compiled to one class (and its nested classes) by {@link JshTranslator}: each
 * load defines the classes in a fresh class loader and initialises the main class, which
 * runs the file's top-level code; nothing is compiled again. Lines in the bytecode are the
 * file's lines.
 */
final class CompiledJsh implements JshModule {
    private static final AtomicLong loads = new AtomicLong();

    final String className;
    final Map<String, byte[]> classes;
    private final String source;

    CompiledJsh(String className, Map<String, byte[]> classes, String source) {
        this.className = className;
        this.classes = Map.copyOf(classes);
        this.source = source;
    }

    /**
     * The classes as each load defines them: instrumented so that Ctrl-C can stop the
     * module's code (and its System.exit cannot end klpsim), once for every load (explore
     * and forks load the same module thousands of times).
     */
    private volatile Map<String, byte[]> instrumented;

    private Map<String, byte[]> instrumented() {
        Map<String, byte[]> i = instrumented;
        if (i == null) {
            Map<String, byte[]> all = new java.util.HashMap<>();
            for (var e : classes.entrySet()) all.put(e.getKey(), Instrument.apply(e.getValue()));
            instrumented = i = Map.copyOf(all);
        }
        return i;
    }

    private static final class Loader extends ClassLoader {
        private final Map<String, byte[]> classes;

        Loader(String name, Map<String, byte[]> classes) {
            super(name, CompiledJsh.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name);
            if (b == null) throw new ClassNotFoundException(name);
            return defineClass(name, b, 0, b.length);
        }
    }

    @Override
    public Instance instantiate(String file, ModuleBuilder b, Machine m) throws JshEvaluator.SourceError {
        // the loader's name tells this load's frames from those of another load of the same class
        String loaderName = UserCode.MODULE_LOADER_PREFIX + loads.incrementAndGet();
        Loader loader = new Loader(loaderName, instrumented());
        Instance where = t -> line(t, loaderName);
        // the class initializer (the file's top-level code) reads b and m on this thread
        Object[] outer = JshBridge.enterLoading(b, m);
        try {
            Class.forName(className, true, loader);
        } catch (ExceptionInInitializerError e) {
            throw topLevel(file, e.getCause() == null ? e : e.getCause(), where);
        } catch (UserCode.Interrupted e) {
            UserCode.consumeUserStop();
            int line = where.line(e);
            throw new JshEvaluator.SourceError(file + ":" + line + ": stopped by Ctrl-C\n" + JshModule.context(source, line));
        } catch (UserCode.ExitCalled e) {
            int line = where.line(e);
            throw new JshEvaluator.SourceError(file + ":" + line + ": " + e.getMessage() + "\n" + JshModule.context(source, line));
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // an Error a top-level statement threw passes the initializer unwrapped
            throw topLevel(file, e, where);
        } finally {
            JshBridge.leaveLoading(outer);
        }
        return where;
    }

    private JshEvaluator.SourceError topLevel(String file, Throwable t, Instance where) {
        int line = where.line(t);
        if (UserCode.stopPending()) {
            // what a sleep or wait cut short by Ctrl-C throws: the stop itself
            UserCode.consumeUserStop();
            return new JshEvaluator.SourceError(file + ":" + line + ": stopped by Ctrl-C\n" + JshModule.context(source, line));
        }
        return new JshEvaluator.SourceError(file + ":" + line + ": exception " + t.getClass().getName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()) + "\n" + JshModule.context(source, line));
    }

    private int line(Throwable t, String loaderName) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (!loaderName.equals(f.getClassLoaderName())) continue;
            if (f.getClassName().equals(className) || f.getClassName().startsWith(className + "$"))
                if (f.getLineNumber() > 0) return f.getLineNumber();
        }
        return 0;
    }
}
