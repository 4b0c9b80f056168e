package dev.klpsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host paths under LANG=C: Java cannot encode a non-ASCII file name in the locale's charset
 * (InvalidPathException). klpsim run directly says so in one line; scripts/klpsim runs Java
 * with a UTF-8 character type, where the file is found.
 */
class LocaleTest {
    @TempDir
    Path tmp;

    /** klpsim ARGS in a JVM of its own, under LC_ALL=C: its status and output. */
    private String[] klpsim(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.klpsim.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(tmp.toFile());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LANG", "C");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {String.valueOf(p.exitValue()), out};
    }

    @Test
    void verifyOfANonAsciiPathUnderLangCIsAnErrorNotAStackTrace() throws Exception {
        Files.writeString(tmp.resolve("ü.klpt"), "% echo hi\nhi\n");
        String[] r = klpsim("verify", "ü.klpt");
        assertEquals("2", r[0], r[1]);
        assertTrue(r[1].contains("cannot read: invalid file name (not valid in this locale's encoding)"), r[1]);
        assertFalse(r[1].contains("\tat "), r[1]);
    }
}
