package dev.klpsim.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** help and CMD --help, both read from the command table. */
final class Help {
    private Help() {}

    static String usage(Shell.Entry e) {
        return "Usage: " + e.usage() + "\n" + e.summary() + "\nExample: " + e.example() + "\n";
    }

    static int help(Invocation inv) {
        List<String> ops = inv.operands();
        if (!ops.isEmpty()) {
            Shell.Entry e = inv.shell.commands().get(ops.get(0));
            if (e == null) {
                inv.errln("bash: help: no help topics match `" + ops.get(0) + "'.");
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
