package dev.klpsim.shell;

import org.jline.reader.Candidate;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A klpsim command run through its picocli model: the one definition its parser, usage,
 * errors and completion are read from. Built on first use, once per shell
 * (annotation scanning costs a few milliseconds and most sessions use a handful of commands).
 */
final class PicocliCommand implements Command {
    /** Completion candidates that depend on the words before them (a module's parameters). */
    interface ContextCandidates {
        Iterable<String> candidates(List<String> positionals);
    }

    /**
     * Completion candidates made from the word being typed: a host path's directory is listed
     * when Tab is pressed. {@code head} goes before each value (an option's "--name=").
     */
    interface WordCandidates {
        void complete(String head, String word, List<Candidate> out);
    }

    private final Shell sh;
    private final Class<? extends ShellCmd> type;
    private CommandLine line;
    /** What the command threw while it ran: picocli would print its stack trace, the shell reports it. */
    private RuntimeException thrown;

    PicocliCommand(Shell sh, Class<? extends ShellCmd> type) {
        this.sh = sh;
        this.type = type;
    }

    static CommandLine.Command annotation(Class<? extends ShellCmd> type) {
        return type.getAnnotation(CommandLine.Command.class);
    }

    String name() {
        return annotation(type).name();
    }

    /** The first line of the description: what {@code help} lists. */
    String summary() {
        return annotation(type).description()[0];
    }

    CommandLine line() {
        if (line == null) line = build();
        return line;
    }

    /**
     * A second model of the same command, for a container that adopts it as a subcommand
     * (picocli-shell-jline3's registry): adopting changes a CommandLine, so the one that runs
     * the command is never lent out.
     */
    CommandLine detachedLine() {
        return build();
    }

    private CommandLine build() {
        Factory f = new Factory(sh);
        CommandLine line;
        try {
            ShellCmd cmd = f.create(type);
            line = new CommandLine(cmd, f);
            line.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
            line.setExpandAtFiles(false); // "@file" is an ordinary word in bash
            line.setUsageHelpWidth(80);
            line.setParameterExceptionHandler(this::usageError);
            line.setExecutionExceptionHandler((ex, cl, pr) -> {
                thrown = ex instanceof RuntimeException r ? r : new IllegalStateException(ex);
                return 70;
            });
            cmd.configure(line);
        } catch (Exception e) {
            throw new IllegalStateException("command model of " + type.getSimpleName() + ": " + e, e);
        }
        return line;
    }

    /** One line "NAME: what is wrong", then the usage of the (sub)command; status 2. */
    private int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        String msg = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !c.getSubcommands().isEmpty()
                && c.getCommandSpec().positionalParameters().isEmpty() && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-"))
            msg = "unknown subcommand '" + u.getUnmatched().get(0) + "'";
        PrintWriter err = c.getErr();
        err.println(name() + ": " + msg);
        c.usage(err, Help.Ansi.OFF);
        return 2;
    }

    @Override
    public int run(Invocation inv) {
        CommandLine cl = line();
        ShellCmd cmd = cl.getCommand();
        cmd.inv = inv;
        thrown = null;
        PrintWriter out = new PrintWriter(sink(inv::out), true);
        PrintWriter err = new PrintWriter(sink(inv::err), true);
        cl.setOut(out);
        cl.setErr(err);
        try {
            int st = cl.execute(inv.operands().toArray(String[]::new));
            out.flush();
            err.flush();
            if (thrown != null) throw thrown;
            return st;
        } finally {
            cmd.inv = null;
        }
    }

    private static Writer sink(Consumer<String> to) {
        return new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                to.accept(new String(buf, off, len));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }

    /** The generated usage message, as --help prints it. */
    String usage() {
        StringWriter w = new StringWriter();
        line().usage(new PrintWriter(w), Help.Ansi.OFF);
        return w.toString();
    }

    /** The synopsis of the (sub)command that {@code words} (command name first) select. */
    String synopsis(List<String> words) {
        CommandLine c = line();
        for (String w : words.subList(1, words.size())) {
            CommandLine sub = c.getSubcommands().get(w);
            if (sub == null) break;
            c = sub;
        }
        return c.getHelp().synopsis(0).strip();
    }

    /**
     * Completion from the model: subcommands, options, an option's value, and each positional
     * parameter's own candidates (picocli-shell-jline3's completer offers no positional ones).
     */
    void complete(List<String> words, int idx, String word, List<Candidate> out) {
        CommandLine cur = line();
        List<String> positionals = new ArrayList<>();
        OptionSpec pending = null;
        boolean endOfOptions = false;
        for (int i = 1; i < idx && i < words.size(); i++) {
            String w = words.get(i);
            if (pending != null) {
                pending = null;
                continue;
            }
            if (!endOfOptions && w.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (!endOfOptions && w.startsWith("-") && w.length() > 1) {
                OptionSpec o = cur.getCommandSpec().findOption(w.contains("=") ? w.substring(0, w.indexOf('=')) : w);
                if (o != null && o.arity().min() > 0 && !w.contains("=")) pending = o;
                continue;
            }
            CommandLine sub = positionals.isEmpty() ? cur.getSubcommands().get(w) : null;
            if (sub != null) cur = sub;
            else positionals.add(w);
        }
        CommandSpec spec = cur.getCommandSpec();
        if (pending != null) {
            values(pending, pending.completionCandidates(), "", word, out);
            return;
        }
        if (word.startsWith("-") && !endOfOptions) {
            int eq = word.indexOf('=');
            OptionSpec o = eq > 0 ? spec.findOption(word.substring(0, eq)) : null;
            if (o != null) {
                values(o, o.completionCandidates(), word.substring(0, eq + 1), word.substring(eq + 1), out);
                return;
            }
            for (OptionSpec opt : spec.options())
                if (!opt.hidden())
                    for (String n : opt.names())
                        out.add(new Candidate(n, n, null, String.join(" ", opt.description()), null, null, true));
            return;
        }
        if (positionals.isEmpty())
            for (var e : cur.getSubcommands().entrySet())
                if (!e.getValue().getCommandSpec().usageMessage().hidden())
                    out.add(new Candidate(e.getKey(), e.getKey(), null, first(e.getValue().getCommandSpec().usageMessage().description()), null, null, true));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden() || !p.index().contains(positionals.size())) continue;
            Iterable<String> c = p.completionCandidates();
            if (c instanceof ContextCandidates cc) c = cc.candidates(positionals);
            values(p, c, "", word, out);
        }
    }

    private static String first(String[] lines) {
        return lines.length == 0 ? null : lines[0];
    }

    /** An option's or parameter's candidates; a comma-split value completes its last element. */
    private static void values(CommandLine.Model.ArgSpec arg, Iterable<String> cands, String prefix, String word, List<Candidate> out) {
        if (cands == null) return;
        if (cands instanceof WordCandidates wc) {
            wc.complete(prefix, word, out);
            return;
        }
        String head = prefix;
        if (",".equals(arg.splitRegex()) && word.contains(",")) head += word.substring(0, word.lastIndexOf(',') + 1);
        for (String c : cands) {
            boolean complete = !c.endsWith("=");
            out.add(new Candidate(head + c, c, null, null, null, null, complete));
        }
    }

    /** Creates commands, and candidate lists bound to this shell's machine. */
    static final class Factory implements CommandLine.IFactory {
        private final Shell sh;

        Factory(Shell sh) {
            this.sh = sh;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (Arrays.equals(c.getParameterTypes(), new Class<?>[] {Shell.class})) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(sh));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
