package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/** module_param(): a typed parameter, set at load time or through /sys/module/<mod>/parameters. */
public final class ModuleParam {
    public enum Type { INT, BOOL, CHARP, INT_ARRAY }

    public final String name;
    public final Type type;
    /** sysfs permission bits; 0 hides the parameter from sysfs. */
    public final int perm;
    public final String description;
    private Object value;
    /** For arrays: the element count given. */
    private int count;
    private final int maxCount;
    /** Values `klp explore` also loads the module with (a declared variant, e.g. pre_patch_ret=-19). */
    public final List<String> exploreValues = new ArrayList<>();

    public ModuleParam(String name, Type type, int perm, Object defaultValue, String description, int maxCount) {
        this.name = name;
        this.type = type;
        this.perm = perm;
        this.description = description;
        this.value = defaultValue;
        this.maxCount = maxCount;
    }

    public Object value() {
        return value;
    }

    public int intValue() {
        return (Integer) value;
    }

    public boolean boolValue() {
        return (Boolean) value;
    }

    public String stringValue() {
        return (String) value;
    }

    public int[] intArray() {
        return (int[]) value;
    }

    public int count() {
        return count;
    }

    /**
     * The param_set_*() for this type. {@code val} is null for a bare {@code name} on the
     * command line, which only a bool takes (KERNEL_PARAM_OPS_FL_NOARG); parse_one() refuses
     * it for the others. Returns 0 or a negative errno (-EINVAL, or -ERANGE for a number that
     * does not fit); {@code log} gets the lines param_array() and param_set_charp() print.
     */
    public int set(String val, boolean tfBools, java.util.function.Consumer<String> log) {
        return set(val == null ? null : new StringBuilder(val), tfBools, log);
    }

    /**
     * As {@link #set(String, boolean, java.util.function.Consumer)}, on the caller's buffer:
     * param_array() writes a NUL over each comma it reaches and does not put it back, so
     * after a failed array the caller's string (parse_args()'s error line) ends at the first
     * element. {@link #cString} reads the buffer as C does.
     */
    public int set(StringBuilder buf, boolean tfBools, java.util.function.Consumer<String> log) {
        String val = buf == null ? null : buf.toString();
        if (val == null && type != Type.BOOL) return Errno.EINVAL.neg();
        switch (type) {
            case INT -> {
                Kstrto.Result r = Kstrto.kstrtoll(val, Integer.MIN_VALUE, Integer.MAX_VALUE);
                if (!r.ok()) return r.err();
                value = (int) r.value();
            }
            case BOOL -> {
                Boolean b = Kstrto.kstrtobool(val == null ? "1" : val, tfBools);
                if (b == null) return Errno.EINVAL.neg();
                value = b;
            }
            case CHARP -> {
                if (val.length() > 1024) {
                    log.accept(name + ": string parameter too long");
                    return Errno.ENOSPC.neg();
                }
                // kept as given: a sysfs write's newline stays, as param_set_charp() keeps it
                value = val;
            }
            case INT_ARRAY -> {
                return paramArray(buf, log);
            }
        }
        return 0;
    }

    /**
     * kernel/params.c param_array() with param_set_int() per element: each element is
     * NUL-terminated in place (the comma is overwritten and never restored), parsed and
     * stored as it comes, and the count (*num) follows; an error returns at once, leaving the
     * elements before it stored. A sysfs write's trailing newline is part of the last element
     * and kstrtoint() takes it.
     */
    private int paramArray(StringBuilder buf, java.util.function.Consumer<String> log) {
        int[] elems = value instanceof int[] a && a.length >= maxCount ? a : new int[maxCount];
        value = elems;
        count = 0;
        int pos = 0;
        char save;
        do {
            if (count == maxCount) {
                log.accept(name + ": can only take " + maxCount + " arguments");
                return Errno.EINVAL.neg();
            }
            int len = 0;
            while (pos + len < buf.length() && buf.charAt(pos + len) != ',' && buf.charAt(pos + len) != '\0') len++;
            save = pos + len < buf.length() ? buf.charAt(pos + len) : '\0';
            if (pos + len < buf.length()) buf.setCharAt(pos + len, '\0');
            String elem = buf.substring(pos, pos + len);
            Kstrto.Result r = Kstrto.kstrtoll(elem.endsWith("\n") ? elem.substring(0, elem.length() - 1) : elem,
                    Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (!r.ok()) return r.err();
            elems[count] = (int) r.value();
            pos += len + 1;
            count++;
        } while (save == ',');
        return 0;
    }

    /** A buffer read as a C string: up to its first NUL. */
    public static String cString(StringBuilder buf) {
        int nul = buf.indexOf("\0");
        return nul < 0 ? buf.toString() : buf.substring(0, nul);
    }

    /** param_get_*(): the sysfs read form. */
    public String get() {
        return switch (type) {
            case INT -> value + "\n";
            case BOOL -> ((Boolean) value ? "Y" : "N") + "\n";
            case CHARP -> value + "\n";
            case INT_ARRAY -> {
                int[] a = (int[]) value;
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < count; i++) sb.append(i == 0 ? "" : ",").append(a[i]);
                yield sb + "\n";
            }
        };
    }

    /** modinfo's "parm:" type word. */
    public String typeName() {
        return switch (type) {
            case INT -> "int";
            case BOOL -> "bool";
            case CHARP -> "charp";
            case INT_ARRAY -> "array of int";
        };
    }
}
