package dev.klpsim.kernel;

/** A module the loader can find by name: a built-in .ko or a livepatch source. */
public interface ModuleSource {
    String name();

    /** A fresh spec for one load. Throws KernelError(ENOEXEC) when the source cannot be built. */
    ModuleSpec instantiate();
}
