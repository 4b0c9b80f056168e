package dev.klpsim.kernel;

/**
 * A module the loader can find by name: a built-in .ko or a livepatch source. One source
 * serves every machine (a copy of a machine loads its modules from the original's sources),
 * so nothing in it may belong to one machine.
 */
public interface ModuleSource {
    String name();

    /**
     * A fresh spec for one load, on whichever machine loads it; its {@code origin} is a
     * source that builds the same module again. Throws KernelError(ENOEXEC) when the
     * source cannot be built.
     */
    ModuleSpec instantiate();
}
