package dev.klpsim.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random sessions of shell commands over the built-in modules, the sysfs files, tasks and time. */
final class RandomSessions {
    private RandomSessions() {}

    static final String[] LOADS = {
        "insmod test_modules/test_klp_livepatch.ko", "insmod test_modules/test_klp_atomic_replace.ko replace=1",
        "insmod test_modules/test_klp_atomic_replace.ko replace=0", "insmod test_modules/test_klp_callbacks_demo.ko",
        "insmod test_modules/test_klp_callbacks_demo.ko pre_patch_ret=-19", "insmod test_modules/test_klp_callbacks_demo2.ko replace=1",
        "insmod test_modules/test_klp_callbacks_demo2.ko", "modprobe test_klp_callbacks_mod",
        "insmod test_modules/test_klp_callbacks_busy.ko block_transition=Y", "insmod test_modules/test_klp_callbacks_busy.ko block_transition=N",
        "insmod test_modules/test_klp_state.ko", "insmod test_modules/test_klp_state2.ko", "insmod test_modules/test_klp_state3.ko",
        "insmod test_modules/test_klp_kprobe.ko has_post_handler=y", "insmod test_modules/test_klp_kprobe.ko has_post_handler=n",
        "insmod test_modules/test_klp_mod_target.ko", "insmod test_modules/test_klp_mod_patch.ko", "insmod test_modules/livepatch-sample.ko",
        "insmod test_modules/livepatch-shadow-mod.ko", "insmod test_modules/livepatch-shadow-fix1.ko", "insmod test_modules/livepatch-shadow-fix2.ko",
        "insmod test_modules/klp_sympos_demo.ko sympos=2", "insmod test_modules/klp_sympos_demo.ko sympos=0",
    };
    static final String[] MODULES = {
        "test_klp_livepatch", "test_klp_atomic_replace", "test_klp_callbacks_demo", "test_klp_callbacks_demo2", "test_klp_callbacks_mod",
        "test_klp_callbacks_busy", "test_klp_state", "test_klp_state2", "test_klp_state3", "test_klp_kprobe", "test_klp_mod_target",
        "test_klp_mod_patch", "livepatch_sample", "livepatch_shadow_mod", "livepatch_shadow_fix1", "livepatch_shadow_fix2", "klp_sympos_demo",
    };
    static final String[] PATCHES = {
        "test_klp_livepatch", "test_klp_atomic_replace", "test_klp_callbacks_demo", "test_klp_callbacks_demo2", "test_klp_state",
        "test_klp_state2", "test_klp_state3", "test_klp_mod_patch", "livepatch_sample", "livepatch_shadow_fix1", "livepatch_shadow_fix2",
    };
    static final String[] VALUES = {"0", "1", "2", "x", "\"\"", "off", "Y", "-19"};
    static final String[] FUNCS = {"cmdline_proc_show", "meminfo_proc_show", "busymod_work_func", "vfs_read,cmdline_proc_show", "test_klp_mod_target_show"};

    static String step(Random r) {
        int k = r.nextInt(100);
        if (k < 22) return pick(r, LOADS);
        if (k < 34) return "rmmod " + pick(r, MODULES);
        if (k < 50) return "echo " + pick(r, VALUES) + " > /sys/kernel/livepatch/" + pick(r, PATCHES) + "/enabled";
        if (k < 55) return "echo " + pick(r, VALUES) + " > /sys/kernel/livepatch/" + pick(r, PATCHES) + "/force";
        if (k < 58) return "echo " + pick(r, VALUES) + " > /sys/module/test_klp_callbacks_demo/parameters/pre_patch_ret";
        if (k < 60) return "echo " + pick(r, VALUES) + " > /sys/module/test_klp_callbacks_busy/parameters/block_transition";
        if (k < 68) return "task spawn t" + r.nextInt(9) + " --stack " + pick(r, FUNCS) + (r.nextBoolean() ? " --uninterruptible" : "") + (r.nextInt(4) == 0 ? " --kthread" : "");
        if (k < 72) return "task " + (r.nextBoolean() ? "wake " : "kill ") + (r.nextBoolean() ? 1000 + r.nextInt(6) : 500 + r.nextInt(6));
        if (k < 84) return "sleep " + pick(r, new String[] {"0.5", "1", "1", "3", "16"});
        if (k < 86) return "sysctl -q kernel.ftrace_enabled=" + r.nextInt(2);
        if (k < 90) return pick(r, new String[] {"klp force", "klp revert", "klp wait --timeout 2"});
        if (k < 93) return r.nextBoolean() ? "./test_klp-call_getpid &" : "kill " + (1000 + r.nextInt(6));
        return pick(r, new String[] {"cat /proc/cmdline", "cat /proc/meminfo", "cat /proc/test_klp_mod_target", "echo 1 > /sys/kernel/debug/kprobes/enabled"});
    }

    static List<String> session(long seed, int steps) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps; i++) out.add(step(r));
        return out;
    }

    private static String pick(Random r, String[] a) {
        return a[r.nextInt(a.length)];
    }
}
