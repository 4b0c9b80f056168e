package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ftrace as livepatch sees it: the kernel.ftrace_enabled switch, at most one IPMODIFY user
 * per function, PERMANENT ops that pin ftrace_enabled, and the function tracer of
 * /sys/kernel/tracing.
 */
public final class Ftrace {
    /** An IPMODIFY registration on one function. */
    private record IpModify(String owner, boolean permanent) {}

    private final Timers clock;
    private boolean enabled = true;
    private final Map<Symbol, IpModify> ipmodify = new LinkedHashMap<>();

    // function tracer
    private String currentTracer = "nop";
    /** currentTracer is "function": checked first on every call. */
    private boolean functionTracer;
    private boolean tracingOn = true;
    private final Set<String> filter = new LinkedHashSet<>();
    private final List<String> traceLines = new ArrayList<>();
    private long entriesWritten;

    public Ftrace(Timers clock) {
        this.clock = clock;
    }

    public boolean enabled() {
        return enabled;
    }

    /** sysctl kernel.ftrace_enabled: refused with -EBUSY while PERMANENT ops are registered. */
    public int setEnabled(boolean on) {
        if (!on && enabled && ipmodify.values().stream().anyMatch(IpModify::permanent)) return Errno.EBUSY.neg();
        enabled = on;
        return 0;
    }

    private boolean deprecationWarned;

    /**
     * 7.x ftrace_enable_sysctl(): disabling ftrace through the knob is deprecated; the value
     * goes back to 1, the first attempt warns (pr_warn_once), and the write fails.
     */
    public int refuseDisable(Printk printk) {
        enabled = true;
        if (!deprecationWarned) {
            deprecationWarned = true;
            printk.log(Printk.KERN_WARNING, "The ftrace_enabled file is deprecated and no longer disables ftrace");
        }
        return Errno.EOPNOTSUPP.neg();
    }

    /** register_ftrace_function() for an IPMODIFY ops on one function. */
    public int registerIpModify(Symbol fn, String owner, boolean permanent) {
        if (!enabled && permanent) return Errno.EBUSY.neg();
        if (ipmodify.containsKey(fn)) return Errno.EBUSY.neg();
        ipmodify.put(fn, new IpModify(owner, permanent));
        return 0;
    }

    public void unregisterIpModify(Symbol fn, String owner) {
        IpModify cur = ipmodify.get(fn);
        if (cur != null && cur.owner().equals(owner)) ipmodify.remove(fn);
    }

    public String ipModifyOwner(Symbol fn) {
        IpModify cur = ipmodify.get(fn);
        return cur == null ? null : cur.owner();
    }

    /**
     * /sys/kernel/tracing/enabled_functions: each function with an ftrace ops, in address
     * order, as t_show() prints it: the call count, the R(egs) I(pmodify) D(irect) O(ps)
     * M(odified) flags (5.10: R I D only, and livepatch's ops ask for regs there), then the
     * ops' own trampoline and handler. The trampoline's address differs per boot on a real
     * kernel; klpsim's is made up.
     */
    public String enabledFunctionsText(Profile profile) {
        StringBuilder sb = new StringBuilder();
        List<Map.Entry<Symbol, IpModify>> recs = new ArrayList<>(ipmodify.entrySet());
        recs.sort((a, b) -> Long.compare(a.getKey().addr, b.getKey().addr));
        int n = 0;
        for (Map.Entry<Symbol, IpModify> e : recs) {
            boolean kprobe = e.getValue().owner().startsWith("kprobe:");
            String handler = kprobe ? "kprobe_ftrace_handler+0x0/0x150" : "klp_ftrace_handler+0x0/0x190";
            sb.append(e.getKey().name);
            if (e.getKey().owner != null) sb.append(" [").append(e.getKey().owner).append(']');
            if (profile.legacyTransition()) sb.append(" (1) R I  ");
            else sb.append(" (1)   I     M ");
            sb.append(String.format("\ttramp: 0xffffffffc0%06x (%s)%n", 0x100000 + 0x1000 * n++, handler));
        }
        return sb.toString();
    }

    // ---- function tracer -------------------------------------------------------------

    public String currentTracer() {
        return currentTracer;
    }

    public boolean setCurrentTracer(String name) {
        if (!name.equals("nop") && !name.equals("function")) return false;
        if (!name.equals(currentTracer)) {
            traceLines.clear();
            entriesWritten = 0;
        }
        currentTracer = name;
        functionTracer = name.equals("function");
        return true;
    }

    public boolean tracingOn() {
        return tracingOn;
    }

    public void setTracingOn(boolean on) {
        tracingOn = on;
    }

    public Set<String> filter() {
        return filter;
    }

    /** Writes to set_ftrace_filter: whitespace-separated names; an unknown one is -EINVAL. */
    public int writeFilter(String text, boolean append, Kallsyms syms) {
        List<String> names = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) if (!w.isEmpty()) names.add(w);
        for (String n : names) if (syms.lookupAny(n) == null) return Errno.EINVAL.neg();
        if (!append) filter.clear();
        filter.addAll(names);
        return 0;
    }

    public void clearTrace() {
        traceLines.clear();
        entriesWritten = 0;
    }

    /** Called on every entry to a traceable function. */
    /** Whether function-tracer entries are being recorded: the call path checks this first. */
    public boolean recording() {
        return functionTracer && enabled && tracingOn;
    }

    public void traceCall(Task task, Symbol fn, Symbol parent, int cpu) {
        if (!functionTracer || !enabled || !tracingOn) return;
        if (!filter.isEmpty() && !filter.contains(fn.name)) return;
        long us = clock.now() / 1000;
        traceLines.add(String.format("%16s-%-7d [%03d] ..... %5d.%06d: %s <-%s",
                task.comm, task.pid, cpu, us / 1_000_000, us % 1_000_000, fn.name,
                parent == null ? "0x0" : parent.name));
        entriesWritten++;
    }

    public String traceText(int cpus) {
        StringBuilder sb = new StringBuilder();
        sb.append("# tracer: ").append(currentTracer).append('\n').append("#\n");
        if (currentTracer.equals("function")) {
            sb.append(String.format("# entries-in-buffer/entries-written: %d/%d   #P:%d%n", traceLines.size(), entriesWritten, cpus));
            sb.append("#\n");
            sb.append("#                                _-----=> irqs-off/BH-disabled\n");
            sb.append("#                               / _----=> need-resched\n");
            sb.append("#                              | / _---=> hardirq/softirq\n");
            sb.append("#                              || / _--=> preempt-depth\n");
            sb.append("#                              ||| / _-=> migrate-disable\n");
            sb.append("#                              |||| /     delay\n");
            sb.append("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
            sb.append("#              | |         |   |||||     |         |\n");
            for (String l : traceLines) sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
