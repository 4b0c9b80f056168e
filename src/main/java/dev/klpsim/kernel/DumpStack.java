package dev.klpsim.kernel;

/**
 * lib/dump_stack.c: dump_stack() as klpsim abbreviates it: the CPU line with
 * the taint letters and release, and the call trace of the frames that matter.
 */
public final class DumpStack {
    private DumpStack() {}

    /** print_tainted() for this machine. */
    public static String tainted(Machine m) {
        return Taint.printTainted(m.modules.taints(), m.options.profile);
    }

    /** The first line of dump_stack() and of a WARN's register dump (the UID field is 6.10+). */
    public static String cpuLine(Machine m) {
        Task cur = m.current;
        String uid = m.options.profile.dumpStackUid() ? "UID: 0 " : "";
        return "CPU: 0 " + uid + "PID: " + cur.pid + " Comm: " + cur.comm + " " + tainted(m) + " " + m.options.profile.release + " #1";
    }

    /**
     * dump_stack() called from {@code frames[0]}, whose callers follow (name+offset/size as
     * the kernel prints them). klpsim leaves out the hardware line, the registers and the
     * '?' entries of the real trace.
     */
    public static void print(Machine m, int level, String... frames) {
        m.printk.log(level, cpuLine(m));
        // print_tainted_verbose(): the letters spelled out (6.10+)
        String verbose = verboseTaints(m.modules.taints());
        if (m.options.profile.dumpStackUid() && !verbose.isEmpty()) m.printk.log(level, "Tainted: " + verbose);
        m.printk.log(level, "Call Trace:");
        // 5.10 has no <TASK> markers and no dump_stack_lvl()
        boolean old = m.options.profile.legacyTransition();
        if (!old) m.printk.log(level, " <TASK>");
        m.printk.log(level, old ? " dump_stack+0x6b/0x83" : " dump_stack_lvl+0x64/0x80");
        for (String f : frames) m.printk.log(level, " " + f);
        if (!old) m.printk.log(level, " </TASK>");
    }

    private static String verboseTaints(long mask) {
        StringBuilder sb = new StringBuilder();
        for (Taint t : Taint.values())
            if ((mask & t.bit()) != 0) sb.append(sb.isEmpty() ? "" : ", ").append('[').append(t.cTrue).append("]=").append(t.name());
        return sb.toString();
    }
}
