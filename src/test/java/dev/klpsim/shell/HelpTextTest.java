package dev.klpsim.shell;

import dev.klpsim.Main;
import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #26: `help` promises "usage and an example": every command and subcommand of the
 * shell, and of klpsim's own command line, shows one that parses; no synopsis nests a
 * split option's brackets; klpsim's descriptions wrap at word boundaries only.
 */
class HelpTextTest {
    private static void walk(String words, CommandLine cl, List<String[]> out) {
        out.add(new String[] {words, usage(cl)});
        for (var sub : cl.getSubcommands().entrySet()) walk(words + " " + sub.getKey(), sub.getValue(), out);
    }

    private static String usage(CommandLine cl) {
        java.io.StringWriter w = new java.io.StringWriter();
        cl.usage(new java.io.PrintWriter(w), CommandLine.Help.Ansi.OFF);
        return w.toString();
    }

    @Test
    void everyShellCommandAndSubcommandShowsAnExampleThatParses() {
        Sim s = new Sim();
        int checked = 0;
        for (Shell.Entry e : s.sh.commands().values()) {
            List<String[]> all = new ArrayList<>();
            if (e.model() != null) walk(e.name(), e.model().line(), all);
            else all.add(new String[] {e.name(), s.run(e.name() + " --help").stream().reduce("", (a, b) -> a + b + "\n")});
            for (String[] c : all) {
                if (e.name().equals("echo")) continue; // echo --help prints "--help", as bash's echo does
                var m = Pattern.compile("(?m)^Example: (.*)$").matcher(c[1]);
                assertTrue(m.find(), "'" + c[0] + " --help' has no example:\n" + c[1]);
                String example = m.group(1);
                String head = e.name().equals(".") || e.name().equals("[") ? e.name() : c[0];
                assertTrue(Pattern.compile("(^|[|(;] ?)" + Pattern.quote(head) + "( |$)").matcher(example).find(), c[0] + ": the example runs another command: " + example);
                if (e.model() != null) {
                    // the example parses: no usage error from the command's own model
                    List<String> words = List.of(example.split(" "));
                    CommandLine top = e.model().line();
                    top.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
                }
                checked++;
            }
        }
        assertTrue(checked > 60, "commands and subcommands checked: " + checked);
    }

    @Test
    void klpsimsOwnCommandsShowAnExampleAndNoNestedBrackets() {
        List<String[]> all = new ArrayList<>();
        walk("klpsim", Main.commandLine(), all);
        Sim s = new Sim();
        for (Shell.Entry e : s.sh.commands().values()) if (e.model() != null) walk(e.name(), e.model().line(), all);
        for (String[] c : all) {
            if (c[0].startsWith("klpsim")) assertTrue(c[1].contains("\nExample:\n  "), c[0] + " --help has no example:\n" + c[1]);
            // a split option's label is one item: picocli adds the [,ITEM...] itself
            assertFalse(Pattern.compile("\\[,[^\\]]*\\[").matcher(c[1]).find(), c[0] + ": nested brackets in\n" + c[1]);
        }
    }

    /**
     * picocli wraps each description element on its own, at word boundaries; a sentence split
     * across two elements breaks mid-line ("... a real host's state as" / "scripts/klp-snapshot
     * captured it"). So every element after the summary line is whole paragraphs: it ends
     * where a sentence does.
     */
    @Test
    void klpsimsDescriptionsAreWholeParagraphs() {
        List<CommandLine> all = new ArrayList<>();
        all.add(Main.commandLine());
        all.addAll(Main.commandLine().getSubcommands().values());
        for (CommandLine cl : all) {
            String[] d = cl.getCommandSpec().usageMessage().description();
            for (int i = 1; i < d.length; i++)
                assertTrue(d[i].matches("(?s).*[.:)]"), cl.getCommandName() + ": description element " + i + " ends mid-sentence: " + d[i]);
        }
        // and the rendering: no description line of klpsim --help ends short of the next word
        String u = usage(Main.commandLine());
        assertTrue(u.contains("Without a command: starts the shell on a freshly booted machine (or, with\n--snapshot, on a real host's state as scripts/klp-snapshot captured it). Piped\n"), u);
    }
}
