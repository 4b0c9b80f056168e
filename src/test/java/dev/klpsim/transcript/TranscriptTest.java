package dev.klpsim.transcript;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Every transcript the project keeps, one test per file: each must replay exactly. */
class TranscriptTest {
    static final Path ROOT = Path.of("src/test/resources/transcripts");

    /** The tour: its ```klpt blocks, run in order, are one session and must replay exactly. */
    @org.junit.jupiter.api.Test
    void theTourInTheDocsIsARealSession() throws Exception {
        String md = Files.readString(Path.of("docs/tour.md"), StandardCharsets.UTF_8);
        StringBuilder klpt = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```klpt\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(md);
        int blocks = 0;
        while (m.find()) {
            klpt.append(m.group(1));
            blocks++;
        }
        assertEquals(5, blocks);
        Path tmp = Files.createTempFile("tour", ".klpt");
        try {
            Files.writeString(tmp, klpt);
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            assertEquals(Verify.Result.OK, new Verify(new PrintStream(buf, true, StandardCharsets.UTF_8)).verifyFile(tmp),
                    buf.toString(StandardCharsets.UTF_8));
        } finally {
            Files.delete(tmp);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTranscriptReplaysExactly() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.toString().endsWith(".klpt")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no transcripts found under " + ROOT);
        return files.stream().map(f -> DynamicTest.dynamicTest(ROOT.relativize(f).toString(), () -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            Verify v = new Verify(new PrintStream(buf, true, StandardCharsets.UTF_8));
            Verify.Result r = v.verifyFile(f);
            assertEquals(Verify.Result.OK, r, buf.toString(StandardCharsets.UTF_8));
        }));
    }
}
