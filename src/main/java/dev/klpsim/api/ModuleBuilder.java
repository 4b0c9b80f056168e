package dev.klpsim.api;

import dev.klpsim.kernel.KFunction;
import dev.klpsim.kernel.ModuleParam;
import dev.klpsim.kernel.ModuleSpec;

import java.util.function.IntSupplier;

/**
 * What a module source declares: its modinfo, parameters, functions and init/exit. The
 * same builder serves built-in modules and .jsh sources.
 */
public final class ModuleBuilder {
    private final ModuleSpec spec;
    private final java.util.Set<String> functionNames = new java.util.HashSet<>();
    private final Kernel kernel;

    public ModuleBuilder(String name, boolean livepatch) {
        spec = new ModuleSpec(name, livepatch);
        kernel = new Kernel(spec);
        spec.bind = kernel::bind;
        if (livepatch) livepatch();
        spec.modinfo.put("license", "GPL");
    }

    /** MODULE_INFO(livepatch, "Y"): the loader taints the kernel and klp_enable_patch() accepts the module. */
    public ModuleBuilder livepatch() {
        spec.livepatch = true;
        spec.modinfo.put("livepatch", "Y");
        return this;
    }

    /**
     * Wraps code the module author wrote (a .jsh source) so that an exception in it is
     * reported and turned into an error return instead of escaping into the kernel.
     */
    public interface Guard {
        int guardInt(String what, java.util.function.IntSupplier code);

        void guardVoid(String what, Runnable code);
    }

    private Guard guard;

    public ModuleBuilder guard(Guard g) {
        this.guard = g;
        kernel.guard = g;
        return this;
    }

    public String name() {
        return spec.name;
    }

    /** The kernel API this module's code calls; bound to the machine once the module loads. */
    public Kernel kernel() {
        return kernel;
    }

    public ModuleBuilder description(String d) {
        spec.modinfo.put("description", d);
        return this;
    }

    /** A MODULE_DESCRIPTION that only the samples/livepatch of 7.x have (6.12, 5.10: none). */
    public ModuleBuilder sampleDescription(String d) {
        spec.modinfo.put("description", d);
        spec.modinfoOnlyIf.put("description", dev.klpsim.kernel.Profile::sampleDescriptions);
        return this;
    }

    public ModuleBuilder author(String a) {
        spec.modinfo.put("author", a);
        return this;
    }

    public ModuleBuilder modinfo(String key, String value) {
        spec.modinfo.put(key, value);
        return this;
    }

    public Param paramInt(String name, int perm, int def, String desc) {
        return param(new ModuleParam(name, ModuleParam.Type.INT, perm, def, desc, 1));
    }

    public Param paramBool(String name, int perm, boolean def, String desc) {
        return param(new ModuleParam(name, ModuleParam.Type.BOOL, perm, def, desc, 1));
    }

    public Param paramString(String name, int perm, String def, String desc) {
        return param(new ModuleParam(name, ModuleParam.Type.CHARP, perm, def, desc, 1));
    }

    public Param paramIntArray(String name, int perm, int max, String desc) {
        return param(new ModuleParam(name, ModuleParam.Type.INT_ARRAY, perm, new int[0], desc, max));
    }

    private Param param(ModuleParam p) {
        if (spec.param(p.name) != null) throw new IllegalArgumentException("duplicate parameter " + p.name);
        spec.params.add(p);
        return new Param(p);
    }

    /** A function of this module: a replacement for a livepatch, or the module's own code. */
    public ModuleBuilder function(String name, KFunction body) {
        return function(name, 0x40, body);
    }

    public ModuleBuilder function(String name, long size, KFunction body) {
        if (!functionNames.add(name)) throw new IllegalArgumentException("duplicate function " + name);
        Guard g = guard;
        KFunction b = g == null ? body : c -> {
            Object[] result = {null};
            int ret = g.guardInt(name + "()", () -> {
                result[0] = body.call(c);
                return 0;
            });
            return ret != 0 ? (Object) ret : result[0];
        };
        spec.functions.add(new ModuleSpec.Function(name, size, b));
        return this;
    }

    /**
     * An invariant about this module's own data, checked by `klp explore` after every step
     * while the module is loaded, e.g.
     * {@code m.assertion("the request counter survives every replace", () -> !active() || counter() != null)}.
     * It should only look: what it does is not part of the session.
     */
    public ModuleBuilder assertion(String name, java.util.function.BooleanSupplier holds) {
        Guard g = guard;
        spec.assertions.add(new ModuleSpec.Assertion(name, () -> {
            if (g == null) return holds.getAsBoolean() ? null : "does not hold";
            String[] why = {null};
            int ret = g.guardInt("assertion '" + name + "'", () -> {
                why[0] = holds.getAsBoolean() ? null : "does not hold";
                return 0;
            });
            return ret != 0 ? "threw (see the kernel log)" : why[0];
        }));
        return this;
    }

    /**
     * What this module keeps in its own Java data that decides what it does next (a list of
     * objects it allocated and their expiry, a counter in a field), for `klp explore`'s state
     * digest: without it, two states that differ only there count as one, and explore may
     * skip an order that matters. Numbers, strings and booleans count by value, other objects
     * by identity (the same object keeps one name, also in the shadow variables attached to
     * it). E.g. {@code m.exploreState(() -> List.of(counter[0]))}. It should only look.
     */
    public ModuleBuilder exploreState(java.util.function.Supplier<java.util.List<?>> state) {
        Guard g = guard;
        spec.exploreState.add(g == null ? state : () -> {
            java.util.List<?>[] got = {java.util.List.of()};
            int ret = g.guardInt("exploreState", () -> {
                got[0] = state.get();
                return 0;
            });
            return ret != 0 ? java.util.List.of("threw") : got[0];
        });
        return this;
    }

    /** module_init(): returns 0 or a negative errno. */
    public ModuleBuilder init(IntSupplier init) {
        Guard g = guard;
        spec.init = g == null ? (m, mod) -> init.getAsInt() : (m, mod) -> g.guardInt("module_init", init);
        return this;
    }

    /** module_exit() */
    public ModuleBuilder exit(Runnable exit) {
        Guard g = guard;
        spec.exit = g == null ? (m, mod) -> exit.run() : (m, mod) -> g.guardVoid("module_exit", exit);
        return this;
    }

    public ModuleSpec build() {
        return spec;
    }
}
