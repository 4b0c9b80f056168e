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
    private final Kernel kernel;

    public ModuleBuilder(String name, boolean livepatch) {
        spec = new ModuleSpec(name, livepatch);
        kernel = new Kernel(spec);
        spec.bind = kernel::bind;
        if (livepatch) spec.modinfo.put("livepatch", "Y");
        spec.modinfo.put("license", "GPL");
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
        for (ModuleSpec.Function f : spec.functions)
            if (f.name().equals(name)) throw new IllegalArgumentException("duplicate function " + name);
        spec.functions.add(new ModuleSpec.Function(name, size, body));
        return this;
    }

    /** module_init(): returns 0 or a negative errno. */
    public ModuleBuilder init(IntSupplier init) {
        spec.init = (m, mod) -> init.getAsInt();
        return this;
    }

    /** module_exit() */
    public ModuleBuilder exit(Runnable exit) {
        spec.exit = (m, mod) -> exit.run();
        return this;
    }

    public ModuleSpec build() {
        return spec;
    }
}
