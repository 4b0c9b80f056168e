package dev.klpsim.transcript;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** klpsim verify: replays transcripts and reports ok/FAIL with a unified diff per failure. */
public final class Verify {
    public enum Result { OK, FAIL, ERROR }

    private final PrintStream out;
    private int passed, failed, errors;

    public Verify(PrintStream out) {
        this.out = out;
    }

    /** Verifies files and directories (all *.klpt below them, sorted); returns the exit status. */
    public int run(List<String> args) {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".klpt") && Files.isRegularFile(f)).sorted().forEach(files::add);
                } catch (IOException e) {
                    out.println("ERROR " + a + ": " + e.getMessage());
                    errors++;
                }
            } else {
                files.add(p);
            }
        }
        if (args.isEmpty()) {
            out.println("usage: klpsim verify FILE|DIR...");
            return 2;
        }
        for (Path f : files) verifyFile(f);
        out.println(passed + " passed, " + (failed + errors) + " failed");
        if (errors > 0) return 2;
        return failed > 0 ? 1 : 0;
    }

    public Result verifyFile(Path f) {
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            out.println("ERROR " + f + ": cannot read: " + (e.getMessage() == null ? e : e.getMessage()));
            errors++;
            return Result.ERROR;
        }
        Transcript t;
        List<List<String>> actual;
        try {
            t = Transcript.parse(text);
            actual = Replay.run(t, f.toAbsolutePath().getParent());
        } catch (Transcript.ParseError e) {
            out.println("ERROR " + f + ": " + e.getMessage());
            errors++;
            return Result.ERROR;
        }
        List<String> want = new ArrayList<>();
        for (Transcript.Step s : t.steps) {
            want.add("% " + s.command());
            want.addAll(s.expected());
        }
        List<String> got = Replay.render(t, actual);
        if (want.equals(got)) {
            out.println("ok   " + f);
            passed++;
            return Result.OK;
        }
        out.println("FAIL " + f);
        Patch<String> patch = DiffUtils.diff(want, got);
        for (String l : UnifiedDiffUtils.generateUnifiedDiff("expected: " + f, "actual", want, patch, 3)) out.println(l);
        failed++;
        return Result.FAIL;
    }
}
