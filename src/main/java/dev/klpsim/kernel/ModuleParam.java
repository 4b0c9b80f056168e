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
     * command line. Returns 0 or a negative errno; nothing changes on error.
     */
    public int set(String val, boolean tfBools) {
        switch (type) {
            case INT -> {
                Integer v = val == null ? null : Kstrto.kstrtoint(val);
                if (v == null) return Errno.EINVAL.neg();
                value = v;
            }
            case BOOL -> {
                Boolean b = Kstrto.kstrtobool(val == null ? "1" : val, tfBools);
                if (b == null) return Errno.EINVAL.neg();
                value = b;
            }
            case CHARP -> value = val == null ? "" : (val.endsWith("\n") ? val.substring(0, val.length() - 1) : val);
            case INT_ARRAY -> {
                if (val == null) return Errno.EINVAL.neg();
                String v = val.endsWith("\n") ? val.substring(0, val.length() - 1) : val;
                List<Integer> items = new ArrayList<>();
                for (String part : v.split(",", -1)) {
                    Integer n = Kstrto.kstrtoint(part);
                    if (n == null) return Errno.EINVAL.neg();
                    items.add(n);
                }
                if (items.size() > maxCount) return Errno.EINVAL.neg();
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
