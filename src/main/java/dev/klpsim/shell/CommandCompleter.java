package dev.klpsim.shell;

import org.jline.reader.Candidate;

import java.util.List;

/**
 * A kernel-style command's Tab completion: {@code words} are the command's words as the
 * shell's own lexer reads them (command name first), {@code idx} the one being completed.
 */
@FunctionalInterface
interface CommandCompleter {
    void complete(Shell sh, List<String> words, int idx, String word, List<Candidate> out);
}
