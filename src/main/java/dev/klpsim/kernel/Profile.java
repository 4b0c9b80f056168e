package dev.klpsim.kernel;

import java.util.List;

/**
 * The kernel whose behaviour is simulated, named after real kernels (the v5.10 and v6.12
 * trees' kernel/livepatch/; docs/user-guide.md has the table of every difference). The one place that knows the
 * profile names: the {@code --kernel} option, completion and help read {@link #names()}.
 */
public enum Profile {
    /** Debian 11's 5.10 LTS kernel (checked against 5.10.262 on the oracle). */
    V5_10("5.10", "5.10.262-klpsim", 5, 10),
    /** Debian's 6.12 kernel (checked against 6.12.107 on the oracle). */
    V6_12("6.12", "6.12.107-klpsim", 6, 12),
    /** Mainline as the spec read it: 6.12 plus stack_order (6.14) and what came since. */
    MAINLINE("mainline", "6.19.0-klpsim", 6, 19);

    /** The default: the newest. */
    public static final Profile DEFAULT = MAINLINE;

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

    /** Accepts a profile's name, and {@code current} (the newest, the name older transcripts use). */
    public static Profile parse(String s) {
        if ("current".equals(s) || "6.19".equals(s)) return MAINLINE;
        for (Profile p : values()) if (p.option.equals(s)) return p;
        return null;
    }

    /** The names {@code --kernel} takes, for help and completion. */
    public static List<String> names() {
        return List.of("5.10", "6.12", "mainline", "current");
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
}
