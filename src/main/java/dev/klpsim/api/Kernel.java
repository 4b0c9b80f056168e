package dev.klpsim.api;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.kernel.Vfs;
import dev.klpsim.kernel.Workqueue;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;

import java.util.List;

/**
 * The kernel as module code sees it: printk with the module's pr_fmt, the livepatch API,
 * shadow variables, work items, /proc and sysfs files, kprobes. One per loaded module.
 */
public final class Kernel {
    public static final long GFP_KERNEL = 0xcc0;

    private final ModuleSpec spec;
    /** Set for module code that must not throw into the kernel (.jsh sources). */
    ModuleBuilder.Guard guard;
    private Machine m;
    private Module mod;

    Kernel(ModuleSpec spec) {
        this.spec = spec;
    }

    void bind(Machine machine, Module module) {
        this.m = machine;
        this.mod = module;
    }

    private Machine m() {
        if (m == null) throw new IllegalStateException("module " + spec.name + " is not loaded");
        return m;
    }

    public String name() {
        return spec.name;
    }

    public Module module() {
        return mod;
    }

    public Machine machine() {
        return m();
    }

    public Task current() {
        return m().current;
    }

    // ---- printk ----------------------------------------------------------------------------

    /** pr_info() with {@code pr_fmt(fmt) KBUILD_MODNAME ": " fmt}. */
    public void prInfo(String msg) {
        m().printk.log(Printk.KERN_INFO, spec.name + ": " + msg);
    }

    public void prNotice(String msg) {
        m().printk.log(Printk.KERN_NOTICE, spec.name + ": " + msg);
    }

    public void prWarn(String msg) {
        m().printk.log(Printk.KERN_WARNING, spec.name + ": " + msg);
    }

    public void prErr(String msg) {
        m().printk.log(Printk.KERN_ERR, spec.name + ": " + msg);
    }

    /** printk() without a prefix, for modules that define no pr_fmt. */
    public void printk(int level, String msg) {
        m().printk.log(level, msg);
    }

    // ---- livepatch -------------------------------------------------------------------------

    /** Starts a struct klp_patch for this module. */
    public PatchBuilder patch() {
        return new PatchBuilder(this);
    }

    public int klpEnablePatch(KlpPatch patch) {
        return m().klp.core.klpEnablePatch(patch);
    }

    public KlpState klpGetState(KlpPatch patch, long id) {
        return m().klp.state.klpGetState(patch, id);
    }

    public KlpState klpGetPrevState(long id) {
        return m().klp.state.klpGetPrevState(id);
    }

    Symbol ownFunction(String name) {
        return mod == null ? null : mod.symbol(name);
    }

    // ---- shadow variables ------------------------------------------------------------------

    // Every call names this module as its caller: the shadow ledger (Shadow) records who
    // allocated, used and freed each variable, and a get by a module that used a variable
    // another module freed since is a read after free (a fault klp explore reports).

    public Shadow.Data klpShadowGet(Object obj, long id) {
        return m().klp.shadow.klpShadowGet(obj, id, spec.name);
    }

    public Shadow.Data klpShadowAlloc(Object obj, long id, long size, long gfp, Shadow.Ctor ctor, Object ctorData) {
        return m().klp.shadow.klpShadowAlloc(obj, id, size, ctor, ctorData, spec.name);
    }

    public Shadow.Data klpShadowGetOrAlloc(Object obj, long id, long size, long gfp, Shadow.Ctor ctor, Object ctorData) {
        return m().klp.shadow.klpShadowGetOrAlloc(obj, id, size, ctor, ctorData, spec.name);
    }

    public void klpShadowFree(Object obj, long id, Shadow.Dtor dtor) {
        m().klp.shadow.klpShadowFree(obj, id, dtor, spec.name);
    }

    public void klpShadowFreeAll(long id, Shadow.Dtor dtor) {
        m().klp.shadow.klpShadowFreeAll(id, dtor, spec.name);
    }

    // ---- calls, work, threads --------------------------------------------------------------

    /** Calls a kernel function (through ftrace and livepatch) as the current task. */
    public Object call(String fn, Object... args) {
        return m().call(m().current, fn, null, args);
    }

    /** INIT_WORK / INIT_DELAYED_WORK with a function of this module or of vmlinux. */
    public Workqueue.Work work(String fn) {
        Symbol s = mod.symbol(fn);
        if (s == null) s = m().kallsyms.lookup(null, fn);
        if (s == null) throw new KernelError(Errno.ENOENT, "no such function: " + fn);
        return m().workqueue.create(s, null);
    }

    public void scheduleWork(Workqueue.Work w) {
        m().workqueue.schedule(w);
    }

