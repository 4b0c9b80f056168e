package dev.klpsim.kernel;

/** The body of a simulated kernel function. */
@FunctionalInterface
public interface KFunction {
    Object call(Call c);
}
