package dev.klpsim.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What a presenter shows, in order: narration (a script's or transcript's {@code #} comment
 * lines) and commands, each command with the output a transcript expects of it (null for a
 * script, which expects nothing). A transcript's {@code #!} line is its machine options, not
 * narration; so is a script's first-line {@code #!} interpreter line.
 */
public record DemoScript(List<Item> items) {
    public sealed interface Item permits Narration, Step {}

    /** Comment lines shown as narration, {@code #} and one space taken off. */
    public record Narration(List<String> lines) implements Item {}

    /** A command, its line in the file, and (transcripts) the output expected of it. */
    public record Step(int line, String command, List<String> expected) implements Item {}

    /** A script of shell commands: one per line, blank lines and # comments between them. */
    public static DemoScript ofScript(List<String> lines) {
        List<Item> items = new ArrayList<>();
        List<String> said = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (i == 0 && l.startsWith("#!")) continue;
            if (l.startsWith("#")) {
                said.add(comment(l));
                continue;
            }
            said = flush(items, said);
            if (!l.isEmpty()) items.add(new Step(i + 1, l, null));
        }
        flush(items, said);
        return new DemoScript(items);
    }

    /** A .klpt transcript: {@code % } commands, their expected output, # comments; the #! line is left to the caller. */
    public static DemoScript ofTranscript(List<String> lines) {
        List<Item> items = new ArrayList<>();
        List<String> said = new ArrayList<>();
        Step open = null;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).stripTrailing();
            if (raw.startsWith("#!")) continue;
            if (raw.isBlank()) {
                said = flush(items, said);
                continue;
            }
            if (raw.startsWith("#")) {
                said.add(comment(raw));
                continue;
            }
            if (raw.startsWith("% ") || raw.equals("%")) {
                said = flush(items, said);
                open = new Step(i + 1, raw.length() > 2 ? raw.substring(2) : "", new ArrayList<>());
                items.add(open);
                continue;
            }
            if (open != null) open.expected().add(raw); // output before any command: Transcript.parse refuses the file first
        }
        flush(items, said);
        return new DemoScript(items);
    }

    /**
     * A Markdown page with ```klpt blocks (docs/tour.md): each block's commands and expected
     * output as in a transcript; the headings and prose before a block as its narration.
     */
    public static DemoScript ofMarkdown(List<String> lines) {
        List<Item> items = new ArrayList<>();
        List<String> said = new ArrayList<>();
        List<String> block = null;
        for (String l : lines) {
            if (block != null) {
                if (l.startsWith("```")) {
                    said = flush(items, said);
                    items.addAll(ofTranscript(block).items());
                    block = null;
                } else block.add(l);
            } else if (l.startsWith("```klpt")) {
                block = new ArrayList<>();
            } else if (l.isBlank()) {
                if (!said.isEmpty() && !said.get(said.size() - 1).isEmpty()) said.add("");
            } else said.add(l.replaceFirst("^#+ ", ""));
        }
        while (!said.isEmpty() && said.get(said.size() - 1).isEmpty()) said.remove(said.size() - 1);
        flush(items, said);
        return new DemoScript(items);
    }

    private static String comment(String l) {
        String s = l.substring(1);
        return s.startsWith(" ") ? s.substring(1) : s;
    }

    private static List<String> flush(List<Item> items, List<String> said) {
        while (!said.isEmpty() && said.get(said.size() - 1).isEmpty()) said.remove(said.size() - 1);
        if (!said.isEmpty()) items.add(new Narration(List.copyOf(said)));
        return new ArrayList<>();
    }

    public long commands() {
        return items.stream().filter(i -> i instanceof Step).count();
    }
}
