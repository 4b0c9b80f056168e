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
}
