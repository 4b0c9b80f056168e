package dev.klpsim.livepatch;

import dev.klpsim.kernel.DumpStack;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Taint;
import dev.klpsim.kernel.Task;

/**
 * The WARN() and dump_stack() blocks. The kernel prints registers and a full backtrace;
 * klpsim keeps the lines a reader needs (the kernel's WARN() output, include/asm-generic/bug.h, abbreviated).
 */
final class Warn {
    private Warn() {}

    static void print(Machine m, String file, int line, String func, String msg) {
        Task cur = m.current;
        m.faults.report(dev.klpsim.kernel.Faults.Kind.WARN, null, String.format("WARNING at %s:%d %s%s", file, line, func, msg == null ? "" : ": " + msg));
        m.printk.log(Printk.KERN_WARNING, "------------[ cut here ]------------");
        if (msg != null) m.printk.log(Printk.KERN_WARNING, msg);
        m.printk.log(Printk.KERN_WARNING, String.format("WARNING: CPU: 0 PID: %d at %s:%d %s+0x0/0x0", cur.pid, file, line, func));
        m.printk.log(Printk.KERN_WARNING, DumpStack.cpuLine(m));
        m.printk.log(Printk.KERN_WARNING, "---[ end trace 0000000000000000 ]---");
        // __warn() taints after the report
        m.modules.addTaint(Taint.WARN);
        m.trace.emit(cur, new dev.klpsim.kernel.TraceEvent.Warning(file, line, func, msg));
    }

    static void dumpStack(Machine m) {
        Task cur = m.current;
        m.printk.log(Printk.KERN_INFO, DumpStack.cpuLine(m));
        m.printk.log(Printk.KERN_INFO, "Call Trace:");
        m.printk.log(Printk.KERN_INFO, " <TASK>");
        m.printk.log(Printk.KERN_INFO, " dump_stack_lvl+0x5d/0x80");
        m.printk.log(Printk.KERN_INFO, " sysfs_warn_dup+0x5a/0x70");
        m.printk.log(Printk.KERN_INFO, " sysfs_create_dir_ns+0xd1/0xf0");
        m.printk.log(Printk.KERN_INFO, " kobject_add_internal+0xa8/0x2f0");
        m.printk.log(Printk.KERN_INFO, " kobject_add+0x7e/0xb0");
        m.printk.log(Printk.KERN_INFO, " klp_enable_patch+0x3c2/0x8e0");
        m.printk.log(Printk.KERN_INFO, " do_one_initcall+0x58/0x320");
        m.printk.log(Printk.KERN_INFO, " do_init_module+0x60/0x240");
        m.printk.log(Printk.KERN_INFO, " </TASK>");
    }
}
