package dev.klpsim.shell;

import org.jline.console.ArgDesc;
import org.jline.console.CmdDesc;
import org.jline.console.CmdLine;
import org.jline.utils.AttributedString;
import picocli.CommandLine;
import picocli.shell.jline3.PicocliCommands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * The console's command descriptions (JLine tail tips: the synopsis of the command being
 * typed in the status line, its options' help after a '-'), read from the command table.
 * klpsim's own commands are described by picocli-shell-jline3's {@link PicocliCommands}
 * from their models; kernel-style ones by their synopsis.
 */
final class CommandDescriptions implements Function<CmdLine, CmdDesc> {
    /** The container picocli-shell-jline3 walks: every klpsim command is one of its subcommands. */
    @CommandLine.Command(name = "")
    static final class Commands {
    }

    private final Shell sh;
    private PicocliCommands picocli;

    CommandDescriptions(Shell sh) {
        this.sh = sh;
    }

    /** The command registry over every picocli command of the table (built on first use). */
    PicocliCommands registry() {
        if (picocli == null) {
            CommandLine root = new CommandLine(new Commands());
            for (Shell.Entry e : sh.commands().values()) if (e.model() != null) root.addSubcommand(e.name(), e.model().detachedLine());
            picocli = new PicocliCommands(root);
        }
        return picocli;
    }

    @Override
    public CmdDesc apply(CmdLine line) {
        return describe(line.getArgs());
    }

    /** The description of the command {@code words} (as the shell's lexer reads them) run. */
    CmdDesc describe(List<String> words) {
        if (words == null || words.isEmpty()) return null;
        Shell.Entry e = sh.commands().get(words.get(0));
        if (e == null) return null;
        if (e.model() == null) {
            List<AttributedString> main = new ArrayList<>();
            main.add(new AttributedString(e.synopsis()));
            main.add(new AttributedString(e.summary()));
            return new CmdDesc(main, ArgDesc.doArgNames(List.of("")), new HashMap<>());
        }
        // PicocliCommands finds the (sub)command from the words that name it: drop the rest
        List<String> path = new ArrayList<>();
        path.add(e.name());
        CommandLine c = e.model().line();
        for (String w : words.subList(1, words.size())) {
            CommandLine sub = c.getSubcommands().get(w);
            if (sub == null) break;
            path.add(w);
            c = sub;
        }
        return registry().commandDescription(path);
    }
}
