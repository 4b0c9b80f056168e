package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.snapshot.Snapshots;
import dev.klpsim.transcript.CapturingOutput;
import dev.klpsim.transcript.Verify;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #12: a recording verifies from any directory, and still does when it is moved
 * together with the files it names. The #! line names every host path relative to the
 * transcript (--snapshot, --module-path, and --host-dir: where the commands' relative host
 * paths start); the commands stay as typed. Verify reads them back by the same rule
 * (HostPaths.inTranscript). Maven runs this in the project's directory: "another directory".
 */
class RecordingPathsTest {
    private final ByteArrayOutputStream verifyOut = new ByteArrayOutputStream();

    private Verify.Result verify(Path transcript) {
        return new Verify(new PrintStream(verifyOut, true, StandardCharsets.UTF_8)).verifyFile(transcript);
    }

    private static Shell shell(Machine m, Path hostDir) {
        BuiltinModules.registerAll(m);
        Shell sh = new Shell(m, new CapturingOutput());
        sh.hostDir(hostDir); // as if klpsim had been started in hostDir
        return sh;
    }

    @Test
    void aRecordingVerifiesFromAnotherDirectoryAndMovesWithItsFiles(@TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("old/work"));
        Files.createDirectories(work.resolve("mods"));
        Files.createDirectories(work.resolve("lib"));
        Files.copy(Path.of("docs/examples/my-fix-v1.jsh"), work.resolve("mods/my-fix-v1.jsh"));
        Files.copy(Path.of("docs/examples/livepatch-sample.jsh"), work.resolve("lib/livepatch-sample.jsh"));
        Files.copy(Path.of("src/test/resources/snapshots/oracle-6.12-idle.snap"), work.resolve("host.snap"));
        Path out = Files.createDirectories(tmp.resolve("old/elsewhere/rec"));

        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, "host.snap", work.resolve("host.snap")); // klpsim --snapshot host.snap, started in work/
        Shell sh = shell(new Machine(o), work);
        sh.modulePath().add(work.resolve("lib").toString());
        try {
            assertEquals(0, sh.execute("record " + out.resolve("case.klpt")));
            assertEquals(0, sh.execute("insmod mods/my-fix-v1.jsh"));
            assertEquals(0, sh.execute("modprobe livepatch_sample"));
            assertEquals(0, sh.execute("insmod mods/missing.jsh 2>/dev/null || echo missing"));
            assertEquals(0, sh.execute("record stop"));
        } finally {
            sh.close();
        }
        List<String> lines = Files.readAllLines(out.resolve("case.klpt"));
        assertEquals("#! --snapshot ../../work/host.snap --module-path ../../work/lib --host-dir ../../work", lines.get(0));
        assertTrue(lines.contains("% insmod mods/my-fix-v1.jsh"), "commands stay as typed: " + lines);

        assertEquals(Verify.Result.OK, verify(out.resolve("case.klpt")), verifyOut.toString());

        // moved together with what it names: still verifies; the old place is gone
        Path moved = tmp.resolve("new");
        Files.move(tmp.resolve("old"), moved);
        assertEquals(Verify.Result.OK, verify(moved.resolve("elsewhere/rec/case.klpt")), verifyOut.toString());
    }

    @Test
    void aRecordingBesideItsFilesNeedsNoHostDir(@TempDir Path tmp) throws IOException {
        Files.copy(Path.of("docs/examples/my-fix-v1.jsh"), tmp.resolve("my-fix-v1.jsh"));
        Shell sh = shell(new Machine(), tmp);
        try {
            sh.execute("record case.klpt");
            assertEquals(0, sh.execute("insmod my-fix-v1.jsh"));
            sh.execute("record stop");
        } finally {
            sh.close();
        }
        String text = Files.readString(tmp.resolve("case.klpt"));
        assertTrue(!text.contains("#!"), "the transcript's own directory is where relative paths start: " + text);
        // verify, from the project's directory, finds my-fix-v1.jsh beside the transcript
        assertEquals(Verify.Result.OK, verify(tmp.resolve("case.klpt")), verifyOut.toString());
    }

    @Test
    void aHostDirThatIsNotThereIsAnError(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("bad.klpt"), "#! --host-dir ../nowhere\n% true\n");
        assertEquals(Verify.Result.ERROR, verify(tmp.resolve("bad.klpt")));
        assertTrue(verifyOut.toString().contains("--host-dir ../nowhere: No such file or directory"), verifyOut.toString());
    }

    @Test
    void theProjectsOwnTranscriptsNamePathsFromTheProjectRoot() {
        // hand-written transcripts say insmod docs/examples/...: nothing of that name beside them, so the current directory's
        try (Stream<Path> s = Files.walk(Path.of("src/test/resources/transcripts/jsh"))) {
            Path t = s.filter(p -> p.toString().endsWith("shadow-handover.klpt")).findFirst().orElseThrow();
            assertEquals(Verify.Result.OK, verify(t), verifyOut.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
