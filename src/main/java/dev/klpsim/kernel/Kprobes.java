package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * kprobes on function entries. A kprobe with a post handler needs ftrace with IPMODIFY,
 * so it and a livepatch of the same function exclude each other.
 */
public final class Kprobes {
    public record Kprobe(Symbol symbol, boolean postHandler, String owner) {}

    private final Ftrace ftrace;
    private final List<Kprobe> probes = new ArrayList<>();
    private boolean enabled = true;

    public Kprobes(Ftrace ftrace) {
        this.ftrace = ftrace;
    }

    public boolean enabled() {
        return enabled;
    }

    /** /sys/kernel/debug/kprobes/enabled: arms or disarms every probe. */
    public int setEnabled(boolean on) {
        if (on == enabled) return 0;
        if (on) {
            for (Kprobe p : probes) {
                int ret = arm(p);
                if (ret != 0) return ret;
            }
        } else {
            for (Kprobe p : probes) disarm(p);
        }
        enabled = on;
        return 0;
    }

    public int register(Symbol fn, boolean postHandler, String owner) {
        Kprobe p = new Kprobe(fn, postHandler, owner);
        if (enabled) {
            int ret = arm(p);
            if (ret != 0) return ret;
        }
        probes.add(p);
        return 0;
    }

    public void unregisterAll(String owner) {
        probes.removeIf(p -> {
            if (!p.owner().equals(owner)) return false;
            disarm(p);
            return true;
        });
    }

    private int arm(Kprobe p) {
        return p.postHandler() ? ftrace.registerIpModify(p.symbol(), "kprobe:" + p.owner(), false) : 0;
    }

    private void disarm(Kprobe p) {
        if (p.postHandler()) ftrace.unregisterIpModify(p.symbol(), "kprobe:" + p.owner());
    }

    public List<Kprobe> probes() {
        return List.copyOf(probes);
    }

    /** /sys/kernel/debug/kprobes/list */
    public String listText() {
        StringBuilder sb = new StringBuilder();
        for (Kprobe p : probes)
            sb.append(String.format("%016x  k  %s+0x0    [FTRACE]%n", p.symbol().addr, p.symbol().name));
        return sb.toString();
    }
}
