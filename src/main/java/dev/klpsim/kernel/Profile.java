package dev.klpsim.kernel;

import java.util.List;

/**
 * The kernel whose behaviour is simulated: one profile per real kernel the oracle ran (the
 * 5.10, 6.12 and 7.3 trees' kernel/livepatch/, module loader and selftests; docs/user-guide.md
 * has the table of every difference), and the spec's kernel, the default. The one place that
 * knows the profile names: the {@code --kernel} option, completion and help read {@link #names()}.
 */
public enum Profile {
    /** Debian 11's 5.10 LTS kernel (checked against 5.10.262 on the oracle). */
    V5_10("5.10", "5.10.262-klpsim", 5, 10),
    /** Debian's 6.12 kernel (checked against 6.12.107 on the oracle). */
    V6_12("6.12", "6.12.107-klpsim", 6, 12),
    /**
     * The kernel shared/spec describes: 6.12's livepatch with 6.14's stack_order. No real
     * kernel has both that attribute and a working kernel.ftrace_enabled=0, and the shared
     * kselftest scenarios (ftrace-01, sysfs-01) need both: so it is the default, and its
     * uname -r names no kernel version (decisions.md).
     */
    SPEC("spec", "spec-klpsim", 6, 14),
    /** Debian's 7.3 kernel (checked against 7.3.4 on the oracle); also {@code mainline}, {@code current}. */
    V7_3("7.3", "7.3.4-klpsim", 7, 3);

    /** The default (no --kernel): the spec's kernel. */
    public static final Profile DEFAULT = SPEC;
    /** What {@code mainline} and {@code current} name: the newest profile a real kernel verified. */
    public static final Profile NEWEST = V7_3;

    public final String option;
    public final String release;
    private final int major;
    private final int minor;

    Profile(String option, String release, int major, int minor) {
        this.option = option;
        this.release = release;
        this.major = major;
        this.minor = minor;
    }

    /** Accepts a profile's name, and {@code mainline}/{@code current} (the newest verified one). */
    public static Profile parse(String s) {
        if ("current".equals(s) || "mainline".equals(s)) return NEWEST;
        for (Profile p : values()) if (p.option.equals(s)) return p;
        return null;
    }

    /** The names {@code --kernel} takes, for help and completion. */
    public static List<String> names() {
        return List.of("5.10", "6.12", "7.3", "spec", "mainline", "current");
    }

    /** The kernel version whose behaviour this profile has, as major*1000+minor (spec: 6.14). */
    public int version() {
        return major * 1000 + minor;
    }

    /** The kernel version's major number (LINUX_VERSION_CODE for C modules). */
    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }

    private boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    /** kstrtobool() accepts t/T/f/F since 5.17. */
    public boolean kstrtoboolTF() {
        return atLeast(5, 17);
    }

    /** The object's "patched" attribute (6.0). */
    public boolean objectPatchedAttr() {
        return atLeast(6, 0);
    }

    /** The patch's "replace" attribute (6.11). */
    public boolean replaceAttr() {
        return atLeast(6, 11);
    }

    /** The patch's "stack_order" attribute (6.14). */
    public boolean stackOrderAttr() {
        return atLeast(6, 14);
    }

    /** KSYM_NAME_LEN: 128, 512 since 6.1. */
    public int ksymNameLen() {
        return atLeast(6, 1) ? 512 : 128;
    }

    /** lib/kobject.c prints with pr_fmt "kobject: " (not in 5.10). */
    public boolean kobjectPrefix() {
        return atLeast(6, 0);
    }

    /**
     * The 5.10 transition code: per-task lines name klp_check_stack, no cond_resched
     * switching (6.4), no idle-CPU kick, "vmlinux.ko: invalid module name" without newline.
     */
    public boolean legacyTransition() {
        return !atLeast(5, 13);
    }

    /** dump_stack()'s CPU line names the UID (6.10). */
    public boolean dumpStackUid() {
        return atLeast(6, 10);
    }

    /** TAINT_TEST ('N', 6.0) is in the taint table and print_tainted(). */
    public boolean taintTest() {
        return atLeast(6, 0);
    }

    /** dynamic debug's 's' flag (source file name) and the "class" keyword (6.1/6.2). */
    public boolean dyndbgClasses() {
        return atLeast(6, 1);
    }

    /**
     * What 7.3 does differently from 6.12 (read from the two trees; when between them each
     * arrived was not checked, so only the 7.3 profile has them, not the spec's kernel).
     */
    private boolean v7() {
        return atLeast(7, 0);
    }

    /**
     * kernel/trace/ftrace.c ftrace_enable_sysctl(): writing 0 to kernel.ftrace_enabled fails
     * with -EOPNOTSUPP, keeps it 1 and warns once that the knob is deprecated.
     */
    public boolean ftraceEnabledDeprecated() {
        return v7();
    }

    /**
     * include/linux/livepatch_sched.h: a task switches itself in __schedule() only when it
     * goes to sleep in a TASK_FREEZABLE state (static key), no longer in cond_resched().
     */
    public boolean schedSwitchFreezable() {
        return v7();
    }

    /**
     * kernel/livepatch/core.c klp_check_patch(): the NULL funcs/old_name checks come before
     * the "is not marked as a livepatch module" check (6.12: old_name in klp_init_func()).
     */
    public boolean klpCheckPatchFirst() {
        return v7();
    }

    /** kernel/module/main.c do_init_module(): a positive init return is one pr_warn, no dump_stack(). */
    public boolean initPositiveOneLine() {
        return v7();
    }

    /** kernel/params.c parse_one(): pr_debug("handling %s with value '%s'") (6.12: "with %p"). */
    public boolean paramsValueDebug() {
        return v7();
    }

    /** samples/livepatch: every sample has a MODULE_DESCRIPTION (6.12: only livepatch-shadow-mod). */
    public boolean sampleDescriptions() {
        return v7();
    }

    /**
     * What libkmod's kmod_module_remove_module() logs itself when delete_module() fails,
     * after the tool's "NAME: ERROR: " (the distribution's kmod: 28 on Debian 11, 30 on
     * Debian 12, 34.2 on Debian 13; read on the oracle): kmod 30 adds its source position.
     */
    public String libkmodRemoveError(String module, String strerror) {
        return switch (this) {
            case V5_10 -> "../libkmod/libkmod-module.c:799 kmod_module_remove_module() could not remove '" + module + "': " + strerror;
            case V6_12, SPEC -> "../libkmod/libkmod-module.c:856 kmod_module_remove_module() could not remove '" + module + "': " + strerror;
            case V7_3 -> "could not remove '" + module + "': " + strerror;
        };
    }

    /**
     * test_klp_syscall.c init: kobject_put() of /sys/kernel/test_klp_syscall when
     * klp_enable_patch() fails (6.12 leaves the directory).
     */
    public boolean syscallInitCleansUp() {
        return v7();
    }
}
