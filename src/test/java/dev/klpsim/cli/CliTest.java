package dev.klpsim.cli;

import dev.klpsim.Main;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Profile;
import dev.klpsim.shell.MachineArgs;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11: the klpsim command line is one picocli model, and its machine options are the transcripts' too. */
class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int klpsim(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpOfEveryCommandPrintsUsageAndExitsZero() {
        for (String[] a : new String[][] {{"--help"}, {"verify", "--help"}, {"bench", "--help"}, {"run", "--help"}, {"-h"}}) {
            out.getBuffer().setLength(0);
            assertEquals(0, klpsim(a), String.join(" ", a));
            String cmd = a.length == 2 ? "klpsim " + a[0] : "klpsim";
            assertTrue(out.toString().startsWith("Usage: " + cmd + " "), out.toString());
        }
        assertTrue(err.toString().isEmpty(), err.toString());
    }

    @Test
    void versionEverywhere() {
        assertEquals(0, klpsim("--version"));
        assertEquals(0, klpsim("bench", "-V"));
        assertEquals(List.of("klpsim 0.1.0", "klpsim 0.1.0"), out.toString().lines().toList());
    }

    @Test
    void wrongOptionsAreOneLinePlusUsageAndStatusTwo() {
        assertEquals(2, klpsim("--cpus=x"));
        assertEquals("klpsim: invalid CPU count: x", err.toString().lines().findFirst().orElseThrow());
        err.getBuffer().setLength(0);
        assertEquals(2, klpsim("verify"));
        assertEquals("klpsim: Missing required parameter: 'FILE|DIR'", err.toString().lines().findFirst().orElseThrow());
        assertTrue(err.toString().lines().skip(1).findFirst().orElseThrow().startsWith("Usage: klpsim verify"));
        err.getBuffer().setLength(0);
        assertEquals(2, klpsim("bench", "--frob"));
        assertEquals("klpsim: Unknown option: '--frob'", err.toString().lines().findFirst().orElseThrow());
        assertTrue(out.toString().isEmpty(), "nothing ran: " + out);
    }

    @Test
    void optionValuesWithOrWithoutEquals() {
        for (String[] a : new String[][] {{"--module-path=/tmp", "--cpus=4", "--kernel=5.10"}, {"--module-path", "/tmp", "--cpus", "4", "--kernel", "5.10"}}) {
            CommandLine cl = Main.commandLine();
            CommandLine.ParseResult pr = cl.parseArgs(a);
            MachineArgs m = ((MainAccess) () -> pr).machine();
            assertEquals(4, m.options.cpus);
            assertEquals(Profile.V5_10, m.options.profile);
            assertEquals(List.of("/tmp"), m.modulePath);
        }
    }

    /** Reads the machine options the parse filled in. */
    private interface MainAccess {
        CommandLine.ParseResult result();

        default MachineArgs machine() {
            return (MachineArgs) result().commandSpec().mixins().get("machine").userObject();
        }
    }

    @Test
    void theTranscriptHeaderTakesTheSameOptions() {
        MachineArgs a = MachineArgs.parseHeader(List.of("--cpus=2", "--no-reliable-stacks", "--module-path", "mods"));
        assertEquals(2, a.options.cpus);
        assertEquals(false, a.options.reliableStacks);
        assertEquals(List.of("mods"), a.modulePath);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineArgs.parseHeader(List.of("--kernel", "4.19")));
        assertEquals("unknown kernel profile: 4.19 (known: 5.10, 6.12, 7.3, spec, mainline, current)", e.getMessage());
    }

    @Test
    void whatRecordWritesReadsBack() {
        MachineOptions o = new MachineOptions();
        o.cpus = 8;
        o.profile = Profile.V5_10;
        o.reliableStacks = false;
        List<String> header = MachineArgs.header(o, List.of("/opt/mods"));
        List<String> words = List.of(String.join(" ", header).split(" "));
        MachineArgs back = MachineArgs.parseHeader(words);
        assertEquals(8, back.options.cpus);
        assertEquals(Profile.V5_10, back.options.profile);
        assertEquals(false, back.options.reliableStacks);
        assertEquals(List.of("/opt/mods"), back.modulePath);
        assertEquals(List.of(), MachineArgs.header(new MachineOptions(), List.of()), "a default machine needs no #! line");
    }
}
