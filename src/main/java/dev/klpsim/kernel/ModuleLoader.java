package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kernel/module/main.c: load_module(), do_init_module() and delete_module(). */
public final class ModuleLoader {
    private final Machine m;
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private boolean taintedLivepatch;

    ModuleLoader(Machine m) {
        this.m = m;
    }

    public Module find(String name) {
        return modules.get(name);
    }

    /** Loaded modules, newest first (as lsmod and /proc/modules list them). */
    public List<Module> list() {
        List<Module> l = new ArrayList<>(modules.values());
        java.util.Collections.reverse(l);
        return l;
    }

    public boolean livepatchTainted() {
        return taintedLivepatch;
    }

    /**
     * Loads a module with {@code key=value} parameters. Returns 0 or the negative errno
     * the finit_module() system call would return; nothing of a failed load remains.
     */
    public int load(ModuleSpec spec, List<String> args) {
        if (modules.containsKey(spec.name)) return Errno.EEXIST.neg();
        // check_modinfo_livepatch(): the taint notice comes before anything else of the load.
        if (spec.livepatch && !taintedLivepatch) {
            taintedLivepatch = true;
            m.printk.log(Printk.KERN_NOTICE, spec.name + ": tainting kernel with TAINT_LIVEPATCH");
        }
        int ret = parseArgs(spec, args);
        if (ret != 0) return ret;

        Module mod = new Module(spec, m.timers.now());
        m.trace.emit(Trace.Category.MODULE, "load", m.current, null, 0, "load " + spec.name + (spec.livepatch ? " (livepatch)" : "")
                + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        for (ModuleSpec.Function f : spec.functions)
            mod.symbols.add(m.kallsyms.addModule(spec.name, f.name(), f.size(), f.body()));
        modules.put(spec.name, mod);
        if (spec.bind != null) spec.bind.bind(m, mod);

        mod.state = ModuleState.COMING;
        traceState(mod);
        ret = m.klp.core.klpModuleComing(mod);
        if (ret != 0) {
            m.trace.emit(Trace.Category.MODULE, "failed", m.current, null, ret, mod.name + ": refused by klp_module_coming (" + ret + ")");
            freeModule(mod);
            return ret;
        }
        Task prev = m.current;
        try {
            ret = spec.init == null ? 0 : spec.init.run(m, mod);
        } finally {
            m.current = prev;
        }
        if (ret > 0) ret = 0;
        if (ret != 0) {
            m.trace.emit(Trace.Category.MODULE, "failed", m.current, null, ret, mod.name + ": init returned " + ret);
            mod.state = ModuleState.GOING;
            traceState(mod);
            m.klp.core.klpModuleGoing(mod);
            freeModule(mod);
            return ret;
        }
        mod.state = ModuleState.LIVE;
        traceState(mod);
        return 0;
    }

    /** parse_args(): unknown parameters are ignored with a warning, bad values fail the load. */
    private int parseArgs(ModuleSpec spec, List<String> args) {
        boolean tf = m.options.profile.kstrtoboolTF();
        for (String a : args) {
            int eq = a.indexOf('=');
            String key = eq < 0 ? a : a.substring(0, eq);
            String val = eq < 0 ? null : a.substring(eq + 1);
            String norm = key.replace('-', '_');
            ModuleParam p = spec.param(norm);
            if (p == null) {
                m.printk.log(Printk.KERN_WARNING, spec.name + ": unknown parameter '" + key + "' ignored");
                continue;
            }
            int ret = p.set(val, tf);
            if (ret != 0) {
                m.printk.log(Printk.KERN_ERR, spec.name + ": `" + (val == null ? "" : val) + "' invalid for parameter `" + key + "'");
                return ret;
            }
        }
        return 0;
    }

    /** delete_module(): refused while the module is in use. */
    public int unload(String name) {
        Module mod = modules.get(name);
        if (mod == null) return Errno.ENOENT.neg();
        if (mod.state != ModuleState.LIVE) return Errno.EBUSY.neg();
        if (mod.refcnt > 0) return Errno.EBUSY.neg();
        mod.state = ModuleState.GOING;
        traceState(mod);
        if (mod.spec.exit != null) mod.spec.exit.run(m, mod);
        m.klp.core.klpModuleGoing(mod);
        freeModule(mod);
        return 0;
    }

    private void traceState(Module mod) {
        m.trace.emit(Trace.Category.MODULE, "state", m.current, null, mod.state.ordinal(), mod.name + ": " + mod.state.description);
    }

    private void freeModule(Module mod) {
        List<Runnable> undo = new ArrayList<>(mod.cleanups);
        java.util.Collections.reverse(undo);
        for (Runnable r : undo) r.run();
        mod.cleanups.clear();
        m.kallsyms.removeModule(mod.name);
        modules.remove(mod.name);
        m.trace.emit(Trace.Category.MODULE, "free", m.current, null, 0, mod.name + ": freed");
    }

    /** try_module_get(): fails for a module on its way out. */
    public boolean tryModuleGet(Module mod) {
        if (mod.state == ModuleState.GOING) return false;
        mod.refcnt++;
        m.trace.emit(Trace.Category.MODULE, "refcnt", m.current, null, mod.refcnt, mod.name + ": refcnt " + (mod.refcnt - 1) + " -> " + mod.refcnt);
        return true;
    }

    public void modulePut(Module mod) {
        if (mod.refcnt > 0) {
            mod.refcnt--;
            m.trace.emit(Trace.Category.MODULE, "refcnt", m.current, null, mod.refcnt, mod.name + ": refcnt " + (mod.refcnt + 1) + " -> " + mod.refcnt);
        }
    }
}
