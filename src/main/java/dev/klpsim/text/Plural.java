package dev.klpsim.text;

/** A count with its noun: "1 transition", "2 transitions", "0 shadow variables". The one place a message makes a plural. */
public final class Plural {
    private Plural() {}

    /** {@code n} and {@code noun}, with an "s" unless n is 1. */
    public static String of(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }

    /** {@code n} and {@code one} or {@code many} (irregular nouns: "1 task was", "2 tasks were"). */
    public static String of(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
