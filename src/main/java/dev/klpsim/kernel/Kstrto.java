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

    /** What kstrto*() returns: 0 and the value, or -EINVAL / -ERANGE. */
    public record Result(long value, int err) {
        public boolean ok() {
            return err == 0;
        }
    }

    /**
     * kstrtoll() with base 0 (0x hex, leading 0 octal), clamped to [min, max] as kstrtoint()
     * and friends do: -EINVAL for no digits or trailing junk (one newline is allowed),
     * -ERANGE for a number that does not fit.
     */
    public static Result kstrtoll(String s, long min, long max) {
        if (s == null) return new Result(0, Errno.EINVAL.neg());
        boolean neg = s.startsWith("-");
        String u = neg ? s.substring(1) : s;
        // _kstrtoull() skips one '+' (after kstrtoll() took a '-')
        if (u.startsWith("+")) u = u.substring(1);
        int radix = 10;
        int i = 0;
        if (u.length() > 2 && u.charAt(0) == '0' && (u.charAt(1) | 0x20) == 'x' && Character.digit(u.charAt(2), 16) >= 0) {
            radix = 16;
            i = 2;
        } else if (u.startsWith("0")) {
            radix = 8;
        }
        java.math.BigInteger v = java.math.BigInteger.ZERO;
        java.math.BigInteger big = java.math.BigInteger.valueOf(radix);
        int digits = 0;
        for (; i < u.length(); i++) {
            int d = Character.digit(u.charAt(i), radix);
            if (d < 0 || u.charAt(i) >= 128) break;
            v = v.multiply(big).add(java.math.BigInteger.valueOf(d));
            digits++;
        }
        if (digits == 0) return new Result(0, Errno.EINVAL.neg());
        String rest = u.substring(i);
        if (!rest.isEmpty() && !rest.equals("\n")) return new Result(0, Errno.EINVAL.neg());
        // _parse_integer() flags an overflow of unsigned long long
        if (v.bitLength() > 64) return new Result(0, Errno.ERANGE.neg());
        if (neg) v = v.negate();
        if (v.compareTo(java.math.BigInteger.valueOf(min)) < 0 || v.compareTo(java.math.BigInteger.valueOf(max)) > 0)
            return new Result(0, Errno.ERANGE.neg());
        return new Result(v.longValue(), 0);
    }

    /** kstrtol() with base 0; null on any error. */
    public static Long kstrtol(String s, long min, long max) {
        Result r = kstrtoll(s, min, max);
        return r.ok() ? r.value() : null;
    }

    /** kstrtoint() with base 0; null on any error. */
    public static Integer kstrtoint(String s) {
        Result r = kstrtoll(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return r.ok() ? (int) r.value() : null;
    }
}
