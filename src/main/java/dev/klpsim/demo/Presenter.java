package dev.klpsim.demo;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.klpsim.cast.Sgr;
import dev.klpsim.shell.Interactive;
import dev.klpsim.shell.Shell;

import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * Presenter mode: shows a script or transcript as if typed at the shell. Each command comes
 * after the interactive shell's prompt and then its output; # comments come as narration;
 * in step mode the presenter presses Enter or Space before each command ('q' ends); paced,
 * commands are typed at a human speed and simulated time (a {@code sleep}) takes real time.
 */
public final class Presenter {
    /** How a demo runs: step (wait for a key), pace (real time), speed (divides every wait), check (a transcript's expected output), errexit. */
    public record Options(boolean step, boolean pace, double speed, boolean check, boolean errexit) {}

    /** Typing at a human speed: about 15 characters a second, unevenly; seeded, so a recording comes out the same each time. */
    private static final double KEY_SECONDS = 0.065;
    private static final double KEY_JITTER = 0.04;
    private static final double BEFORE_TYPING = 0.6;
    private static final double BEFORE_ENTER = 0.35;
    private static final double AFTER_OUTPUT = 0.8;
    /** What a recording shows for the presenter's pause in step mode. */
    private static final double STEP_PAUSE = 1.5;

    private final Shell sh;
    private final Screen screen;
    private final DemoOutput output;
    private final Keys keys;
    private final Options o;
    private final Random typing = new Random(26);
    private int failedChecks;

    Presenter(Shell sh, Screen screen, DemoOutput output, Keys keys, Options o) {
        this.sh = sh;
        this.screen = screen;
        this.output = output;
        this.keys = keys;
        this.o = o;
        output.machine(sh::machine);
    }

    /** Runs the demo; the exit status of the run: the last failing command's, 1 when a check failed, 0 otherwise. */
    int run(DemoScript script, String file) {
        int worst = 0;
        boolean first = true;
        for (DemoScript.Item item : script.items()) {
            if (item instanceof DemoScript.Narration n) {
                if (!first) screen.write("\n");
                for (String l : n.lines()) screen.write((l.isEmpty() ? "#" : "# " + l) + "\n", Sgr.NARRATION);
                int chars = n.lines().stream().mapToInt(String::length).sum();
                pause(Math.min(4.0, 1.0 + chars * 0.03));
            } else if (item instanceof DemoScript.Step s) {
                screen.write(Interactive.prompt(sh.machine()), Sgr.PROMPT);
                if (o.step() && !awaitKey()) {
                    screen.write("\n");
                    return worst;
                }
                type(s.command());
                output.begin();
                int st = sh.execute(s.command());
                output.follow();
                if (o.check() && s.expected() != null) check(s, file);
                if (st != 0) {
                    worst = st;
                    if (o.errexit()) return st;
                }
                if (sh.exitRequested()) return st;
                pause(AFTER_OUTPUT);
            }
            first = false;
        }
        if (failedChecks > 0) {
            screen.write("klpsim: " + failedChecks + (failedChecks == 1 ? " command" : " commands") + " printed otherwise than " + file + " expects\n", Sgr.MISMATCH);
            return worst != 0 ? worst : 1;
        }
        return worst;
    }

    /** Step mode: Enter or Space goes on; q (or Ctrl-C, Ctrl-D, end of input) ends the demo. Other keys are ignored. */
    private boolean awaitKey() {
        try {
            while (true) {
                int k = keys.next();
                if (k == -1 || k == 'q' || k == 'Q' || k == 3 || k == 4) return false;
                if (k == '\r' || k == '\n' || k == ' ') {
                    screen.clock.paused(STEP_PAUSE);
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** The command after the prompt: a key at a time when paced or recorded, at once otherwise. */
    private void type(String command) {
        if (o.pace() || screen.recording()) {
            pause(BEFORE_TYPING);
            screen.style(Sgr.COMMAND);
            for (int i = 0; i < command.length(); ) {
                int cp = command.codePointAt(i);
                String key = new String(Character.toChars(cp));
                screen.write(key);
                screen.clock.pass(KEY_SECONDS + (typing.nextDouble() - 0.5) * KEY_JITTER);
                i += key.length();
            }
            screen.style(Sgr.RESET);
            pause(BEFORE_ENTER);
        } else screen.write(command, Sgr.COMMAND);
        screen.write("\n");
    }

    private void pause(double seconds) {
        if (o.pace() || screen.recording()) screen.clock.pass(seconds);
    }

    /** A transcript's command printed otherwise than it expects: the difference, shown as verify shows it. */
    private void check(DemoScript.Step s, String file) {
        List<String> got = output.lines();
        if (got.equals(s.expected())) return;
        failedChecks++;
        screen.write(file + ":" + s.line() + ": the output differs from the transcript:\n", Sgr.MISMATCH);
        var patch = DiffUtils.diff(s.expected(), got);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("expected", "actual", s.expected(), patch, 2);
        for (String l : diff.subList(Math.min(2, diff.size()), diff.size())) screen.write(l + "\n", Sgr.MISMATCH);
    }
}
