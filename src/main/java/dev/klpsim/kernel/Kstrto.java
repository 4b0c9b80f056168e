package dev.klpsim.kernel;

/** kstrtobool() and kstrtoint() as lib/kstrtox.c parses sysfs and module-parameter input. */
public final class Kstrto {
    private Kstrto() {}

    /**
     * kstrtobool(): looks at the first one or two characters only. {@code tf} adds the
     * t/T/f/F spellings that kernels since about 5.17 accept.
     * @return TRUE, FALSE, or null for -EINVAL
     */
    public static Boolean kstrtobool(String s, boolean tf) {
        if (s == null || s.isEmpty()) return null;
        char c = s.charAt(0);
        switch (c) {
            case 'y', 'Y', '1':
                return Boolean.TRUE;
            case 'n', 'N', '0':
                return Boolean.FALSE;
            case 'o', 'O':
                if (s.length() < 2) return null;
                char d = s.charAt(1);
                if (d == 'n' || d == 'N') return Boolean.TRUE;
                if (d == 'f' || d == 'F') return Boolean.FALSE;
                return null;
            case 't', 'T':
                return tf ? Boolean.TRUE : null;
            case 'f', 'F':
                return tf ? Boolean.FALSE : null;
            default:
                return null;
        }
    }

    /** kstrtol() with base 0 (0x hex, leading 0 octal), one trailing newline allowed; null on error. */
    public static Long kstrtol(String s, long min, long max) {
        if (s == null) return null;
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        if (s.isEmpty()) return null;
        boolean neg = false;
        int i = 0;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            neg = s.charAt(0) == '-';
            i = 1;
        }
        String digits = s.substring(i);
        int radix = 10;
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            radix = 8;
            digits = digits.substring(1);
        }
        if (digits.isEmpty()) return null;
        try {
            java.math.BigInteger v = new java.math.BigInteger(digits, radix);
            if (neg) v = v.negate();
            if (v.compareTo(java.math.BigInteger.valueOf(min)) < 0 || v.compareTo(java.math.BigInteger.valueOf(max)) > 0)
                return null;
            return v.longValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Integer kstrtoint(String s) {
        Long v = kstrtol(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return v == null ? null : v.intValue();
    }
}
