package dev.klpsim.jsh;

import dev.klpsim.Sim;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compiled-module cache: keyed by content, atomic, corruption-proof, never storing errors. */
class JshCacheTest {
    @TempDir
    Path tmp;
    private String before;

    @BeforeEach
    void ownCache() {
        before = System.getProperty("klpsim.cache.dir");
        System.setProperty("klpsim.cache.dir", tmp.resolve("cache").toString());
    }

    @AfterEach
    void restore() {
        if (before == null) System.clearProperty("klpsim.cache.dir");
        else System.setProperty("klpsim.cache.dir", before);
    }

    /** A module source no other test has loaded (the process memo is keyed by content). */
    private static String unique(String body) {
        return "// " + UUID.randomUUID() + "\n" + body;
    }

    private List<Path> entries() throws Exception {
        Path dir = tmp.resolve("cache").resolve("jsh");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private ModuleSpec load(Path file, Machine m, List<String> errors) {
        return new JshModuleSource(file, m, errors::add).instantiate();
    }

    @Test
    void aCompiledModuleIsStoredAndReadBackWithoutCompiling() throws Exception {
        String src = unique("m.livepatch();\nm.description(\"cached\");\n");
        Path f = tmp.resolve("cached-mod.jsh");
        Files.writeString(f, src);
        int compiled = JshLoader.compiled.get();
        ModuleSpec spec = load(f, new Machine(), new ArrayList<>());
        assertEquals("cached", spec.modinfo.get("description"));
        assertEquals(compiled + 1, JshLoader.compiled.get(), "compiled once");
        assertEquals(1, entries().size());
        assertTrue(entries().get(0).toString().endsWith(".jshc"));

        // what another process finds: the entry on disk, not this process's memo
        CompiledJsh fromDisk = JshCache.read(JshCache.key("jsh.cached_mod", src), src);
        assertNotNull(fromDisk);
        ModuleSpec again = JshModuleSource.of(fromDisk, f, new Machine(), e -> { }).instantiate();
        assertEquals("cached", again.modinfo.get("description"));
    }

    @Test
    void aCorruptEntryIsIgnoredAndRewritten() throws Exception {
        String src = unique("m.livepatch();\nm.description(\"corrupt\");\n");
        String key = JshCache.key("jsh.corrupt_mod", src);
        CompiledJsh c = JshLoader.compile("jsh.corrupt_mod", src);
        assertNotNull(c);
        JshCache.write(key, c);
        Path entry = entries().get(0);
        byte[] b = Files.readAllBytes(entry);
        b[b.length / 2] ^= 0x40;   // one flipped bit in the class bytes
        Files.write(entry, b);
        assertNull(JshCache.read(key, src), "a corrupt entry is never trusted");
        Files.write(entry, new byte[] {1, 2, 3});   // a truncated one neither
        assertNull(JshCache.read(key, src));

        Path f = tmp.resolve("corrupt-mod.jsh");
        Files.writeString(f, src);
        int compiled = JshLoader.compiled.get();
        assertEquals("corrupt", load(f, new Machine(), new ArrayList<>()).modinfo.get("description"));
        assertEquals(compiled + 1, JshLoader.compiled.get(), "recompiled");
        assertNotNull(JshCache.read(key, src), "and rewritten");
    }

    @Test
    void aChangedSourceIsCompiledAgain() throws Exception {
        Path f = tmp.resolve("changing.jsh");
        String v1 = unique("m.description(\"one\");\n");
        Files.writeString(f, v1);
        Sim sim = new Sim();
        assertEquals("one", load(f, sim.m, new ArrayList<>()).modinfo.get("description"));
        Files.writeString(f, v1.replace("one", "two"));
        int compiled = JshLoader.compiled.get();
        assertEquals("two", load(f, sim.m, new ArrayList<>()).modinfo.get("description"));
        assertEquals(compiled + 1, JshLoader.compiled.get());
        assertEquals(2, entries().size());
    }

    @Test
    void aCompileErrorIsReportedAsByJShellAndNeverStored() throws Exception {
        Path f = tmp.resolve("broken.jsh");
        Files.writeString(f, unique("m.livepatch();\nm.frobnicate();\n"));
        for (int i = 0; i < 2; i++) {
            List<String> errors = new ArrayList<>();
            assertThrows(KernelError.class, () -> load(f, new Machine(), errors));
            assertEquals(List.of(f + ":3: error: cannot find symbol\n    m.frobnicate();"), errors);
        }
        assertEquals(List.of(), entries(), "nothing stored for a source that does not compile");
    }

    @Test
    void eachLoadStartsWithFreshTopLevelState() throws Exception {
        Path f = tmp.resolve("stateful.jsh");
        Files.writeString(f, unique("""
                List<String> seen = new ArrayList<>();
                seen.add("x");
                m.description("seen " + seen.size());
                """));
        Machine m = new Machine();
        JshModuleSource src = new JshModuleSource(f, m, e -> { });
        assertEquals("seen 1", src.instantiate().modinfo.get("description"));
        assertEquals("seen 1", src.instantiate().modinfo.get("description"));
        assertInstanceOf(CompiledJsh.class, src.lastModule(), "the one-class translation took this file");
    }

    @Test
    void theSameSourceOnAnotherMachineIsNotCompiledAgain() throws Exception {
        Path f = tmp.resolve("reused.jsh");
        Files.writeString(f, unique("m.livepatch();\n"));
        JshModuleSource first = new JshModuleSource(f, new Machine(), e -> { });
        first.instantiate();
        int compiled = JshLoader.compiled.get(), evaluated = JshLoader.evaluated.get();
        JshModuleSource second = new JshModuleSource(f, new Machine(), e -> { });
        second.instantiate();
        assertSame(first.lastModule(), second.lastModule());
        assertEquals(compiled, JshLoader.compiled.get());
        assertEquals(evaluated, JshLoader.evaluated.get());
    }

    @Test
    void concurrentLoadsCompileOnceAndLeaveNoTemporaryFiles() throws Exception {
        String src = unique("m.livepatch();\nm.description(\"concurrent\");\n");
        Path f = tmp.resolve("concurrent.jsh");
        Files.writeString(f, src);
        int compiled = JshLoader.compiled.get();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ModuleSpec>> loads = new ArrayList<>();
            for (int i = 0; i < 8; i++) loads.add(pool.submit(() -> load(f, new Machine(), new ArrayList<>())));
            for (Future<ModuleSpec> l : loads) assertEquals("concurrent", l.get().modinfo.get("description"));
        } finally {
            pool.shutdown();
        }
        assertEquals(compiled + 1, JshLoader.compiled.get());
        assertEquals(1, entries().size());
        assertFalse(entries().get(0).toString().endsWith(".tmp"));
    }

