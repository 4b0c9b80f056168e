package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.transcript.CapturingOutput;
import org.jline.reader.LineReader;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11: Tab completion reads the line with the shell's own lexer and the commands' models. */
@org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CompletionTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Machine m = new Machine();
    private final Shell sh;
    private PipedOutputStream typing;

    CompletionTest() {
        BuiltinModules.registerAll(m);
        sh = new Shell(m, new CapturingOutput());
    }

    @AfterEach
    void close() throws IOException {
        if (typing != null) typing.close();
    }

    /** Types {@code keys} into the interactive shell's reader and returns the line it accepts. */
    private String type(String keys) throws IOException {
        typing = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(typing, 1 << 16);
        Terminal t = new ExternalTerminal("test", "xterm-256color", in, screen, StandardCharsets.UTF_8);
        t.setSize(new Size(160, 40));
        typing.write(keys.getBytes(StandardCharsets.UTF_8));
        typing.flush();
        LineReader r = Interactive.reader(t, sh, null);
        return r.readLine("# ");
    }

    private String screen() {
        return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
    }

    @Test
    void aRedirectionTargetWithoutASpaceCompletesAsAPath() throws IOException {
        sh.execute("insmod test_modules/test_klp_livepatch.ko");
        assertEquals("echo 0 >/sys/kernel/livepatch/test_klp_livepatch/", type("echo 0 >/sys/kernel/livepatch/\t\r").trim());
    }

    @Test
    void aRedirectionTargetAfterASpaceCompletesToo() throws IOException {
        assertEquals("echo hi 2> /dev/null", type("echo hi 2> /dev/nu\t\r").trim());
    }

    @Test
    void afterAPipeTheSecondCommandIsCompleted() throws IOException {
        assertEquals("dmesg | grep", type("dmesg | gre\t\r").trim());
        assertEquals("lsmod; klp list", type("lsmod; klp li\t\r").trim());
    }

    @Test
    void klpSubcommandsAndPatchNamesComeFromTheModel() throws IOException {
        sh.execute("insmod test_modules/test_klp_livepatch.ko");
        assertEquals("klp timeline", type("klp timel\t\r").trim());
        assertEquals("klp show test_klp_livepatch", type("klp show test_klp_l\t\r").trim());
    }

    @Test
    void optionsAndTheirValuesComeFromTheModel() throws IOException {
        assertEquals("klp wait --timeout", type("klp wait --ti\t\r").trim());
        assertEquals("trace show --since 1 callbacks", type("trace show --since 1 callb\t\r").trim());
        assertEquals("task spawn x --stack cmdline_proc_show,cmdline_proc_show",
                type("task spawn x --stack cmdline_proc_show,cmdline_proc_s\t\r").trim());
    }

    @Test
    void aModulesParametersFollowItInKlpPreview() throws IOException {
        assertEquals("klp preview test_klp_callbacks_busy block_transition=",
                type("klp preview test_klp_callbacks_busy block\t\r").trim());
    }

    @Test
    void aQuotedPathStaysQuoted() throws IOException {
        assertEquals("cat '/proc/cmdline'", type("cat '/proc/cmdl\t\r").trim());
    }

    /** Issue #12: the arguments that name host files complete from the host, relative ones from klpsim's start directory. */
    @Test
    void recordAndTraceExportCompleteHostPaths(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("old-trace.json"), "{}");
        assertEquals("record " + dir + "/runs/", type("record " + dir + "/ru\t\r").trim(), "a directory takes no space after it");
        assertEquals("record --force " + dir + "/runs/", type("record --force " + dir + "/ru\t\r").trim());
        assertEquals("trace export " + dir + "/old-trace.json", type("trace export " + dir + "/old\t\r").trim());
        assertEquals("snapshot load " + dir + "/old-trace.json", type("snapshot load " + dir + "/old\t\r").trim());
        // relative: the directory klpsim was started in (Maven runs tests in the project's directory)
        assertTrue(Files.isDirectory(Path.of("docs/examples")));
        assertEquals("record docs/examples/", type("record docs/exa\t\r").trim());
        assertEquals("trace export docs/examples/", type("trace export docs/exa\t\r").trim());
        // never the simulated tree: its working directory has test_modules/, the host's has not
        assertTrue(!Files.exists(Path.of("test_modules")));
        assertEquals("record test_mod", type("record test_mod\t\r").trim());
    }

    @Test
    void aModuleArgumentCompletesJshFilesOnTheHost() throws IOException {
        assertEquals("klp preview docs/examples/livepatch-sample.jsh", type("klp preview docs/examples/livepatch-sa\t\r").trim());
        assertEquals("modinfo docs/examples/livepatch-sample.jsh", type("modinfo docs/examples/livepatch-sa\t\r").trim());
        assertEquals("klp preview test_klp_callbacks_busy", type("klp preview test_klp_callbacks_bu\t\r").trim(), "names still complete");
    }

    @Test
    void commandNamesShowTheirSummary() throws IOException {
        type("kl\t\t\r");
        assertTrue(screen().contains("klp"), screen());
    }
}
