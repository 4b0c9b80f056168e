package dev.klpsim.transcript;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** verify on what it cannot or should not take whole: nothing to verify, huge failures, bad files. */
class VerifyLimitsTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Verify verify = new Verify(new PrintStream(buf, true, StandardCharsets.UTF_8));

    private String out() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifyingAnEmptyDirectoryFails() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertEquals(2, verify.run(List.of(empty.toString())), out());
        assertTrue(out().contains("no transcripts"), out());
    }

    /** Every expected line wrong: the diff shows the first differences and says it stopped. */
    @Test
    void aHugeFailingTranscriptGetsACappedDiff() throws Exception {
        int n = 20_000;
        StringBuilder t = new StringBuilder("# every line differs\n");
        for (int i = 0; i < n; i++) t.append("% echo ").append(i).append('\n').append(i + 1).append('\n');
        Path f = tmp.resolve("huge.klpt");
        Files.writeString(f, t);
        assertEquals(1, verify.run(List.of(f.toString())));
        long lines = out().lines().count();
        assertTrue(lines < 3 * Verify.DIFF_WINDOW, lines + " lines of output");
        assertTrue(out().contains("(diff capped: only lines"), out().substring(Math.max(0, out().length() - 500)));
    }

    /** Past the cap, hunks are numbered as in the whole file. */
    @Test
    void aCappedDiffNumbersLinesAsTheWholeFile() {
        List<String> want = new ArrayList<>(), got = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            want.add("line " + i);
            got.add(i == 5000 ? "changed" : i > 8000 ? "other " + i : "line " + i);
        }
        List<String> d = Verify.cappedDiff("a", "b", want, got);
        assertEquals(List.of("--- a", "+++ b", "@@ -4998,7 +4998,7 @@", " line 4997", " line 4998", " line 4999", "-line 5000", "+changed",
                " line 5001", " line 5002", " line 5003"), d.subList(0, 11));
        assertTrue(d.get(d.size() - 1).startsWith("(diff capped: only lines 5001 to 7000 "), d.get(d.size() - 1));
    }

    @Test
    void aBinaryOrSpecialFileIsAnErrorNamedAsTheSystemNamesIt() throws Exception {
        Path bin = tmp.resolve("bin.klpt");
        Files.write(bin, new byte[] {'%', ' ', 'e', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals(Verify.Result.ERROR, verify.verifyFile(bin));
        assertTrue(out().contains("invalid UTF-8"), out());
        assertEquals(Verify.Result.ERROR, verify.verifyFile(Path.of("/dev/zero")));
        assertTrue(out().contains("/dev/zero: cannot read: not a regular file"), out());
        Path dir = Files.createDirectory(tmp.resolve("d.klpt"));
        assertEquals(Verify.Result.ERROR, verify.verifyFile(dir));
        assertTrue(out().contains("Is a directory"), out());
    }
}