    @Test
    void everyExampleTakesTheOneClassTranslation() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("docs/examples"))) {
            for (Path p : s.filter(x -> x.toString().endsWith(".jsh")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".jsh", "").replace('-', '_');
                assertInstanceOf(CompiledJsh.class, JshLoader.compile("jsh." + name, Files.readString(p)), p.toString());
            }
        }
    }

    /**
     * An entry that is a FIFO (reading it would block until a writer came), a symlink to
     * /dev/zero (endless) or a huge sparse file (an OutOfMemoryError read whole) is no entry:
     * the module is compiled and the entry is left as it was. Each read must return at once.
     */
    @Test
    void aSpecialOrHugeEntryIsNotReadAndTheModuleIsCompiled() throws Exception {
        Path dir = tmp.resolve("cache").resolve("jsh");
        Files.createDirectories(dir);
        for (String shape : List.of("fifo", "zero", "sparse")) {
            String src = unique("m.livepatch();\nm.description(\"" + shape + "\");\n");
            String name = "special_" + shape;
            String key = JshCache.key("jsh." + name, src);
            Path entry = dir.resolve(key + ".jshc");
            switch (shape) {
                case "fifo" -> assertEquals(0, new ProcessBuilder("mkfifo", entry.toString()).start().waitFor());
                case "zero" -> Files.createSymbolicLink(entry, Path.of("/dev/zero"));
                default -> {
                    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(entry.toFile(), "rw")) {
                        f.setLength(3L << 30);
                    }
                }
            }
            Future<CompiledJsh> read = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r);
                t.setDaemon(true);
                return t;
            }).submit(() -> JshCache.read(key, src));
            assertNull(read.get(20, java.util.concurrent.TimeUnit.SECONDS), shape);
            Path f = tmp.resolve(name.replace('_', '-') + ".jsh");
            Files.writeString(f, src);
            assertEquals(shape, load(f, new Machine(), new ArrayList<>()).modinfo.get("description"), shape);
        }
    }

    /**
     * The splitter hands JShell windows of the file instead of the whole rest: cut with a
     * window of 16 characters (so that nearly every snippet needs the window doubled) the
     * snippets are those of one window over the whole file, for every .jsh of the project.
     */
    @Test
    void splittingByWindowsCutsWhereTheWholeFileDoes() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.walk(Path.of("docs")), Files.walk(Path.of("src")))) {
            files = s.filter(x -> x.toString().endsWith(".jsh")).sorted().toList();
        }
        assertTrue(files.size() > 10, "found " + files.size());
        String tricky = "int x = 1\n\n\n+ 2;\n/* a comment\n that spans */ int y = 3;\nString t = \"\"\"\n  a\n\n  b\"\"\";\n"
                + "void f() {\n}\n// trailing\nif (x > 0) {\n}\n\nelse {\n}\n";
        int before = JshTranslator.firstWindow;
        try {
            for (Object o : Stream.concat(files.stream(), Stream.of(tricky)).toList()) {
                String src = o instanceof Path p ? Files.readString(p) : (String) o;
                JshTranslator.firstWindow = 1 << 29;
                var whole = JshTranslator.split(src);
                JshTranslator.firstWindow = 16;
                assertEquals(whole, JshTranslator.split(src), o instanceof Path ? o.toString() : src);
            }
        } finally {
            JshTranslator.firstWindow = before;
        }
    }
}
