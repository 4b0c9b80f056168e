package dev.klpsim.shell;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;

/**
 * Tab completion from the command table: command names first, then the command's own
 * completer (its picocli model for klpsim commands); a redirection's target is a path.
 */
final class ShellCompleter implements Completer {
    private final Shell sh;

    ShellCompleter(Shell sh) {
        this.sh = sh;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        List<String> words = line.words();
        int idx = line.wordIndex();
        String word = line.word().substring(0, line.wordCursor());
        if (line instanceof ShellParser.Line sl && sl.redirectTarget()) {
            KernelCompleters.paths(sh, words, idx, word, out);
            return;
        }
        if (idx == 0) {
            for (Shell.Entry e : sh.commands().values()) out.add(new Candidate(e.name(), e.name(), null, e.summary(), null, null, true));
            if (word.startsWith(".") || word.startsWith("/")) KernelCompleters.paths(sh, words, idx, word, out);
            return;
        }
        Shell.Entry e = sh.commands().get(words.get(0));
        if (e == null) KernelCompleters.paths(sh, words, idx, word, out);
        else e.complete(sh, words, idx, word, out);
    }
}
