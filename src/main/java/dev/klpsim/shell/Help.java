package dev.klpsim.shell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** help and CMD --help, both read from the command table. */
@Command(name = "help", description = "list commands, or show one command's usage", footer = "Example: help insmod")
final class Help extends ShellCmd {
    @Parameters(arity = "0..1", paramLabel = "COMMAND", completionCandidates = Candidates.CommandNames.class)
    String topic;

    /** A kernel-style command's usage: its synopsis, what it does, an example. */
    static String usage(Shell.Entry e) {
        if (e.model() != null) return e.model().usage();
        return "Usage: " + e.synopsis() + "\n" + e.summary() + "\nExample: " + e.example() + "\n";
    }

    @Override
    public Integer call() {
        if (topic != null) {
            Shell.Entry e = inv.shell.commands().get(topic);
            if (e == null) {
                inv.errln("bash: help: no help topics match `" + topic + "'.");
                return 1;
            }
            inv.out(usage(e));
            return 0;
        }
        Map<String, StringBuilder> groups = new LinkedHashMap<>();
        for (Shell.Entry e : inv.shell.commands().values())
            groups.computeIfAbsent(e.group(), g -> new StringBuilder())
                    .append(String.format("  %-10s %s%n", e.name(), e.summary()));
        for (Map.Entry<String, StringBuilder> g : groups.entrySet()) {
            inv.println(g.getKey() + " commands:");
            inv.out(g.getValue().toString());
        }
        inv.println("Programs: ./test_klp-call_getpid (start it in the background with &).");
        inv.println("Type 'help COMMAND' or 'COMMAND --help' for usage and an example.");
        return 0;
    }
}
