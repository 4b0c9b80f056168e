package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The virtual file tree (/sys, /proc, /dev, the working directory). Directories may be
 * static, dynamic (children computed from kernel state at lookup), or both.
 */
public final class Vfs {
    /** A file or directory. */
    public abstract static sealed class Node permits Dir, File {
        /** Permission bits, e.g. 0644. */
        public final int perm;
        /** Where the node was last looked up, and whose journal a read or write goes into. */
        String path;
        Journal journal;

        Node(int perm) {
            this.perm = perm;
        }

        public abstract boolean isDir();

        /** ls -l / stat %A form, e.g. {@code -rw-r--r--}. */
        public String modeString() {
            StringBuilder sb = new StringBuilder(isDir() ? "d" : "-");
            String rwx = "rwxrwxrwx";
            for (int i = 0; i < 9; i++) sb.append((perm & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
            return sb.toString();
        }
    }

    /** Reads a file; throws KernelError for errors such as -EACCES. */
    @FunctionalInterface
    public interface Reader {
        String read();
    }

    /** A sysfs/procfs store: returns 0 or a negative errno. */
    @FunctionalInterface
    public interface Writer {
        int write(String data, boolean append);
    }

    public static final class File extends Node {
        final Reader reader;
        final Writer writer;
        /** Executable programs the shell can start (e.g. ./test_klp-call_getpid). */
        public final String program;

        public File(int perm, Reader reader, Writer writer) {
            this(perm, reader, writer, null);
        }

        public File(int perm, Reader reader, Writer writer, String program) {
            super(perm);
            this.reader = reader;
            this.writer = writer;
            this.program = program;
        }

        @Override
        public boolean isDir() {
            return false;
        }

        public boolean readable() {
            return (perm & 0444) != 0 && reader != null;
        }

        public boolean writable() {
            return (perm & 0222) != 0 && writer != null;
        }

        /** read(2); a journal entry, since a read may run kernel code (a seq_file show function). */
        public String read() {
            if (!readable()) throw new KernelError(Errno.EACCES);
            if (journal == null || path == null) return reader.read();
            return journal.record(new Journal.Read(path), reader::read);
        }

        public int write(String data, boolean append) {
            if (!writable()) return Errno.EACCES.neg();
            if (journal == null) return writer.write(data, append);
            Journal.Action a = path != null ? new Journal.Write(path, data, append) : new Journal.Unreplayable("a write to a file the journal cannot name");
            return journal.record(a, () -> writer.write(data, append));
        }
    }

    public static final class Dir extends Node {
        private final Map<String, Node> fixed = new TreeMap<>();
        private final List<Supplier<Map<String, Node>>> dynamic = new ArrayList<>();

        public Dir() {
            this(0755);
        }

        public Dir(int perm) {
            super(perm);
        }

        @Override
        public boolean isDir() {
            return true;
        }

        public Dir put(String name, Node n) {
            fixed.put(name, n);
            return this;
        }

        public void remove(String name) {
            fixed.remove(name);
        }

        /** A child directory, created when missing. */
        public Dir dir(String name) {
            Node n = fixed.get(name);
            if (n instanceof Dir d) return d;
            Dir d = new Dir();
            fixed.put(name, d);
            return d;
        }

        public Dir addDynamic(Supplier<Map<String, Node>> children) {
            dynamic.add(children);
            return this;
        }

        /** All children, sorted by name. */
        public Map<String, Node> children() {
            Map<String, Node> all;
            if (dynamic.isEmpty()) all = Collections.unmodifiableMap(fixed);
            else {
                all = new TreeMap<>(fixed);
                for (Supplier<Map<String, Node>> s : dynamic) all.putAll(s.get());
            }
            if (path != null) for (var e : all.entrySet()) stamp(e.getValue(), (path.equals("/") ? "" : path) + "/" + e.getKey(), journal);
            return all;
        }

        public Node child(String name) {
            Node n = fixed.get(name);
            if (n != null) return n;
            for (Supplier<Map<String, Node>> s : dynamic) {
                n = s.get().get(name);
                if (n != null) return n;
            }
            return null;
        }
    }

    public final Dir root = new Dir();
    private String cwd = "/root";
    /** Set by the machine: reads and writes of files, and cd, are recorded in it. */
    Journal journal;

    private static void stamp(Node n, String path, Journal journal) {
        n.path = path;
        n.journal = journal;
    }

    public String cwd() {
        return cwd;
    }

    public void setCwd(String path) {
        String abs = normalize(path);
        if (journal == null) cwd = abs;
        else journal.record(new Journal.Chdir(abs), () -> {
            cwd = abs;
        });
    }

    /** Makes an absolute, normalised path ({@code .} and {@code ..} resolved, slashes folded). */
    public String normalize(String path) {
        String p = path.startsWith("/") ? path : cwd + "/" + path;
        List<String> parts = new ArrayList<>();
        for (String s : p.split("/")) {
            if (s.isEmpty() || s.equals(".")) continue;
            if (s.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1);
            } else parts.add(s);
        }
        return "/" + String.join("/", parts);
    }

    /** Looks a path up; throws KernelError(ENOENT/ENOTDIR). */
    public Node resolve(String path) {
        String abs = normalize(path);
        Node n = root;
        if (abs.equals("/")) {
            stamp(n, abs, journal);
            return n;
        }
        for (String s : abs.substring(1).split("/")) {
            if (!(n instanceof Dir d)) throw new KernelError(Errno.ENOTDIR);
            n = d.child(s);
            if (n == null) throw new KernelError(Errno.ENOENT);
        }
        // a trailing slash on a file is ENOTDIR, as on Linux
        if (path.endsWith("/") && !n.isDir()) throw new KernelError(Errno.ENOTDIR);
        stamp(n, abs, journal);
        return n;
    }

    /** resolve() that returns null instead of throwing. */
    public Node find(String path) {
        try {
            return resolve(path);
        } catch (KernelError e) {
            return null;
        }
    }

    /** Whether a path lies in the simulated tree (as opposed to the host's files). */
    public boolean isVirtual(String path) {
        String abs = normalize(path);
        if (abs.equals("/")) return true;
        String top = abs.substring(1).split("/")[0];
        return root.child(top) != null;
    }
}
