package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** kernel/module/main.c: load_module(), do_init_module() and delete_module(). */
public final class ModuleLoader {
    private final Machine m;
    private final Map<String, Module> modules = new LinkedHashMap<>();
    /** The kernel-wide taint mask (kernel/panic.c tainted_mask). */
    private long taints;
    /** pr_notice_once() of the TAINT_LIVEPATCH line. */
    private boolean livepatchNoticed;

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
        return (taints & Taint.LIVEPATCH.bit()) != 0;
    }

    /** The kernel-wide taint mask, /proc/sys/kernel/tainted. */
    public long taints() {
        return taints;
    }

    /** add_taint() for taints that are not a module's (a WARN). */
    public void addTaint(Taint t) {
        taints |= t.bit();
    }

    /**
     * Loads a module with {@code key=value} parameters, in load_module()'s order: taints,
     * prepare_coming_module() (klp_module_coming()), parse_args(), then do_init_module().
     * Returns 0, a negative errno the finit_module() system call would return, or a
     * positive value that klp_module_coming() passed on (the syscall returns it as it is,
     * and the module is gone). Nothing of a failed load remains.
     */
    public int load(ModuleSpec spec, List<String> args) {
        Journal.Action a = spec.origin != null ? new Journal.Load(spec.origin, List.copyOf(args))
                : new Journal.Unreplayable("a load of " + spec.name + ", a module built without a source");
        return m.journal.record(a, () -> doLoad(spec, args));
    }

    /**
     * Set on a machine booted from a host snapshot whose host cannot load a livepatch module
     * (no module support, no CONFIG_LIVEPATCH, lockdown or signature enforcement against
     * klpsim's unsigned modules): every livepatch load fails as it would there.
     */
    public record LivepatchRefusal(String why, int ret, int level, String kernelLine) {}

    public LivepatchRefusal livepatchRefusal;

    private int doLoad(ModuleSpec spec, List<String> args) {
        // kmod opens the .ko as fd 3 and passes the parameters as one string
        debug("__do_sys_finit_module", "finit_module:", "finit_module: fd=3, uargs=" + HASHED_POINTER + ", flags=0");
        Module old = modules.get(spec.name);
        // add_unformed_module(): a module of that name still loading is waited for (it may fail)
        if (old != null) return old.state == ModuleState.COMING ? waitForLoading(old, spec, args) : Errno.EEXIST.neg();
        if (spec.livepatch && livepatchRefusal != null) {
            if (livepatchRefusal.kernelLine() != null)
                m.printk.log(livepatchRefusal.level(), String.format(livepatchRefusal.kernelLine(), spec.name));
            return livepatchRefusal.ret();
        }
        Module mod = new Module(spec, m.timers.now());
        moduleAugmentKernelTaints(mod);

        m.trace.module(m.current, spec.name, "load", 0, (spec.livepatch ? " (livepatch)" : "")
                + (args.isEmpty() ? "" : " " + String.join(" ", args)));
        for (ModuleSpec.Function f : spec.functions)
            mod.symbols.add(m.kallsyms.addModule(spec.name, f.name(), f.size(), f.body()));
        modules.put(spec.name, mod);
        if (spec.bind != null) spec.bind.bind(m, mod);

        mod.state = ModuleState.COMING;
        traceState(mod);
        // prepare_coming_module(): livepatch sees the module before its parameters are parsed
        int ret = m.klp.core.klpModuleComing(mod);
        if (ret != 0) {
            // bug_cleanup: klp_module_coming() has undone its own work
            m.trace.module(m.current, mod.name, "failed", ret, "refused by klp_module_coming (" + ret + ")");
            mod.state = ModuleState.GOING;
            freeModule(mod);
            return ret;
        }
        // parse_args(): -32768..32767 levels, unknown parameters to unknown_module_param_cb()
        ret = parseArgs(mod, String.join(" ", args));
        if (ret != 0) {
            // coming_cleanup
            m.trace.module(m.current, mod.name, "failed", ret, "parse_args failed (" + ret + ")");
            mod.state = ModuleState.GOING;
            traceState(mod);
            m.klp.core.klpModuleGoing(mod);
            freeModule(mod);
            return ret;
        }
        return doInitModule(mod);
    }

    /**
     * What load() returns when the module's init went to sleep for good (so far): the
     * finit_module() system call has not returned; the module stays in MODULE_STATE_COMING.
     */
    public static final int SYSCALL_BLOCKED = Integer.MIN_VALUE;

    /** do_init_module(): a negative init return unloads the module; a positive one is warned about. */
    private int doInitModule(Module mod) {
        Task prev = m.current;
        int ret;
        try {
            ret = mod.spec.init == null ? 0 : mod.spec.init.run(m, mod);
        } finally {
            m.current = prev;
        }
        if (ret == SYSCALL_BLOCKED) return ret;
        return finishInit(mod, ret);
    }

    /**
     * The init sleeps in wait_for_completion(), uninterruptibly: the module stays COMING with
     * the reference module_unload_init() took for the init (refcnt 1, so kmod's rmmod says
     * "in use" and delete_module() says -EBUSY), and klp_module_coming() has already marked
     * it alive for livepatch. The process in finit_module() is the caller's background job,
     * or a new one named {@code comm} (a foreground insmod: the shell gets its prompt back,
     * decisions.md #51). complete() runs the rest of the init and finishes the load.
     */
    public int initBlocked(Module mod, Completion c, java.util.function.IntSupplier rest) {
        mod.refcnt++;
        m.trace.module(m.current, mod.name, "refcnt", mod.refcnt, "refcnt " + (mod.refcnt - 1) + " -> " + mod.refcnt + " (init sleeps in wait_for_completion)");
        Task waiter = blockCaller(TaskState.UNINTERRUPTIBLE, "do_init_module", "do_one_initcall", "schedule_timeout", "schedule");
        mod.initWaiter = waiter;
        c.onComplete(() -> resumeInit(mod, rest));
        return SYSCALL_BLOCKED;
    }

    /** The process a load that did not return is left in: the caller's job, or a new one. */
    private Task blockCaller(TaskState state, String... innerFrames) {
        Task waiter = m.current != null && m.current != m.shell && !m.current.isKthread() && !m.current.isIdle() ? m.current
                : m.spawnUser(blockedComm, state, java.util.List.of());
        waiter.state = state;
        List<String> frames = new ArrayList<>(List.of("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_finit_module",
                "__do_sys_finit_module", "load_module"));
        frames.addAll(List.of(innerFrames));
        waiter.setStack(m.boot.frames(frames.toArray(String[]::new)));
        blocked = waiter;
        return waiter;
    }

    /** The process of the last load() that returned SYSCALL_BLOCKED. */
    private Task blocked;

    public Task blockedProcess() {
        return blocked;
    }

    /**
     * Another load of a module that is still COMING sleeps, interruptibly, until that one is
     * live or gone, then tries again (live: -EEXIST): idempotent_wait_for_completion() for
     * the same file (6.4+), add_unformed_module()'s wait on module_wq otherwise and on 5.10.
     * A signal ends the wait, and the process with it (kill, or Ctrl-C: decisions.md #51).
     */
    private int waitForLoading(Module old, ModuleSpec spec, List<String> args) {
        Task waiter = blockCaller(TaskState.INTERRUPTIBLE, "schedule");
        old.loadWaiters.add(() -> {
            if (waiter.state == TaskState.DEAD) return;
            Task prev = m.current;
            m.current = waiter;
            try {
                if (doLoad(spec, args) == SYSCALL_BLOCKED) return;
                waiter.state = TaskState.RUNNING;
                m.exitTask(waiter);
            } finally {
                m.current = prev;
            }
        });
        return SYSCALL_BLOCKED;
    }

    /** wake_up_all(&module_wq): the loads that waited for {@code mod} try again. */
    private void wakeLoadWaiters(Module mod) {
        List<Runnable> w = new ArrayList<>(mod.loadWaiters);
        mod.loadWaiters.clear();
        for (Runnable r : w) r.run();
    }

    /** Whether {@code t} is the process whose finit_module() waits for a sleeping init. */
    public boolean waitsInInit(Task t) {
        for (Module mod : modules.values()) if (mod.initWaiter == t) return true;
        return false;
    }

    /** The comm of the process a blocked foreground load leaves behind (insmod or modprobe). */
    private String blockedComm = "insmod";

    /** load() as the named tool: a foreground load whose init blocks leaves a process of that name. */
    public int load(ModuleSpec spec, List<String> args, String comm) {
        blockedComm = comm;
        try {
            return load(spec, args);
        } finally {
            blockedComm = "insmod";
        }
    }

    /** complete() woke the init: it goes on, do_init_module() finishes, and finit_module() returns. */
    private void resumeInit(Module mod, java.util.function.IntSupplier rest) {
        Task waiter = mod.initWaiter;
        Task prev = m.current;
        m.current = waiter;
        try {
            int ret = rest.getAsInt();
            if (ret == SYSCALL_BLOCKED) return;
            mod.initWaiter = null;
            modulePut(mod);
            finishInit(mod, ret);
            waiter.state = TaskState.RUNNING;
            m.exitTask(waiter);
        } finally {
            m.current = prev;
        }
    }

    private int finishInit(Module mod, int ret) {
        if (ret < 0) {
            m.trace.module(m.current, mod.name, "failed", ret, "init returned " + ret);
            mod.state = ModuleState.GOING;
            traceState(mod);
            m.klp.core.klpModuleGoing(mod);
            freeModule(mod);
            wakeLoadWaiters(mod);
            return ret;
        }
        if (ret > 0 && m.options.profile.initPositiveOneLine()) {
            m.printk.log(Printk.KERN_WARNING, mod.name + ": init suspiciously returned " + ret + ", it should follow 0/-E convention");
        } else if (ret > 0) {
            m.printk.log(Printk.KERN_WARNING, "do_init_module: '" + mod.name + "'->init suspiciously returned " + ret
                    + ", it should follow 0/-E convention\ndo_init_module: loading module anyway...");
            if (m.options.profile.legacyTransition())
                DumpStack.print(m, Printk.KERN_WARNING, "do_init_module.cold+0x21/0x26", "__do_sys_finit_module+0xb1/0x120",
                        "do_syscall_64+0x33/0x80", "entry_SYSCALL_64_after_hwframe+0x67/0xd1");
            else
                DumpStack.print(m, Printk.KERN_WARNING, "do_init_module+0x8e/0x270", "init_module_from_file+0x89/0xe0",
                        "idempotent_init_module+0x11d/0x310", "__x64_sys_finit_module+0x5e/0xb0", "do_syscall_64+0x87/0x1b0",
                        "entry_SYSCALL_64_after_hwframe+0x76/0x7e");
        }
        mod.state = ModuleState.LIVE;
        traceState(mod);
        wakeLoadWaiters(mod);
        return 0;
    }

    /**
     * module_augment_kernel_taints(): klpsim's modules are out-of-tree and unsigned, as the
     * selftest modules built outside the kernel tree are on a distro kernel (O and E). The
     * "loading out-of-tree module taints kernel." and "module verification failed" lines are
     * not printed: the selftests' check drops them, and so do klpsim's transcripts
     * (decisions.md). The TAINT_LIVEPATCH notice is printed, once.
     */
    private void moduleAugmentKernelTaints(Module mod) {
        mod.taints |= Taint.OOT_MODULE.bit();
        taints |= Taint.OOT_MODULE.bit();
        if (mod.spec.livepatch) {
            mod.taints |= Taint.LIVEPATCH.bit();
            if (!livepatchNoticed) {
                livepatchNoticed = true;
                m.printk.log(Printk.KERN_NOTICE, mod.name + ": tainting kernel with TAINT_LIVEPATCH");
            }
            taints |= Taint.LIVEPATCH.bit();
        }
        mod.taints |= Taint.UNSIGNED_MODULE.bit();
        taints |= Taint.UNSIGNED_MODULE.bit();
    }

    /**
     * parse_args() with unknown_module_param_cb(): each bad value is logged and parsing goes
     * on; the result is the last error. An unknown parameter is only warned about, and
     * {@code dyndbg=QUERY} is dynamic debug's (a bad query logs but does not fail the load).
     */
    private int parseArgs(Module mod, String args) {
        boolean tf = m.options.profile.kstrtoboolTF();
        int err = 0;
        String rest = args.stripLeading();
        if (!rest.isEmpty()) debug("parse_args", "doing %s, parsing ARGS", "doing " + mod.name + ", parsing ARGS: '" + rest + "'");
        while (!rest.isEmpty()) {
            NextArg a = nextArg(rest);
            rest = a.rest;
            if (a.val == null && a.param.equals("--")) {
                if (!rest.isEmpty())
                    m.printk.log(Printk.KERN_WARNING, mod.name + ": parameters '" + rest + "' after `--' ignored");
                return err;
            }
            ModuleParam p = mod.spec.param(a.param.replace('-', '_'));
            // the value as the kernel's args buffer holds it: param_array() writes into it
            StringBuilder valBuf = a.val == null ? null : new StringBuilder(a.val);
            int ret;
            if (p == null) {
                debug("parse_one", "doing %s: %s=", "doing " + mod.name + ": " + a.param + "='" + (a.val == null ? "(null)" : a.val) + "'");
                ret = 0;
                if (a.param.equals("dyndbg")) m.dyndbg.execQueries(a.val == null ? "+p" : a.val, mod.name);
                else if (!a.param.equals("async_probe"))
                    m.printk.log(Printk.KERN_WARNING, mod.name + ": unknown parameter '" + a.param + "' ignored");
            } else if (a.val == null && p.type != ModuleParam.Type.BOOL) {
                ret = Errno.EINVAL.neg();
            } else {
                if (m.options.profile.paramsValueDebug())
                    debug("parse_one", "handling %s with", "handling " + a.param + " with value '" + (a.val == null ? "no-arg" : a.val) + "'");
                else
                    debug("parse_one", "handling %s with", "handling " + a.param + " with " + HASHED_POINTER);
                ret = p.set(valBuf, tf, line -> m.printk.log(Printk.KERN_ERR, line));
            }
            if (ret == 0) continue;
            String val = valBuf == null ? "" : ModuleParam.cString(valBuf);
            if (ret == Errno.ENOSPC.neg())
                m.printk.log(Printk.KERN_ERR, mod.name + ": `" + val + "' too large for parameter `" + a.param + "'");
            else
                m.printk.log(Printk.KERN_ERR, mod.name + ": `" + val + "' invalid for parameter `" + a.param + "'");
            err = ret;
        }
        return err;
    }

    /** What %p prints for a kernel pointer: a per-boot hash, so any fixed value will do. */
    static final String HASHED_POINTER = "00000000c0ffee15";

    private void debug(String function, String formatStart, String text) {
        DynamicDebug.Site s = m.dyndbg.site(function, formatStart);
        if (s.enabled()) m.dyndbg.prDebug(s, m.current, text);
    }

    private record NextArg(String param, String val, String rest) {}

    /** lib/cmdline.c next_arg(): one {@code param[=val]}, double quotes group, and are dropped. */
    private static NextArg nextArg(String args) {
        int start = 0;
        boolean inQuote = false, quoted = false;
        if (args.startsWith("\"")) {
            start = 1;
            inQuote = quoted = true;
        }
        String a = args.substring(start);
        int i, equals = 0;
        for (i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (Character.isWhitespace(c) && !inQuote) break;
            if (equals == 0 && c == '=') equals = i;
            if (c == '"') inQuote = !inQuote;
        }
        String word = a.substring(0, i);
        String rest = i < a.length() ? a.substring(i + 1).stripLeading() : "";
        String param, val;
        if (equals == 0) {
            param = word;
            val = null;
            if (quoted && param.endsWith("\"")) param = param.substring(0, param.length() - 1);
        } else {
            param = word.substring(0, equals);
            val = word.substring(equals + 1);
            if (val.startsWith("\"")) {
                val = val.substring(1);
                if (val.endsWith("\"")) val = val.substring(0, val.length() - 1);
            } else if (quoted && val.endsWith("\"")) {
                val = val.substring(0, val.length() - 1);
            }
        }
        return new NextArg(param, val, rest);
    }

    /** delete_module(name, O_NONBLOCK): refused while the module is in use. */
    public int unload(String name) {
        return unload(name, false);
    }

    /**
     * delete_module(); {@code force} is O_TRUNC (kmod's rmmod -f, modprobe -rf): with
     * CONFIG_MODULE_FORCE_UNLOAD=y, which Debian's 5.10, 6.12 and 7.3 all set, a module in use
     * (or one with an init and no exit) is removed anyway and the kernel tainted 'R'. Whatever
     * still points into the module (a forced patch's tasks, a pinned reference) is not told.
     */
    public int unload(String name, boolean force) {
        return m.journal.record(new Journal.Unload(name, force), () -> doUnload(name, force));
    }

    private int doUnload(String name, boolean force) {
        Module mod = modules.get(name);
        if (mod == null) return Errno.ENOENT.neg();
        // "Doing init or already dying?": O_TRUNC does not help here
        if (mod.state != ModuleState.LIVE) return Errno.EBUSY.neg();
        // "If it has an init func, it must have an exit func to unload"
        if (mod.spec.init != null && mod.spec.noExit && !tryForceUnload(force)) return Errno.EBUSY.neg();
        // try_stop_module(): the references left, else -EWOULDBLOCK unless forced
        if (mod.refcnt > 0 && !tryForceUnload(force)) return Errno.EAGAIN.neg();
        mod.state = ModuleState.GOING;
        traceState(mod);
        if (mod.spec.exit != null) mod.spec.exit.run(m, mod);
        m.klp.core.klpModuleGoing(mod);
        freeModule(mod);
        return 0;
    }

    /** try_force_unload(): O_TRUNC taints the kernel TAINT_FORCED_RMMOD ('R') and goes on. */
    private boolean tryForceUnload(boolean force) {
        if (force) addTaint(Taint.FORCED_RMMOD, true);
        return force;
    }

    /** lib/debug_locks.c debug_locks: on until a taint makes lockdep unreliable. */
    private boolean debugLocks = true;

    /**
     * add_taint() (kernel/panic.c): a taint with LOCKDEP_NOW_UNRELIABLE turns lock debugging
     * off, and says so the first time.
     */
    private void addTaint(Taint t, boolean lockdepNowUnreliable) {
        if (lockdepNowUnreliable && debugLocks) {
            debugLocks = false;
            m.printk.log(Printk.KERN_WARNING, "Disabling lock debugging due to kernel taint");
        }
        taints |= t.bit();
    }

    private void traceState(Module mod) {
        m.trace.module(m.current, mod.name, "state", mod.state.ordinal(), mod.state.description);
    }

    private void freeModule(Module mod) {
        List<Runnable> undo = new ArrayList<>(mod.cleanups);
        java.util.Collections.reverse(undo);
        for (Runnable r : undo) r.run();
        mod.cleanups.clear();
        m.kallsyms.removeModule(mod.name);
        modules.remove(mod.name);
        m.trace.module(m.current, mod.name, "free", 0, "freed");
    }

    /** try_module_get(): fails for a module on its way out. */
    public boolean tryModuleGet(Module mod) {
        if (mod.state == ModuleState.GOING) return false;
        mod.refcnt++;
        m.trace.module(m.current, mod.name, "refcnt", mod.refcnt, "refcnt " + (mod.refcnt - 1) + " -> " + mod.refcnt);
        return true;
    }

    public void modulePut(Module mod) {
        if (mod.refcnt > 0) {
            mod.refcnt--;
            m.trace.module(m.current, mod.name, "refcnt", mod.refcnt, "refcnt " + (mod.refcnt + 1) + " -> " + mod.refcnt);
        }
    }
}
