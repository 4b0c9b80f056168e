package dev.klpsim.jsh;

import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads JShell snippet classes in this JVM with klpsim's own class loader as parent, so a
 * .jsh module sees the very classes the simulator runs on (not a second copy). Every
 * snippet class is instrumented ({@link Instrument}) so that Ctrl-C can stop it.
 */
final class HostLoaderDelegate implements LoaderDelegate {
    private final SnippetLoader loader;
    private final Map<String, Class<?>> loaded = new HashMap<>();

    private static final class SnippetLoader extends URLClassLoader {
        private final Map<String, byte[]> bytes = new HashMap<>();

        SnippetLoader(ClassLoader parent) {
            super(UserCode.SNIPPET_LOADER, new URL[0], parent); // named: Ctrl-C tells snippet frames by it
        }

        void declare(String name, byte[] code) {
            bytes.put(name, code);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = bytes.get(name);
            if (b == null) return super.findClass(name);
            return defineClass(name, b, 0, b.length);
        }

        void addUrl(URL u) {
            addURL(u);
        }
    }

    HostLoaderDelegate(ClassLoader parent) {
        this.loader = new SnippetLoader(parent);
    }

    @Override
    public void load(ClassBytecodes[] cbcs) throws ExecutionControl.ClassInstallException, ExecutionControl.EngineTerminationException {
        boolean[] ok = new boolean[cbcs.length];
        for (ClassBytecodes c : cbcs) loader.declare(c.name(), Instrument.apply(c.bytecodes()));
        for (int i = 0; i < cbcs.length; i++) {
            try {
                loaded.put(cbcs[i].name(), loader.loadClass(cbcs[i].name()));
                ok[i] = true;
            } catch (ClassNotFoundException | LinkageError e) {
                throw new ExecutionControl.ClassInstallException("load failed: " + e, ok);
            }
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] cbcs) {
        for (ClassBytecodes c : cbcs) loader.declare(c.name(), Instrument.apply(c.bytecodes()));
    }

    @Override
    public void addToClasspath(String path) throws ExecutionControl.InternalException {
        try {
            for (String p : path.split(java.io.File.pathSeparator)) loader.addUrl(java.nio.file.Path.of(p).toUri().toURL());
        } catch (Exception e) {
            throw new ExecutionControl.InternalException(e.toString());
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = loaded.get(name);
        if (c == null) throw new ClassNotFoundException(name + " not found");
        return c;
    }
}
