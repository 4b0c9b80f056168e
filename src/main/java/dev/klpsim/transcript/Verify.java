package dev.klpsim.transcript;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.klpsim.host.HostFile;

import java.io.IOException;
import java.io.PrintStream;
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

    private String cModules;

    /** --c-modules DIR for every transcript (an absolute path: transcripts resolve theirs elsewhere). */
    public Verify cModules(String dir) {
        this.cModules = Path.of(dir).toAbsolutePath().toString();
        return this;
    }

    /** Verifies files and directories (all *.klpt below them, sorted); returns the exit status. */
    public int run(List<String> args) {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            Path p;
            try {
                p = Path.of(a);
            } catch (java.nio.file.InvalidPathException e) {
                out.println("ERROR " + a + ": cannot read: " + HostFile.reason(e));
                errors++;
                continue;
            }
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
        // nothing verified is not a pass: a mistyped or empty directory must not look green
        if (files.isEmpty() && errors == 0) {
            out.println("ERROR no transcripts (*.klpt) found in " + String.join(" ", args));
            return 2;
        }
        if (errors > 0) return 2;
        return failed > 0 ? 1 : 0;
    }

    public Result verifyFile(Path f) {
        String text;
        try {
            text = HostFile.readText(f, HostFile.MAX_TEXT);
        } catch (IOException e) {
            out.println("ERROR " + f + ": cannot read: " + e.getMessage());
            errors++;
            return Result.ERROR;
        }
        Transcript t;
        List<List<String>> actual;
        try {
            t = Transcript.parse(text);
            actual = Replay.run(t, f.toAbsolutePath().getParent(), cModules);
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
        for (String l : cappedDiff("expected: " + f, "actual", want, got)) out.println(l);
        failed++;
        return Result.FAIL;
    }

    /** Lines of each side a diff compares at most, from the first difference on. */
    static final int DIFF_WINDOW = 2_000;

    /**
     * A unified diff of the first differences: for long sides the common head and tail are cut off, and of
     * what remains at most {@link #DIFF_WINDOW} lines a side are compared (Myers' diff takes
     * time in the product of length and differences: a failing 100,000-command transcript
     * did not finish in 300 s), with a note saying what was left out.
     */
    static List<String> cappedDiff(String from, String to, List<String> want, List<String> got) {
        if (want.size() <= DIFF_WINDOW && got.size() <= DIFF_WINDOW)
            return UnifiedDiffUtils.generateUnifiedDiff(from, to, want, DiffUtils.diff(want, got), 3);
        int head = 0;
        while (head < want.size() && head < got.size() && want.get(head).equals(got.get(head))) head++;
        int tail = 0;
        while (tail < want.size() - head && tail < got.size() - head
                && want.get(want.size() - 1 - tail).equals(got.get(got.size() - 1 - tail))) tail++;
        int context = 3;
        int start = Math.max(0, head - context);
        int wantEnd = want.size() - Math.max(0, tail - context), gotEnd = got.size() - Math.max(0, tail - context);
        boolean capped = wantEnd - head > DIFF_WINDOW || gotEnd - head > DIFF_WINDOW;
        if (capped) {
            wantEnd = Math.min(wantEnd, head + DIFF_WINDOW);
            gotEnd = Math.min(gotEnd, head + DIFF_WINDOW);
        }
        List<String> w = want.subList(start, wantEnd), g = got.subList(start, gotEnd);
        Patch<String> patch = DiffUtils.diff(w, g);
        List<String> out = new ArrayList<>();
        for (String l : UnifiedDiffUtils.generateUnifiedDiff(from, to, w, patch, context)) out.add(shift(l, start));
        if (capped)
            out.add("(diff capped: only lines " + (head + 1) + " to " + (head + DIFF_WINDOW) + " from the first difference were compared; "
                    + want.size() + " lines expected, " + got.size() + " actual)");
        return out;
    }

    /** A hunk header of a diff of lines from {@code offset} on, renumbered for the whole file. */
    private static String shift(String line, int offset) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^@@ -(\\d+)(,\\d+)? \\+(\\d+)(,\\d+)? @@(.*)$").matcher(line);
        if (offset == 0 || !m.matches()) return line;
        return "@@ -" + (Integer.parseInt(m.group(1)) + offset) + (m.group(2) == null ? "" : m.group(2))
                + " +" + (Integer.parseInt(m.group(3)) + offset) + (m.group(4) == null ? "" : m.group(4)) + " @@" + m.group(5);
    }
}
