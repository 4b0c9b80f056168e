package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/** struct module: a loaded module. */
public final class Module {
    public final String name;
    public final ModuleSpec spec;
    public ModuleState state = ModuleState.UNFORMED;
    public int refcnt;
    /** The process whose finit_module() waits while the init sleeps (MODULE_STATE_COMING), or null. */
    public Task initWaiter;
    /** Other loads of this name waiting on module_wq while this one is COMING (add_unformed_module()). */
    final List<Runnable> loadWaiters = new ArrayList<>();
    /** The module's taint bits (module_flags_taint() shows them), see Taint. */
    public long taints;
    /** Set by klp_module_coming(), cleared by klp_module_going(). */
    public boolean klpAlive;
    final List<Symbol> symbols = new ArrayList<>();
    /** Undo actions for what the module registered (files, kprobes), run after exit. */
    final List<Runnable> cleanups = new ArrayList<>();
    public final long loadedAtNs;

    Module(ModuleSpec spec, long now) {
        this.name = spec.name;
        this.spec = spec;
        this.loadedAtNs = now;
    }

    public boolean isLivepatch() {
        return spec.livepatch;
    }

    public ModuleParam param(String name) {
        return spec.param(name);
    }

    public List<Symbol> symbols() {
        return List.copyOf(symbols);
    }

    private final java.util.Map<String, Symbol> byName = new java.util.HashMap<>();

    public Symbol symbol(String fn) {
        if (byName.size() != symbols.size()) for (Symbol s : symbols) byName.putIfAbsent(s.name, s);
        return byName.get(fn);
    }

    /** Registers something to undo when the module goes away. */
    public void onUnload(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    /** The simulated .ko size lsmod shows. */
    public long coreSize() {
        long sz = 8192;
        for (Symbol s : symbols) sz += s.size;
        return (sz + 4095) / 4096 * 4096;
    }
}
