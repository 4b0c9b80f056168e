package dev.klpsim.demo;

import dev.klpsim.cast.CastFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/tour.cast is the tour as presenter mode records it, and stays so: made again here
 * (the same command as in the README), it has the same events at the same times; only the
 * header's timestamp differs. When the tour or klpsim's output changes, regenerate it with
 * {@code scripts/klpsim run --demo --check --cast docs/tour.cast docs/tour.md}.
 */
class TourCastTest {
    @Test
    void theTourCastInTheDocsIsCurrent(@TempDir Path dir) throws Exception {
        Path fresh = dir.resolve("tour.cast");
        assertEquals(0, dev.klpsim.Main.commandLine().execute("run", "--demo", "--check", "--cast", fresh.toString(), "docs/tour.md"));
        List<String> want = Files.readAllLines(Path.of("docs/tour.cast"));
        List<String> got = Files.readAllLines(fresh);
        assertEquals(want.get(0).replaceAll("\"timestamp\": \\d+", ""), got.get(0).replaceAll("\"timestamp\": \\d+", ""));
        assertEquals(want.subList(1, want.size()), got.subList(1, got.size()),
                "docs/tour.cast is stale: scripts/klpsim run --demo --check --cast docs/tour.cast docs/tour.md");
        CastFiles.validate(Path.of("docs/tour.cast"));
    }
}
