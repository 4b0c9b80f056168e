package dev.klpsim.transcript;

import java.util.ArrayList;
import java.util.List;

/** A parsed .klpt file: machine options, then commands each with the output expected of it. */
public final class Transcript {
    public record Step(int line, String command, List<String> expected) {}

    /** A file that is not a transcript. */
    public static final class ParseError extends Exception {
        public ParseError(String msg) {
            super(msg, null, false, false);
        }
    }

    public final List<String> options = new ArrayList<>();
    public final List<Step> steps = new ArrayList<>();

    public static Transcript parse(String text) throws ParseError {
        Transcript t = new Transcript();
        boolean header = true;
        String[] lines = text.split("\r?\n", -1);
        String cmd = null;
        int cmdLine = 0;
        List<String> expected = null;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].stripTrailing();
            if (raw.startsWith("#!")) {
                if (!header) throw new ParseError("line " + (i + 1) + ": '#!' options must come before everything else");
                try {
                    // shell words: a host path with a space in it is written quoted
                    t.options.addAll(dev.klpsim.shell.ShellSyntax.simpleWords(raw.substring(2)));
                } catch (dev.klpsim.shell.ShellSyntax.SyntaxError e) {
                    throw new ParseError("line " + (i + 1) + ": '#!' options: " + e.getMessage());
                }
                continue;
            }
            if (raw.isBlank()) continue;
            if (raw.startsWith("#")) {
                header = false;
                continue;
            }
            header = false;
            if (raw.startsWith("% ") || raw.equals("%")) {
                if (cmd != null) t.steps.add(new Step(cmdLine, cmd, expected));
                cmd = raw.length() > 2 ? raw.substring(2) : "";
                cmdLine = i + 1;
                expected = new ArrayList<>();
                continue;
            }
            if (cmd == null) throw new ParseError("line " + (i + 1) + ": output before the first '% ' command");
            expected.add(raw);
        }
        if (cmd != null) t.steps.add(new Step(cmdLine, cmd, expected));
        return t;
    }
}
