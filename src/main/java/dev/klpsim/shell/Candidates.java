package dev.klpsim.shell;

import dev.klpsim.jsh.JshModuleSource;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.livepatch.KlpPatch;
import org.jline.reader.Candidate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Completion candidates read from the live machine each time Tab is pressed. picocli
 * creates them through {@link PicocliCommand.Factory}, which hands them the shell; the
 * kernel-style commands' completers use the same lists.
 */
final class Candidates {
    private Candidates() {}

    /** A list computed on each iteration. */
    abstract static class Live implements Iterable<String> {
        final Shell sh;

        Live(Shell sh) {
            this.sh = sh;
        }

        abstract List<String> list();

        @Override
        public Iterator<String> iterator() {
            return list().iterator();
        }
    }

    /** Patches in /sys/kernel/livepatch. */
    static final class Patches extends Live {
        Patches(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            return sh.machine().klp.core.registeredPatches().stream().map(KlpPatch::name).toList();
        }
    }

    /** Every module modprobe finds by name (built-in and .jsh ones already seen). */
    static class Modules extends Live {
        Modules(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            return new ArrayList<>(sh.machine().sources().keySet());
        }
    }

    /** A module's name, or a .jsh module file on the host (what insmod, klp preview and klp explore take). */
    static final class ModulesOrJshFiles extends Modules implements PicocliCommand.WordCandidates {
        ModulesOrJshFiles(Shell sh) {
            super(sh);
        }

        @Override
        public void complete(String head, String word, List<Candidate> out) {
            if (word.indexOf('/') < 0) for (String m : list()) out.add(new Candidate(head + m, m, null, null, null, null, true));
            hostFiles(sh, head, word, out, f -> JshModuleSource.isSource(f) || dev.klpsim.c.CModuleSource.isSource(f));
        }
    }

    /** What klp enable takes: a patch, or a module to load. */
    static final class PatchesAndModules extends Live {
        PatchesAndModules(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            Set<String> s = new LinkedHashSet<>(new Patches(sh).list());
            s.addAll(new Modules(sh).list());
            return new ArrayList<>(s);
        }
    }

    /** Loaded modules, as lsmod lists them. */
    static final class Loaded extends Live {
        Loaded(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            return sh.machine().modules.list().stream().map((Module mod) -> mod.name).toList();
        }
    }

    /** Tasks made by task spawn. */
    static final class SpawnedPids extends Live {
        SpawnedPids(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            return pids(sh, true);
        }
    }

    static List<String> pids(Shell sh, boolean spawnedOnly) {
        List<String> out = new ArrayList<>();
        for (Task t : sh.machine().tasks())
            if (spawnedOnly ? t.spawned : (!t.isKthread() && t.pid >= 1000)) out.add(Integer.toString(t.pid));
        return out;
    }

    /** Functions some patch replaces. */
    static final class PatchedFunctions extends Live {
        PatchedFunctions(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            Set<String> s = new java.util.TreeSet<>();
            sh.machine().klp.patch.allOps().forEach(o -> s.add(o.oldFunc.name));
            return new ArrayList<>(s);
        }
    }

    /** kallsyms functions ftrace can hook: what a task's stack can be made of. */
    static final class Functions extends Live {
        Functions(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            Set<String> s = new LinkedHashSet<>();
            for (Symbol sym : sh.machine().kallsyms.all()) if (sym.traceable) s.add(sym.name);
            return new ArrayList<>(s);
        }
    }

    /**
     * A file on the host (HostPaths): record FILE, trace export FILE, snapshot load FILE. The
     * names depend on the word typed, so the plain list is empty (picocli's help shows none).
     */
    static final class HostFiles implements Iterable<String>, PicocliCommand.WordCandidates {
        private final Shell sh;

        HostFiles(Shell sh) {
            this.sh = sh;
        }

        @Override
        public Iterator<String> iterator() {
            return java.util.Collections.emptyIterator();
        }

        @Override
        public void complete(String head, String word, List<Candidate> out) {
            hostFiles(sh, head, word, out, n -> true);
        }
    }

    /**
     * Host names in the directory {@code word} is in, relative ones from the shell's host
     * directory (klpsim's start directory: Shell.hostPath); directories end in '/' and take no space after them, files
     * only when {@code files} accepts their name.
     */
    static void hostFiles(Shell sh, String head, String word, List<Candidate> out, Predicate<String> files) {
        int slash = word.lastIndexOf('/');
        String prefix = slash < 0 ? "" : word.substring(0, slash + 1);
        Path dir;
        try {
            dir = sh.hostDir().resolve(prefix.isEmpty() ? "." : prefix).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return;
        }
        try (var s = Files.list(dir)) {
            s.limit(2000).forEach(p -> {
                String name = p.getFileName().toString();
                boolean isDir = Files.isDirectory(p);
                if (!isDir && !files.test(name)) return;
                String shown = name + (isDir ? "/" : "");
                out.add(new Candidate(head + prefix + shown, shown, null, null, null, null, !isDir));
            });
        } catch (IOException | RuntimeException e) {
            // an unreadable or missing directory offers nothing, as bash's completion does
        }
    }

    /** Trace categories. */
    static final class TraceCategories implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.Arrays.stream(dev.klpsim.kernel.Trace.Category.values()).map(dev.klpsim.kernel.Trace.Category::label).iterator();
        }
    }

    /** Command names, for help. */
    static final class CommandNames extends Live {
        CommandNames(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            return sh.commandNames();
        }
    }

    /** A module's parameters (NAME=) after the module: the first positional word. */
    static final class ModuleParams extends Live implements PicocliCommand.ContextCandidates {
        ModuleParams(Shell sh) {
            super(sh);
        }

        @Override
        List<String> list() {
            return List.of();
        }

        @Override
        public Iterable<String> candidates(List<String> positionals) {
            return positionals.isEmpty() ? List.of() : params(sh, positionals.get(0));
        }
    }

    static List<String> params(Shell sh, String module) {
        var src = sh.machine().source(KmodCommands.moduleName(module));
        if (src == null) return List.of();
        try {
            return src.instantiate().params.stream().map(p -> p.name + "=").toList();
        } catch (RuntimeException e) {
            return List.of(); // a module that cannot be built has no parameters to offer
        }
    }
}
