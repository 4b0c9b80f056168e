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
                String v = val.endsWith("\n") ? val.substring(0, val.length() - 1) : val;
                List<Integer> items = new ArrayList<>();
                for (String part : v.split(",", -1)) {
                    if (items.size() == maxCount) {
                        log.accept(name + ": can only take " + maxCount + " arguments");
                        return Errno.EINVAL.neg();
                    }
                    Kstrto.Result r = Kstrto.kstrtoll(part, Integer.MIN_VALUE, Integer.MAX_VALUE);
                    if (!r.ok()) return r.err();
                    items.add((int) r.value());
                }
                value = items.stream().mapToInt(Integer::intValue).toArray();
                count = items.size();
            }
        }
        return 0;
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
