package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the module loader needs of a module: its name, modinfo, parameters, functions, and
 * init/exit code. One spec is made per load, so module-level state starts fresh each time.
 */
public final class ModuleSpec {
    public interface Init {
        int run(Machine m, Module mod);
    }

    public interface Exit {
        void run(Machine m, Module mod);
    }

    /** Called when the module is created, before anything of it runs. */
    public interface Bind {
        void bind(Machine m, Module mod);
    }

    public record Function(String name, long size, KFunction body) {}

    /**
     * An invariant the module states about its own data ("the request counter survives every
     * replace"): `klp explore` checks it after every step while the module is loaded.
     * {@code holds} returns null when it holds, else what is wrong.
     */
    public record Assertion(String name, java.util.function.Supplier<String> holds) {}

    public final String name;
    public boolean livepatch;
    public final Map<String, String> modinfo = new LinkedHashMap<>();
    /** modinfo keys the module has only from some kernel on (samples' MODULE_DESCRIPTION: 7.x). */
    public final Map<String, java.util.function.Predicate<Profile>> modinfoOnlyIf = new LinkedHashMap<>();
    public final List<ModuleParam> params = new ArrayList<>();
    public final List<Function> functions = new ArrayList<>();
    public Bind bind;
    public Init init;
    /** null when the module's exit does nothing (klpsim's modules leave out empty ones). */
    public Exit exit;
    /**
     * The module has no module_exit() at all: delete_module() refuses it (-EBUSY) unless
     * forced. No module klpsim ships is one; a .jsh module can say so.
     */
    public boolean noExit;
    /** Where the module came from: a built-in .ko or a source file. */
    public String filename;
    /**
     * A source that builds this very module again (the same code: a .jsh is not read from
     * disk anew), for the journal's replay on a copy of the machine. Null: not replayable.
     */
    public ModuleSource origin;
    public final List<Assertion> assertions = new ArrayList<>();
    /**
     * What the module keeps in its own Java data that decides what it does next (objects it
     * allocated, counters in fields): part of `klp explore`'s state digest, which cannot see
     * inside a module. Each returns a list of numbers, strings and objects (objects count by
     * identity).
     */
    public final List<java.util.function.Supplier<List<?>>> exploreState = new ArrayList<>();

    public ModuleSpec(String name, boolean livepatch) {
        this.name = name;
        this.livepatch = livepatch;
    }

    public ModuleParam param(String name) {
        for (ModuleParam p : params) if (p.name.equals(name)) return p;
        return null;
    }
}
