package dev.klpsim.c;

import java.util.Arrays;

/**
 * The preprocessed text of a C file, and where each of its characters came from: the
 * file, line and character of the token in the source (for a token a macro produced, the
 * place of the macro's use in the module's own file).
 */
final class Preprocessed {
    final String text;
    private final int[] offsets;
    private final int[] lines;
    private final int[] chars;
    private final int size;

    Preprocessed(String text, int[] offsets, int[] lines, int[] chars, int size) {
        this.text = text;
        this.offsets = offsets;
        this.lines = lines;
        this.chars = chars;
        this.size = size;
    }

    private int at(int offset) {
        int i = Arrays.binarySearch(offsets, 0, size, offset);
        if (i < 0) i = -i - 2;
        return Math.max(0, Math.min(i, size - 1));
    }

    /** The source line (1-based) of the character at {@code offset} of the text. */
    int line(int offset) {
        return size == 0 ? 1 : lines[at(offset)];
    }

    /** The source character index (0-based, in its line) of the character at {@code offset}. */
    int charIndex(int offset) {
        if (size == 0) return 0;
        int i = at(offset);
        return chars[i] + (offset - offsets[i]);
    }
}
