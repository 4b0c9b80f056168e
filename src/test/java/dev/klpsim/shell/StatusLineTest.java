package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #26: the status line (a rule and the synopsis of what is typed) is never left in the
 * scrollback or on the screen: not after a command's long output, not after Ctrl-L, not
 * after the command ran. Read from what the shell sends the terminal: while a command's
 * output is written, the status area is given back (full-screen scroll region, rows erased)
 * and no rule is drawn; Ctrl-L takes it off before it clears. (JLine 3.30's own VT100
 * emulator, ScreenTerminal, garbles the status area's save/restore-cursor sequences, so it
 * cannot serve as the screen here; tmux showed the same by hand.)
 */
@org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class StatusLineTest {
    @Test
    void noRuleOrSynopsisInTheScrollbackAfterLongOutputCtrlLOrACommand() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Terminal t = new ExternalTerminal("test", "xterm-256color", in, out, StandardCharsets.UTF_8);
        t.setSize(new Size(100, 20));
        // a synopsis shown while typing, a command that prints 60 lines, Ctrl-L with a synopsis up, a last command, Ctrl-D;
        // each line typed once the shell prompts for it (typed earlier, the tty's cooked mode would take it)
        String[] lines = {"klp show\u0015klp list\r", "seq 1 60\r", "klp list\u000c\u0015echo done\r", "\u0004"};
        Thread typist = new Thread(() -> {
            try {
                for (int i = 0; i < lines.length; i++) {
                    while (prompts(out) <= i) Thread.sleep(20);
                    Thread.sleep(100);
                    keys.write(lines[i].getBytes(StandardCharsets.UTF_8));
                    keys.flush();
                }
                Thread.sleep(60_000); // a PipedInputStream fails its reader once the writing thread is gone
            } catch (InterruptedException e) {
                // the test is over
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        typist.setDaemon(true);
        typist.start();
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        new Interactive(m, false, List.of()).run(t, null);
        typist.interrupt();
        String raw = out.toString(StandardCharsets.UTF_8);
        String plain = raw.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]|\u001b[()][0B]", "");
        assertTrue(plain.contains("list [-h]") && raw.contains(RULE), "the status line (a rule, the synopsis) was shown while typing");
        assertTrue(Pattern.compile("(?m)^59\\r?$").matcher(plain).find() && plain.contains("done"), "the commands ran");

        // what a command prints (from the accepted line, bracketed paste off, to the next prompt,
        // bracketed paste on) has the whole screen: the scroll region is the full 20 rows before
        // its first line, and no rule is drawn, so none can scroll away into the scrollback
        String[] afterAccept = raw.split(Pattern.quote(PASTE_OFF), -1);
        assertEquals(5, afterAccept.length, "four lines accepted, and the end");
        for (int k = 1; k < afterAccept.length; k++) {
            String segment = afterAccept[k].split(Pattern.quote(PASTE_ON), -1)[0];
            assertTrue(!segment.contains(RULE), "a rule drawn while a command ran: " + printable(segment));
            int full = segment.indexOf(FULL_SCREEN), narrowed = lastRegion(segment);
            assertTrue(full >= 0 && narrowed == full, "the status area is given back before the output: " + printable(segment));
        }
        // Ctrl-L: the status line goes before the screen is cleared (a terminal that keeps a cleared
        // screen in its scrollback keeps nothing of it)
        int clear = raw.indexOf(CLEAR);
        assertTrue(clear > 0, "Ctrl-L cleared the screen");
        String before = raw.substring(0, clear);
        assertTrue(lastRegionAt(before).equals(FULL_SCREEN) && before.lastIndexOf(FULL_SCREEN) > before.lastIndexOf(RULE),
                "the status line is taken off before the clear: " + printable(raw.substring(Math.max(0, clear - 300), clear)));
    }

    private static final String RULE = "\u001b(0qqqqqqqqqq", PASTE_OFF = "\u001b[?2004l", PASTE_ON = "\u001b[?2004h",
            FULL_SCREEN = "\u001b[1;20r", CLEAR = "\u001b[2J";
    private static final Pattern REGION = Pattern.compile("\u001b\\[\\d+;\\d+r");

    /** Where the last scroll-region setting before the first printed word of {@code s} is (-1: none). */
    private static int lastRegion(String s) {
        String masked = Pattern.compile("\u001b(\\[[0-9;?]*[A-Za-z]|[()][0B]|[78=>])").matcher(s).replaceAll(m -> "\u0000".repeat(m.group().length()));
        Matcher text = Pattern.compile("[0-9a-z]{2,}").matcher(masked);
        int firstText = text.find() ? text.start() : s.length();
        Matcher r = REGION.matcher(s);
        int last = -1;
        while (r.find() && r.start() < firstText) last = r.start();
        return last;
    }

    private static String lastRegionAt(String s) {
        Matcher r = REGION.matcher(s);
        String last = "";
        while (r.find()) last = r.group();
        return last;
    }

    private static String printable(String s) {
        return s.replace("\u001b", "^[").replace("\r", "^M");
    }

    /** Issue #26: Ctrl-C at an empty prompt makes $? 130, as in bash (128 + SIGINT). */
    @Test
    void ctrlCAtThePromptMakesTheStatus130() throws Exception {
        PipedOutputStream keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Terminal t = new ExternalTerminal("test", "xterm-256color", in, out, StandardCharsets.UTF_8);
        t.setSize(new Size(100, 20));
        String[] lines = {"false\r", "\u0003", "echo st=$?\r", "\u0004"};
        Thread typist = new Thread(() -> {
            try {
                for (int i = 0; i < lines.length; i++) {
                    while (prompts(out) <= i) Thread.sleep(20);
                    Thread.sleep(100);
                    keys.write(lines[i].getBytes(StandardCharsets.UTF_8));
                    keys.flush();
                }
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // the test is over
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        typist.setDaemon(true);
        typist.start();
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        new Interactive(m, false, List.of()).run(t, null);
        typist.interrupt();
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("st=130"), out.toString(StandardCharsets.UTF_8));
    }

    private static int prompts(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8).split("\\] ~ # ", -1).length - 1;
        }
    }
}
