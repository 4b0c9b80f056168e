package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.transcript.CapturingOutput;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real JLine reader of the interactive shell, driven through a terminal fed with keystrokes. */
@org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class TerminalTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private Shell sh;
    private final java.util.List<PipedOutputStream> keyboards = new java.util.ArrayList<>();

    private LineReader reader(String keys) throws IOException {
        // a pipe kept open, as a real terminal's input is: EOF would close the terminal
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(typing, 1 << 16);
        keyboards.add(typing);
        // JLine's ExternalTerminal runs the tty line discipline in Java, so ^C raises SIGINT here
        Terminal t = new ExternalTerminal("test", "xterm-256color", in, screen, StandardCharsets.UTF_8);
        t.setSize(new Size(160, 40));
        typing.write(keys.getBytes(StandardCharsets.UTF_8));
        typing.flush();
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        sh = new Shell(m, new CapturingOutput());
        return Interactive.reader(t, sh, null);
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
    }

    @Test
    void tabCompletesACommandName() throws IOException {
        assertEquals("modprobe", reader("modp\t\r").readLine("# ").trim());
    }

    @Test
    void tabListsTheCallbacksModules() throws IOException {
        LineReader r = reader("modprobe test_klp_cal\t\t\r");
        String line = r.readLine("# ");
        assertEquals("modprobe test_klp_callbacks_", line.trim());
        String s = screen();
        for (String mod : new String[] {"test_klp_callbacks_demo", "test_klp_callbacks_demo2", "test_klp_callbacks_mod", "test_klp_callbacks_busy"})
            assertTrue(s.contains(mod), mod + " not listed in:\n" + s);
    }

    @Test
    void tabCompletesASysfsPath() throws IOException {
        LineReader r = reader("cat /sys/kernel/livepatch/\t\r");
        sh.execute("insmod test_modules/test_klp_livepatch.ko");
        assertEquals("cat /sys/kernel/livepatch/test_klp_livepatch/", r.readLine("# ").trim());
    }

    @Test
    void tabCompletesAParameterAfterTheModule() throws IOException {
        assertEquals("insmod test_modules/test_klp_callbacks_busy.ko block_transition=",
                reader("insmod test_modules/test_klp_callbacks_busy.ko blo\t\r").readLine("# ").trim());
    }

    @Test
    void upArrowRecallsTheLastLine() throws IOException {
        LineReader r = reader("echo one\r\033OA\r");
        assertEquals("echo one", r.readLine("# "));
        assertEquals("echo one", r.readLine("# "));
    }

    @Test
    void ctrlCCancelsTheLine() throws IOException {
        LineReader r = reader("rmmod something");
        // ^C must arrive while readLine runs (its SIGINT handler is installed then), as a user types it
        Thread ctrlC = new Thread(() -> {
            try {
                while (!screen().contains("# rmmod something")) Thread.sleep(10);
                keyboards.get(0).write(3);
                keyboards.get(0).flush();
                Thread.sleep(60_000); // a pipe's reader fails once its last writer thread has died

            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        ctrlC.setDaemon(true);
        ctrlC.start();
        assertThrows(UserInterruptException.class, () -> r.readLine("# "));
    }

    @Test
    void thePromptShowsTimeAndTheTransitionInFlight() {
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        Shell s = new Shell(m, new CapturingOutput());
        assertEquals("[0.000000] ~ # ", Interactive.prompt(m));
        s.execute("insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y");
        s.execute("insmod test_modules/test_klp_callbacks_demo.ko");
        s.execute("sleep 2.5");
        assertEquals("[2.500000 test_klp_callbacks_demo patching (1 pending)] ~ # ", Interactive.prompt(m));
    }

    /** A long command's progress is one line redrawn in place, wiped before what comes next. */
    @Test
    void progressIsRedrawnInPlaceAndWipedBeforeOutput() throws IOException {
        Terminal t = new ExternalTerminal("test", "xterm-256color", new java.io.ByteArrayInputStream(new byte[0]), screen, StandardCharsets.UTF_8);
        Interactive.TerminalOutput out = new Interactive.TerminalOutput(t, false);
        out.progress("explore: depth 3, 10 states");
        out.progress("explore: depth 4, 90 states");
        out.stdout("explore: depth 4 done\n");
        out.endProgress();
        assertEquals("\rexplore: depth 3, 10 states\u001b[K\rexplore: depth 4, 90 states\u001b[K\r\u001b[Kexplore: depth 4 done\r\n",
                screen.toString(StandardCharsets.UTF_8));
    }

    /** Progress is not output: a session (what record saves) and a non-terminal output never see it. */
    @Test
    void progressIsNeverRecorded() {
        CapturingOutput captured = new CapturingOutput();
        Shell shell = new Shell(new Machine(), captured);
        shell.session().begin("insmod test_modules/test_klp_livepatch.ko");
        shell.output().stdout("result\n");
        shell.output().progress("explore: depth 2, 5 states");
        shell.session().end("insmod test_modules/test_klp_livepatch.ko");
        assertEquals(java.util.List.of("result"), shell.session().steps().get(0).output());
        assertEquals(java.util.List.of("result"), captured.drainLines());
    }
}
