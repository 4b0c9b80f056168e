package dev.klpsim.kernel;

/**
 * kernel/panic.c: the taint flags, in bit order, with the letters taint_flags[] gives them.
 * The kernel-wide mask is /proc/sys/kernel/tainted; a module's own flags are
 * module_flags_taint() (only the flags marked {@code module}).
 */
public enum Taint {
    PROPRIETARY_MODULE('P', 'G', true),
    FORCED_MODULE('F', ' ', true),
    CPU_OUT_OF_SPEC('S', ' ', false),
    FORCED_RMMOD('R', ' ', false),
    MACHINE_CHECK('M', ' ', false),
    BAD_PAGE('B', ' ', false),
    USER('U', ' ', false),
    DIE('D', ' ', false),
    OVERRIDDEN_ACPI_TABLE('A', ' ', false),
    WARN('W', ' ', false),
    CRAP('C', ' ', true),
    FIRMWARE_WORKAROUND('I', ' ', false),
    OOT_MODULE('O', ' ', true),
    UNSIGNED_MODULE('E', ' ', true),
    SOFTLOCKUP('L', ' ', false),
    LIVEPATCH('K', ' ', true),
    AUX('X', ' ', true),
    RANDSTRUCT('T', ' ', true),
    /** TAINT_TEST arrived in 6.0: 5.10's table ends before it. */
    TEST('N', ' ', true);

    public final char cTrue;
    public final char cFalse;
    /** Whether module_flags() shows it for a module. */
    public final boolean module;

    Taint(char cTrue, char cFalse, boolean module) {
        this.cTrue = cTrue;
        this.cFalse = cFalse;
        this.module = module;
    }

    public long bit() {
        return 1L << ordinal();
    }

    /** module_flags_taint(): the module's taint letters in bit order, e.g. {@code OEK}. */
    public static String moduleFlags(long taints) {
        StringBuilder sb = new StringBuilder();
        for (Taint t : values()) if (t.module && (taints & t.bit()) != 0) sb.append(t.cTrue);
        return sb.toString();
    }

    /** print_tainted(): {@code Tainted: G           OE K   } or {@code Not tainted}. */
    public static String printTainted(long mask, Profile profile) {
        if (mask == 0) return "Not tainted";
        StringBuilder sb = new StringBuilder("Tainted: ");
        for (Taint t : values()) {
            if (t == TEST && !profile.taintTest()) break;
            sb.append((mask & t.bit()) != 0 ? t.cTrue : t.cFalse);
        }
        return sb.toString();
    }
}
