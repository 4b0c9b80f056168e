package dev.klpsim.shell;

import dev.klpsim.text.Plural;

import dev.klpsim.kernel.Trace;
import dev.klpsim.trace.ChromeTrace;
import dev.klpsim.trace.HtmlPage;
import dev.klpsim.trace.SequenceModel;
import dev.klpsim.trace.SequenceText;
import dev.klpsim.trace.TextTimeline;
import dev.klpsim.trace.Timeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** trace on|off|show|seq|clear|export: the ordered event log of the replace engine, callbacks, shadow variables. */
@Command(name = "trace", description = "trace the replace engine, callbacks, shadow variables, states and modules",
        footer = {"categories: transition patch callbacks shadow state module warn", "Example: trace on callbacks patch"})
final class TraceCommand extends ShellCmd {
    /** trace alone: which categories are on. */
    @Override
    public Integer call() {
        Trace tr = inv.m.trace;
        EnumSet<Trace.Category> on = EnumSet.noneOf(Trace.Category.class);
        on.addAll(tr.enabled());
        EnumSet<Trace.Category> off = EnumSet.complementOf(on);
        inv.println("tracing: " + (on.isEmpty() ? "nothing" : String.join(" ", on.stream().map(Trace.Category::label).toList()))
                + (off.isEmpty() ? "" : " (off: " + String.join(" ", off.stream().map(Trace.Category::label).toList()) + ")"));
        return 0;
    }

    @Command(name = "on", description = "trace these categories (all when none is named)", footer = "Example: trace on callbacks patch")
    int on(@Parameters(arity = "0..*", paramLabel = "CATEGORY", completionCandidates = Candidates.TraceCategories.class) List<String> names) {
        return onOff(names, true);
    }

    @Command(name = "off", description = "stop tracing these categories (all when none is named)", footer = "Example: trace off shadow")
    int off(@Parameters(arity = "0..*", paramLabel = "CATEGORY", completionCandidates = Candidates.TraceCategories.class) List<String> names) {
        return onOff(names, false);
    }

    private int onOff(List<String> names, boolean on) {
        EnumSet<Trace.Category> cats = categories(inv, names == null ? List.of() : names);
        if (cats == null) return 2;
        inv.m.trace.enable(cats, on);
        return 0;
    }

    @Command(name = "show", description = "every event recorded since the last clear, shown or not (all when none is named)", footer = "Example: trace show callbacks")
    int show(@Option(names = "--since", paramLabel = "T", description = "only events at or after virtual time T (seconds)") String sinceArg,
             @Parameters(arity = "0..*", paramLabel = "CATEGORY", completionCandidates = Candidates.TraceCategories.class) List<String> names) {
        long since = 0;
        if (sinceArg != null) {
            Long ns = SystemCommands.parseDuration(sinceArg);
            if (ns == null) {
                inv.errln("trace: invalid time '" + sinceArg + "'");
                return 2;
            }
            since = ns;
        }
        EnumSet<Trace.Category> cats = names == null || names.isEmpty() ? EnumSet.allOf(Trace.Category.class) : categories(inv, names);
        if (cats == null) return 2;
        return show(inv, inv.m.trace, cats, since);
    }

    /**
     * Every event recorded since the last clear, whether or not its category was on when it
     * happened (`trace on` only chooses what is shown as it happens); never silent.
     */
    private static int show(Invocation inv, Trace tr, EnumSet<Trace.Category> cats, long since) {
        int n = 0;
        for (Trace.Event e : tr.sinceClear()) {
            if (e.timeNs() < since || !cats.contains(e.category())) continue;
            inv.println(e.bufferLine());
            n++;
        }
        if (tr.dropped() > 0) inv.println("trace: the oldest " + tr.dropped() + " events were dropped (at most " + Trace.MAX_EVENTS + " are kept)");
        if (n == 0) {
            String which = cats.size() == Trace.Category.values().length ? "" : String.join(" ", cats.stream().map(Trace.Category::label).toList()) + " ";
            inv.println("trace: no " + which + "events recorded" + (since > 0 ? " at or after " + KlpWait.secs(since) : "")
                    + (tr.nextSeq() > 0 ? " since the last trace clear" : ""));
        }
        return 0;
    }

    @Command(name = "seq", description = "the order of callbacks, transitions, modules, shadow variables", footer = "Example: trace seq")
    int seq() {
        Timeline t = Timeline.of(inv.m.trace.all(), inv.m.now());
        for (String l : SequenceText.render(SequenceModel.of(t, LedgerCommands.statuses(inv)))) inv.println(l);
        return 0;
    }

    @Command(name = "clear", description = "start the trace afresh: show lists only later events", footer = "Example: trace clear")
    int clear() {
        inv.m.trace.clearBuffer();
        return 0;
    }

    @Command(name = "export", description = "write the timeline as Perfetto/Chrome JSON or as an HTML page", footer = "Example: trace export /tmp/session.html")
    int export(@Parameters(paramLabel = "FILE.json|FILE.html", completionCandidates = Candidates.HostFiles.class) String file,
               @Option(names = "--force", description = "overwrite FILE if it exists") boolean force) {
        return export(inv, file, force);
    }

    private static EnumSet<Trace.Category> categories(Invocation inv, List<String> names) {
        EnumSet<Trace.Category> out = names.isEmpty() ? EnumSet.allOf(Trace.Category.class) : EnumSet.noneOf(Trace.Category.class);
        for (String n : names) {
            Trace.Category c = Trace.Category.parse(n);
            if (c == null) {
                inv.errln("trace: unknown category '" + n + "' (categories: transition patch callbacks shadow state module warn)");
                return null;
            }
            out.add(c);
        }
        return out;
    }

    private static int export(Invocation inv, String file, boolean force) {
        if (!(file.endsWith(".json") || file.endsWith(".html"))) {
            inv.errln("trace: export writes FILE.json or FILE.html, not '" + file + "'");
            return 2;
        }
        Path f = inv.shell.hostWritePath(file, inv.shell::hostPath);
        if (Files.exists(f) && !Files.isDirectory(f) && !force) {
            inv.errln("trace: " + file + " exists; add --force to overwrite it");
            return 1;
        }
        String why = HostPaths.unwritable(f);
        if (why != null) {
            inv.errln("trace: cannot write " + file + ": " + why);
            return 1;
        }
        Timeline t = Timeline.of(inv.m.trace.all(), inv.m.now());
        String text = file.endsWith(".json") ? ChromeTrace.json(t)
                : HtmlPage.render(t, SequenceModel.of(t, LedgerCommands.statuses(inv)), "klpsim session: callback order");
        try {
            dev.klpsim.host.HostFile.writeNew(f, text, force);
        } catch (IOException | RuntimeException e) {
            inv.errln("trace: cannot write " + file + ": " + HostPaths.reason(e));
            return 1;
        }
        // the name as typed: a replay writes elsewhere (verify's scratch directory) and prints the same line
        inv.println("trace: wrote " + file + " (" + Plural.of(t.events.size(), "event") + ", " + Plural.of(t.phases.size(), "transition") + ", "
                + Plural.of(t.tracks.size(), "task track") + ")");
        return 0;
    }

    /** klp timeline: the text chart, {@code width} columns wide (checked by the command). */
    static int timeline(Invocation inv, int width) {
        for (String l : TextTimeline.render(Timeline.of(inv.m.trace.all(), inv.m.now()), width)) inv.println(l);
        return 0;
    }
}
