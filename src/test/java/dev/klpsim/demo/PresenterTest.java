package dev.klpsim.demo;

import dev.klpsim.cast.AsciiCast;
import dev.klpsim.cast.CastFiles;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Shell;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #26: presenter mode shows narration, each command after the prompt, then its output; step mode; pacing; recordings. */
class PresenterTest {
    static final List<String> SCRIPT = List.of(
            "#!/usr/bin/env klpsim",
            "# A livepatch in two commands.",
            "insmod test_modules/test_klp_livepatch.ko",
            "",
            "# The patched function answers now:",
            "cat /proc/cmdline",
            "sleep 3");

    private final ByteArrayOutputStream shown = new ByteArrayOutputStream();
    private Screen screen;
    private int status;

    private String present(List<String> lines, boolean transcript, String keys, Presenter.Options o, AsciiCast cast, boolean colour) {
        screen = new Screen(new PrintStream(shown, true, StandardCharsets.UTF_8), colour, cast, true, new DemoClock(o.pace(), o.speed()));
        DemoOutput out = new DemoOutput(screen);
        Machine m = new Machine(new MachineOptions());
        BuiltinModules.registerAll(m);
        Shell sh = new Shell(m, out);
        Presenter p = new Presenter(sh, screen, out, Keys.of(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8))), o);
        status = p.run(transcript ? DemoScript.ofTranscript(lines) : DemoScript.ofScript(lines), "demo");
        sh.close();
        return shown.toString(StandardCharsets.UTF_8);
    }

    private static Presenter.Options plain() {
        return new Presenter.Options(false, false, 1, false, false);
    }

    @Test
    void narrationThenPromptAndCommandThenOutputInOrderWithoutColoursInAPipe() {
        long t0 = System.nanoTime();
        String s = present(SCRIPT, false, "", plain(), null, false);
        double took = (System.nanoTime() - t0) / 1e9;
        assertEquals(String.join("\n",
                "# A livepatch in two commands.",
                "[0.000000] ~ # insmod test_modules/test_klp_livepatch.ko",
                "test_klp_livepatch: tainting kernel with TAINT_LIVEPATCH",
                "livepatch: enabling patch 'test_klp_livepatch'",
                "livepatch: 'test_klp_livepatch': initializing patching transition",
                "livepatch: 'test_klp_livepatch': starting patching transition",
                "livepatch: 'test_klp_livepatch': completing patching transition",
                "livepatch: 'test_klp_livepatch': patching complete",
                "",
                "# The patched function answers now:",
                "[0.000000] ~ # cat /proc/cmdline",
                "test_klp_livepatch: this has been live patched",
                "[0.000000] ~ # sleep 3",
                ""), s);
        assertEquals(0, status);
        assertTrue(took < 2.5, "unpaced: the sleep's 3 s are not waited out (took " + took + " s)");
    }

    @Test
    void coloursOnATerminal() {
        String s = present(SCRIPT, false, "", plain(), null, true);
        assertTrue(s.contains("\u001b[3;36m# A livepatch in two commands.\u001b[0m\n"), s);
        assertTrue(s.contains("\u001b[32m[0.000000] ~ # \u001b[0m\u001b[1minsmod"), s);
    }

    @Test
    void stepWaitsForEnterOrSpaceAndQEnds() {
        // Enter runs the first command, a stray key is ignored, Space runs the second, q ends before the third
        String s = present(SCRIPT, false, "\nx q", new Presenter.Options(true, false, 1, false, false), null, false);
        assertTrue(s.contains("this has been live patched"), s);
        assertTrue(s.endsWith("[0.000000] ~ # \n"), "q leaves the prompt and ends: " + s);
        assertFalse(s.contains("sleep"), s);
        // end of input ends it too: nothing runs
        shown.reset();
        s = present(SCRIPT, false, "", new Presenter.Options(true, false, 1, false, false), null, false);
        assertFalse(s.contains("insmod"), s);
    }

    @Test
    void pacedASleepTakesRealTimeDividedByTheSpeed() {
        long t0 = System.nanoTime();
        present(List.of("sleep 3"), false, "", new Presenter.Options(false, true, 10, false, false), null, false);
        double took = (System.nanoTime() - t0) / 1e9;
        // 3 simulated seconds at speed 10, plus the typing (7 keys) and pauses, each divided by 10
        assertTrue(took >= 0.3, "took " + took + " s");
        assertTrue(screen.clock.now() >= 0.3 && screen.clock.now() < 1.0, "clock " + screen.clock.now());
    }

    @Test
    void aTranscriptIsCheckedAsItGoes() {
        List<String> t = List.of("#! --cpus 1", "# narration", "% echo one", "one", "% echo two", "three");
        String s = present(t, true, "", new Presenter.Options(false, false, 1, true, false), null, false);
        assertEquals(1, status);
        assertTrue(s.startsWith("# narration\n[0.000000] ~ # echo one\none\n[0.000000] ~ # echo two\ntwo\ndemo:5: the output differs"), s);
        assertTrue(s.contains("-three\n+two\n"), s);
        assertTrue(s.endsWith("klpsim: 1 command printed otherwise than demo expects\n"), s);
    }

    @Test
    void aRecordedDemoIsAsciicastV2TimedAtAHumanPace(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("demo.cast");
        AsciiCast cast = AsciiCast.create(f, new AsciiCast.Header(Demo.WIDTH, Demo.HEIGHT, 1796000000L, "klpsim: demo", null));
        long t0 = System.nanoTime();
        String shownText = present(SCRIPT, false, "", plain(), cast, false);
        cast.close();
        assertTrue((System.nanoTime() - t0) / 1e9 < 3, "unpaced: the recording is timed, the run does not wait");
        CastFiles.Cast c = CastFiles.validate(f);
        String text = c.text();
        assertEquals(shownText.replace("\n", "\r\n"), text.replaceAll("\u001b\\[[0-9;]*m", ""), "the recording shows what the screen did");
        assertTrue(text.contains("\u001b[3;36m# A livepatch in two commands.\u001b[0m\r\n"), "narration in colour: " + text);
        double end = c.events().get(c.events().size() - 1).time();
        assertTrue(end > 3, "the sleep's 3 s and the typing are in the timing: " + end);
        // the command is typed a key at a time
        assertTrue(c.events().stream().filter(e -> e.data().equals("i")).count() >= 1, "keys as events");
        assertEquals(text, CastFiles.asciinemaCat(f));
    }
}
