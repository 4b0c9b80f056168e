package dev.klpsim.kernel;

/**
 * Dynamic debug for the livepatch core: the pr_debug lines of kernel/livepatch/* and,
 * separately, the per-task lines of klp_try_switch_task(). The boot state is what the
 * kselftests set up: core lines on, per-task lines off.
 */
public final class DynamicDebug {
    private boolean core = true;
    private boolean perTask = false;

    public boolean livepatchCore() {
        return core;
    }

    public boolean perTask() {
        return perTask;
    }

    /**
     * Applies one control query such as {@code file kernel/livepatch/* +p} or
     * {@code func klp_try_switch_task -p}. Returns false for a query the kernel would refuse
     * with -EINVAL.
     */
    public boolean control(String query) {
        String[] w = query.trim().split("\\s+");
        if (w.length != 3 || !(w[2].equals("+p") || w[2].equals("-p"))) return false;
        boolean on = w[2].equals("+p");
        switch (w[0]) {
            case "file" -> {
                if (w[1].equals("kernel/livepatch/*") || w[1].equals("kernel/livepatch/transition.c")) {
                    core = on;
                    perTask = on;
                } else if (w[1].startsWith("kernel/livepatch/")) {
                    core = on;
                }
                return true;
            }
            case "module" -> {
                if (w[1].equals("livepatch")) {
                    core = on;
                    perTask = on;
                }
                return true;
            }
            case "func" -> {
                if (w[1].equals("klp_try_switch_task") || w[1].equals("klp_check_stack")) perTask = on;
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** The livepatch lines of /sys/kernel/debug/dynamic_debug/control. */
    public String controlText() {
        String c = core ? "=p" : "=_";
        String t = perTask ? "=p" : "=_";
        return "# filename:lineno [module]function flags format\n"
                + "kernel/livepatch/transition.c:98 [livepatch]klp_complete_transition " + c + " \"'%s': completing %s transition\\012\"\n"
                + "kernel/livepatch/transition.c:293 [livepatch]klp_try_switch_task " + t + " \"%s: %s:%d is running\\012\"\n"
                + "kernel/livepatch/transition.c:297 [livepatch]klp_try_switch_task " + t + " \"%s: %s:%d has an unreliable stack\\012\"\n"
                + "kernel/livepatch/transition.c:301 [livepatch]klp_try_switch_task " + t + " \"%s: %s:%d is sleeping on function %s\\012\"\n"
                + "kernel/livepatch/transition.c:541 [livepatch]klp_init_transition " + c + " \"'%s': initializing %s transition\\012\"\n"
                + "kernel/livepatch/transition.c:648 [livepatch]klp_reverse_transition " + c + " \"'%s': reversing transition from %s\\012\"\n"
                + "kernel/livepatch/transition.c:721 [livepatch]klp_cancel_transition " + c + " \"'%s': canceling patching transition, going to unpatch\\012\"\n";
    }
}