    public void scheduleDelayedWork(Workqueue.Work w, long ms) {
        m().workqueue.scheduleDelayed(w, ms * 1_000_000L);
    }

    public void flushWork(Workqueue.Work w) {
        m().workqueue.flush(w);
    }

    /** cancel_delayed_work_sync(): cancels a pending item and waits for a running one. */
    public void cancelDelayedWorkSync(Workqueue.Work w) {
        m().workqueue.cancelDelayed(w);
        m().workqueue.flush(w);
    }

    /** DECLARE_COMPLETION() */
    public dev.klpsim.kernel.Completion completion() {
        return new dev.klpsim.kernel.Completion();
    }

    /**
     * wait_for_completion() in this module's init: when {@code c} is done, the init goes on
     * with {@code rest} at once; else the init sleeps (TASK_UNINTERRUPTIBLE) and the module
     * stays in MODULE_STATE_COMING until complete() runs {@code rest} (kernel/module/main.c
     * do_init_module() then finishes the load). Returns what the init returns.
     */
    public int initWaitForCompletion(dev.klpsim.kernel.Completion c, java.util.function.IntSupplier rest) {
        if (c.done()) return rest.getAsInt();
        return m().modules.initBlocked(mod, c, rest);
    }

    /** kthread_run(): a kernel thread running one of this module's functions. */
    public Task kthreadRun(String fn, String comm) {
        Symbol s = mod.symbol(fn);
        if (s == null) throw new KernelError(Errno.ENOENT, "no such function: " + fn);
        Machine mm = m();
        Task t = mm.spawnKthread(comm, mm.boot.frames("ret_from_fork_asm", "ret_from_fork", "kthread"), TaskState.RUNNING);
        Task prev = mm.current;
        mm.current = t;
        try {
            mm.call(t, s, null);
        } finally {
            mm.current = prev;
        }
        if (t.sleepingInFunction()) return t;
        mm.exitTask(t);
        return t;
    }

    // ---- files, probes -------------------------------------------------------------------

    /** proc_create_single(): /proc/NAME shows what {@code showFn} prints. */
    public void procCreate(String name, int perm, String showFn) {
        Symbol s = mod.symbol(showFn);
        if (s == null) throw new KernelError(Errno.ENOENT, "no such function: " + showFn);
        m().fs().createProcEntry(name, perm, s, mod);
    }

    public void procRemove(String name) {
        m().fs().removeProcEntry(name);
    }

    /**
     * kobject_create_and_add(name, kernel_kobj) from this module's code ({@code caller}, as
     * the call trace names it): false (NULL) when /sys/kernel/NAME exists. The directory
     * stays until {@link #kobjectPut}: a module that never puts it leaves it behind.
     */
    public boolean kobjectCreateAndAdd(String name, String caller) {
        return m().fs().kobjectCreateAndAdd(name, caller);
    }

    public void kobjectPut(String name) {
        m().fs().kobjectPut(name);
    }

    /** sysfs_create_file() on a kobject of kobjectCreateAndAdd(): it goes with the kobject, not with the module. */
    public void sysfsCreateFileIn(String dir, String name, int perm, Vfs.Reader read) {
        m().fs().createSysfsFile(dir, name, perm, read, null, null);
    }

    /** The kernel profile the machine runs. */
    public dev.klpsim.kernel.Profile profile() {
        return m().options.profile;
    }

    /** A read-only attribute under /sys/kernel/DIR/. */
    public void sysfsCreateFile(String dir, String name, int perm, Vfs.Reader read) {
        m().fs().createSysfsFile(dir, name, perm, read, null, mod);
    }

    /** register_kprobe() on a vmlinux function; returns 0 or a negative errno. */
    public int registerKprobe(String fn, boolean postHandler) {
        Symbol s = m().kallsyms.lookup(null, fn);
        if (s == null) return Errno.ENOENT.neg();
        int ret = m().kprobes.register(s, postHandler, spec.name);
        if (ret == 0) mod.onUnload(() -> m.kprobes.unregisterAll(spec.name));
        return ret;
    }

    public void unregisterKprobes() {
        m().kprobes.unregisterAll(spec.name);
    }

    /** kfree() of an object module code allocated: shadow variables left on it become leaks. */
    public void kfree(Object obj) {
        m().kfree(obj);
    }

    public int consoleLoglevel() {
        return m().consoleLoglevel;
    }

    public void setConsoleLoglevel(int level) {
        m().consoleLoglevel = level;
    }

    /** Nanoseconds per millisecond, for Call.sleepWhile periods. */
    public static final long MSEC = 1_000_000L;

    public List<Task> tasks() {
        return m().tasks();
    }
}
