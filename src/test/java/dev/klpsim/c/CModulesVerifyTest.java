package dev.klpsim.c;

import dev.klpsim.transcript.Verify;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel's selftest and upstream transcripts, replayed with the kernel's own module
 * sources in place of klpsim's Java translations (--c-modules, each transcript's profile
 * taking its kernel's sources): every one passes unchanged.
 */
class CModulesVerifyTest {
    @Test
    void everySelftestAndUpstreamTranscriptPassesWithTheKernelsOwnCSources() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int before = CLoader.loads.get();
        int st = new Verify(new PrintStream(out, true, StandardCharsets.UTF_8)).cModules(CModuleTest.FIXTURES.toString())
                .run(List.of("src/test/resources/transcripts/kselftest", "src/test/resources/transcripts/kselftest-7.3",
                        "src/test/resources/transcripts/upstream"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, st, printed);
        // the C sources ran: a load of a module from C each time a transcript loaded one
        int loads = CLoader.loads.get() - before;
        assertTrue(loads > 50, loads + " C module loads\n" + printed);
        System.out.println("CModulesVerifyTest: " + printed.lines().reduce((a, b) -> b).orElse("") + ", " + loads + " loads from C");
    }

    /**
     * The 5.10 sources: the repository keeps no 5.10 copies of the selftest and upstream
     * transcripts (several differ on 5.10: modules and attributes it lacks), so each one
     * without a #! line is replayed as a --kernel 5.10 copy, first with klpsim's Java
     * translations, then with the kernel's 5.10 C sources: every copy that passes with the
     * one passes with the other.
     */
    @Test
    void theKernels510SourcesBehaveAsTheTranslationsOnThe510Profile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        List<String> copies = new java.util.ArrayList<>();
        for (String d : List.of("src/test/resources/transcripts/kselftest", "src/test/resources/transcripts/upstream")) {
            try (var files = java.nio.file.Files.list(java.nio.file.Path.of(d))) {
                for (java.nio.file.Path f : files.sorted().toList()) {
                    String text = java.nio.file.Files.readString(f);
                    if (!f.toString().endsWith(".klpt") || text.startsWith("#!")) continue;
                    java.nio.file.Path copy = dir.resolve(f.getFileName());
                    java.nio.file.Files.writeString(copy, "#! --kernel 5.10\n" + text);
                    copies.add(copy.toString());
                }
            }
        }
        List<String> passJava = new java.util.ArrayList<>();
        for (String c : copies) if (verify(c, null) == 0) passJava.add(c);
        assertTrue(passJava.size() >= 20, passJava.size() + " of " + copies.size() + " pass on 5.10 with the translations");
        int before = CLoader.loads.get();
        for (String c : passJava) assertEquals(0, verify(c, CModuleTest.FIXTURES.toString()), c + " with the kernel's 5.10 C sources");
        assertTrue(CLoader.loads.get() - before > 20, "the C sources ran");
        System.out.println("CModulesVerifyTest: " + passJava.size() + " of " + copies.size() + " transcripts as --kernel 5.10 copies pass with the 5.10 C sources as with the translations");
    }

    private static int verify(String file, String cModules) {
        Verify v = new Verify(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        if (cModules != null) v = v.cModules(cModules);
        return v.run(List.of(file));
    }
}
