package dev.klpsim.shell;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue #11: every klpsim command's syntax, --help and errors come from its one picocli definition. */
class CommandModelTest {
    /** Every klpsim command and subcommand as the words that run it ("klp show", "trace", ...). */
    private static List<String> allCommands(Sim s) {
        List<String> out = new ArrayList<>();
        for (Shell.Entry e : s.sh.commands().values())
            if (e.model() != null) walk(e.name(), e.model().line(), out);
        return out;
    }

    private static void walk(String words, CommandLine cl, List<String> out) {
        out.add(words);
        for (var sub : cl.getSubcommands().entrySet()) walk(words + " " + sub.getKey(), sub.getValue(), out);
    }

    @Test
    void theOwnCommandsAreAllPicocliModels() {
        Sim s = new Sim();
        for (String name : List.of("klp", "task", "trace", "shadow", "state", "record", "java", "help", "jobs", "exit"))
            assertTrue(s.sh.commands().get(name).model() != null, name + " has no picocli model");
        assertTrue(s.sh.commands().get("modprobe").model() == null, "kernel-style commands keep their own parsers");
        assertTrue(allCommands(s).size() > 25, "subcommands are walked: " + allCommands(s));
    }

    @Test
    void everyCommandAnswersHelpWithStatusZero() {
        Sim s = new Sim();
        for (String c : allCommands(s)) {
            List<String> out = s.run(c + " --help");
            assertEquals(0, s.status, c + " --help");
            assertEquals("Usage: " + c, out.get(0).substring(0, Math.min(out.get(0).length(), 7 + c.length())), c + " --help: " + out);
            assertTrue(out.stream().anyMatch(l -> l.contains("-h, --help")), c + " --help lists --help: " + out);
        }
        assertFalse(s.sh.exitRequested(), "exit --help does not leave the shell");
    }

    @Test
    void aWrongOptionIsOneLineThenTheUsageAndStatusTwo() {
        Sim s = new Sim();
        for (String c : allCommands(s)) {
            if (c.equals("java")) continue; // java's words are Java code: "--x" is an expression there
            List<String> out = s.run(c + " --no-such-option");
            assertEquals(2, s.status, c);
            String name = c.split(" ")[0];
            // picocli names a missing required parameter before an unknown option
            assertTrue(out.get(0).equals(name + ": Unknown option: '--no-such-option'")
                    || out.get(0).startsWith(name + ": Missing required parameter"), c + ": " + out);
            assertEquals(1, out.stream().filter(l -> l.startsWith(name + ": ")).count(), c + ": one error line: " + out);
            assertTrue(out.get(1).startsWith("Usage: " + c), c + ": " + out);
        }
        assertFalse(s.sh.exitRequested());
    }

    @Test
    void missingAndSurplusArgumentsAreRefused() {
        Sim s = new Sim();
        List<String> out = s.run("klp show");
        assertEquals(2, s.status);
        assertEquals("klp: Missing required parameter: 'PATCH'", out.get(0));
        assertEquals("Usage: klp show [-h] PATCH", out.get(1));
        out = s.run("klp list extra");
        assertEquals(2, s.status);
        assertEquals("klp: Unmatched argument at index 1: 'extra'", out.get(0));
        out = s.run("klp timeline foo --width=90");
        assertEquals(2, s.status, "the issue's example: a stray word is no longer accepted");
        out = s.run("klp");
        assertEquals(List.of("klp: missing subcommand", "Usage: klp [-h] [COMMAND]"), out.subList(0, 2));
        out = s.run("klp frob");
        assertEquals("klp: unknown subcommand 'frob'", out.get(0));
        out = s.run("java");
        assertEquals(2, s.status);
        assertEquals("java: Missing required parameter: 'CODE'", out.get(0));
    }

    @Test
    void optionValuesWithOrWithoutEquals() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        assertEquals(List.of("klp: no transition in progress"), s.ok("klp wait --timeout=2"));
        assertEquals(List.of("klp: no transition in progress"), s.ok("klp wait --timeout 2"));
        List<String> out = s.run("trace show --since");
        assertEquals(2, s.status);
        assertEquals("trace: Missing required parameter for option '--since' (T)", out.get(0));
        assertEquals(s.ok("klp timeline --width 30"), s.ok("klp timeline --width=30"));
        out = s.run("klp timeline --width=10");
        assertEquals(List.of("klp: timeline width must be 20..400", "Usage: klp timeline [-h] [--width=N]"), out.subList(0, 2));
    }

    @Test
    void helpShowsTheGeneratedUsage() {
        Sim s = new Sim();
        assertEquals(s.run("klp --help"), s.run("help klp"));
        assertEquals("Usage: modprobe [-r] [-f] MODULE [param=value...]", s.run("help modprobe").get(0));
    }

    @Test
    void klpEnableLoadsTheModuleWithItsParameters() {
        Sim s = new Sim();
        List<String> out = s.run("klp enable test_klp_callbacks_demo pre_patch_ret=-19");
        assertEquals(1, s.status);
        assertEquals("modprobe: ERROR: could not insert 'test_klp_callbacks_demo': No such device", out.get(out.size() - 1));
        assertEquals(1, s.sh.session().size(), "one command in the session: no second command line was run");
        s.ok("klp enable test_klp_livepatch");
        assertTrue(s.read("/sys/kernel/livepatch/test_klp_livepatch/enabled").startsWith("1"));
        out = s.run("klp enable test_klp_livepatch x=1");
        assertEquals(2, s.status, "parameters for a loaded module are refused, not ignored");
    }
}
