package dev.klpsim.shell;

import dev.klpsim.kernel.Trace;
import dev.klpsim.trace.Export;
import dev.klpsim.trace.TextTimeline;
import dev.klpsim.trace.Timeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;

/** trace on|off|show|clear|export: watch the replace engine, callbacks, shadow variables. */
final class TraceCommand {
    private TraceCommand() {}

    static final String USAGE = """
            trace                             which categories are on
            trace on|off [CATEGORY...]        all when none is named
            trace show [--since T] [CATEGORY...]
            trace clear
            trace export FILE.json|FILE.html [--force]
            categories: transition patch callbacks shadow state module""";

    static int run(Invocation inv) {
        List<String> a = inv.operands();
        Trace tr = inv.m.trace;
        if (a.isEmpty()) {
            EnumSet<Trace.Category> on = EnumSet.noneOf(Trace.Category.class);
            on.addAll(tr.enabled());
            EnumSet<Trace.Category> off = EnumSet.complementOf(on);
            inv.println("tracing: " + (on.isEmpty() ? "nothing" : String.join(" ", on.stream().map(Trace.Category::label).toList()))
                    + (off.isEmpty() ? "" : " (off: " + String.join(" ", off.stream().map(Trace.Category::label).toList()) + ")"));
            return 0;
        }
        List<String> rest = a.subList(1, a.size());
        switch (a.get(0)) {
            case "on", "off" -> {
                EnumSet<Trace.Category> cats = categories(inv, rest);
                if (cats == null) return 2;
                tr.enable(cats, a.get(0).equals("on"));
                return 0;
            }
            case "show" -> {
                long since = 0;
                List<String> names = new java.util.ArrayList<>();
                for (int i = 0; i < rest.size(); i++) {
                    if (rest.get(i).equals("--since") && i + 1 < rest.size()) {
                        Long ns = SystemCommands.parseDuration(rest.get(++i));
                        if (ns == null) {
                            inv.errln("trace: invalid time '" + rest.get(i) + "'");
                            return 2;
                        }
                        since = ns;
                    } else names.add(rest.get(i));
                }
                EnumSet<Trace.Category> cats = names.isEmpty() ? EnumSet.allOf(Trace.Category.class) : categories(inv, names);
                if (cats == null) return 2;
                for (Trace.Event e : tr.buffer()) if (e.timeNs() >= since && cats.contains(e.category())) inv.println(e.bufferLine());
                return 0;
            }
            case "clear" -> {
                tr.clearBuffer();
                return 0;
            }
            case "export" -> {
                return export(inv, rest);
            }
            default -> {
                inv.errln("trace: unknown subcommand '" + a.get(0) + "'\nusage:\n" + USAGE);
                return 2;
            }
        }
    }

    private static EnumSet<Trace.Category> categories(Invocation inv, List<String> names) {
        EnumSet<Trace.Category> out = names.isEmpty() ? EnumSet.allOf(Trace.Category.class) : EnumSet.noneOf(Trace.Category.class);
        for (String n : names) {
            Trace.Category c = Trace.Category.parse(n);
            if (c == null) {
                inv.errln("trace: unknown category '" + n + "' (categories: transition patch callbacks shadow state module)");
                return null;
            }
            out.add(c);
        }
        return out;
    }

    private static int export(Invocation inv, List<String> a) {
        boolean force = a.contains("--force");
        List<String> files = a.stream().filter(x -> !x.equals("--force")).toList();
        if (files.size() != 1 || !(files.get(0).endsWith(".json") || files.get(0).endsWith(".html"))) {
            inv.errln("usage: trace export FILE.json|FILE.html [--force]");
            return 2;
        }
        Path f = Path.of(files.get(0)).toAbsolutePath().normalize();
        if (Files.exists(f) && !force) {
            inv.errln("trace: " + files.get(0) + " exists; add --force to overwrite it");
            return 1;
        }
        Timeline t = Timeline.of(inv.m.trace.all(), inv.m.now());
        String text = files.get(0).endsWith(".json") ? Export.chromeJson(t) : Export.htmlPage(t, "klpsim timeline");
        try {
            Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            inv.errln("trace: cannot write " + files.get(0) + ": " + e.getMessage());
            return 1;
        }
        inv.println("trace: wrote " + f + " (" + t.tracks.size() + " task tracks, " + t.phases.size() + " transitions, " + t.points.size() + " events)");
        return 0;
    }

    static int timeline(Invocation inv, List<String> a) {
        int width = 60;
        if (!a.isEmpty()) {
            try {
                width = Integer.parseInt(a.get(a.size() - 1).replace("--width=", ""));
            } catch (NumberFormatException e) {
                inv.errln("usage: klp timeline [--width=N]");
                return 2;
            }
            if (width < 20 || width > 400) {
                inv.errln("klp: timeline width must be 20..400");
                return 2;
            }
        }
        for (String l : TextTimeline.render(Timeline.of(inv.m.trace.all(), inv.m.now()), width)) inv.println(l);
        return 0;
    }
}
