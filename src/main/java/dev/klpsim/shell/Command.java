package dev.klpsim.shell;

/** A shell command: returns its exit status. */
@FunctionalInterface
public interface Command {
    int run(Invocation inv);
}
