package dev.klpsim.livepatch;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;

/** kernel/livepatch/: the parts, wired together, and the log helpers they share. */
public final class Livepatch {
    public final Machine machine;
    public final Core core;
    public final Patch patch;
    public final Transition transition;
    public final Shadow shadow;
    public final States state;
    public final LivepatchSysfs sysfs;

    public Livepatch(Machine machine) {
        this.machine = machine;
        this.patch = new Patch(this);
        this.transition = new Transition(this);
        this.core = new Core(this);
        this.shadow = new Shadow(this);
        this.state = new States(this);
        this.sysfs = new LivepatchSysfs(this);
    }

    // pr_fmt is "livepatch: " for the whole core.
    void prNotice(String msg) {
        machine.printk.log(Printk.KERN_NOTICE, "livepatch: " + msg);
    }

    void prWarn(String msg) {
        machine.printk.log(Printk.KERN_WARNING, "livepatch: " + msg);
    }

    void prErr(String msg) {
        machine.printk.log(Printk.KERN_ERR, "livepatch: " + msg);
    }

    void prInfo(String msg) {
        machine.printk.log(Printk.KERN_INFO, "livepatch: " + msg);
    }

    /**
     * A pr_debug() of kernel/livepatch/transition.c: the call site is the one in
     * {@code function} whose format starts with {@code formatStart}; dynamic debug decides
     * whether and with which prefix it prints.
     */
    void prDebug(String function, String formatStart, String msg) {
        dev.klpsim.kernel.DynamicDebug.Site s = machine.dyndbg.site(function, formatStart);
        if (s.enabled()) machine.dyndbg.prDebug(s, machine.current, "livepatch: " + msg);
    }

    /** Whether a call site prints, so that per-task callers build no message for nothing. */
    boolean debugEnabled(String function, String formatStart) {
        return machine.dyndbg.enabled(function, formatStart);
    }

    boolean tracing() {
        return machine.trace.recording;
    }

    /** WARN(): the first lines of the kernel's block, abbreviated. */
    void warn(String file, int line, String func, String msg) {
        Warn.print(machine, file, line, func, msg);
    }
}
