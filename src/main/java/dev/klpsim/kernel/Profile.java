package dev.klpsim.kernel;

/** The kernel whose livepatch behaviour is simulated (kernel-livepatch.md §12). */
public enum Profile {
    CURRENT("current", "6.12.0-klpsim"),
    V5_10("5.10", "5.10.110-klpsim");

    public final String option;
    public final String release;

    Profile(String option, String release) {
        this.option = option;
        this.release = release;
    }

    public static Profile parse(String s) {
        for (Profile p : values()) if (p.option.equals(s)) return p;
        return null;
    }

    /** kstrtobool() accepts t/T/f/F since about 5.17. */
    public boolean kstrtoboolTF() {
        return this == CURRENT;
    }

    /** replace (6.11) and stack_order (6.14) patch attributes, object "patched" (6.0). */
    public boolean modernSysfs() {
        return this == CURRENT;
    }
}
