package dev.klpsim.bench;

/** The start-up floor: the same JVM printing a line. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
