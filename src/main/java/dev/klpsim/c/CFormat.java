package dev.klpsim.c;

/**
 * vsprintf() as printk and seq_printf format (lib/vsprintf.c): flags, width, precision,
 * the length modifiers, %d %i %u %x %X %o %c %s %p (and the %p extensions klpsim's modules
 * use), %%.
 */
final class CFormat {
    private CFormat() {}

    static String format(Interp in, String fmt, Object[] args, int first) {
        StringBuilder b = new StringBuilder();
        int ai = first;
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                b.append(c);
                continue;
            }
            if (++i >= fmt.length()) break;
            if (fmt.charAt(i) == '%') {
                b.append('%');
                continue;
            }
            boolean left = false, zero = false, plus = false, space = false, alt = false;
            for (; i < fmt.length(); i++) {
                char f = fmt.charAt(i);
                if (f == '-') left = true;
                else if (f == '0') zero = true;
                else if (f == '+') plus = true;
                else if (f == ' ') space = true;
                else if (f == '#') alt = true;
                else break;
            }
            int width = -1, prec = -1;
            if (i < fmt.length() && fmt.charAt(i) == '*') {
                width = (int) Interp.toLong(arg(args, ai++));
                i++;
            } else while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) width = Math.max(width, 0) * 10 + (fmt.charAt(i++) - '0');
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                prec = 0;
                if (i < fmt.length() && fmt.charAt(i) == '*') {
                    prec = (int) Interp.toLong(arg(args, ai++));
                    i++;
                } else while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) prec = prec * 10 + (fmt.charAt(i++) - '0');
            }
            int size = 4;
            while (i < fmt.length() && "hlLqjzt".indexOf(fmt.charAt(i)) >= 0) {
                char l = fmt.charAt(i++);
                size = l == 'h' ? (size == 2 ? 1 : 2) : 8;
            }
            if (i >= fmt.length()) break;
            char conv = fmt.charAt(i);
            String s;
            switch (conv) {
                case 'd', 'i' -> {
                    long v = signed(Interp.toLong(arg(args, ai++)), size);
                    s = (v >= 0 && plus ? "+" : v >= 0 && space ? " " : "") + v;
                }
                case 'u' -> s = Long.toUnsignedString(unsigned(Interp.toLong(arg(args, ai++)), size));
                case 'x' -> s = (alt ? "0x" : "") + Long.toHexString(unsigned(Interp.toLong(arg(args, ai++)), size));
                case 'X' -> s = (alt ? "0X" : "") + Long.toHexString(unsigned(Interp.toLong(arg(args, ai++)), size)).toUpperCase();
                case 'o' -> s = (alt ? "0" : "") + Long.toOctalString(unsigned(Interp.toLong(arg(args, ai++)), size));
                case 'c' -> s = String.valueOf((char) (Interp.toLong(arg(args, ai++)) & 0xff));
                case 's' -> {
                    Object v = arg(args, ai++);
                    s = v == null ? "(null)" : in.cString(v);
                    if (prec >= 0 && s.length() > prec) s = s.substring(0, prec);
                }
                case 'p' -> {
                    Object v = arg(args, ai++);
                    StringBuilder ext = new StringBuilder();
                    while (i + 1 < fmt.length() && Character.isLetterOrDigit(fmt.charAt(i + 1))) ext.append(fmt.charAt(++i));
                    s = pointer(in, ext.toString(), v);
                    zero = false;
                }
                default -> s = "%" + conv;
            }
            if (width > s.length()) {
                String pad = (zero && !left ? "0" : " ").repeat(width - s.length());
                if (left) s = s + " ".repeat(width - s.length());
                else if (zero && (s.startsWith("-") || s.startsWith("+"))) s = s.charAt(0) + pad + s.substring(1);
                else s = pad + s;
            }
            b.append(s);
        }
        return b.toString();
    }

    private static Object arg(Object[] args, int i) {
        return i < args.length ? args[i] : null;
    }

    private static long signed(long v, int size) {
        return switch (size) {
            case 1 -> (byte) v;
            case 2 -> (short) v;
            case 4 -> (int) v;
            default -> v;
        };
    }

    private static long unsigned(long v, int size) {
        return switch (size) {
            case 1 -> v & 0xff;
            case 2 -> v & 0xffff;
            case 4 -> v & 0xffffffffL;
            default -> v;
        };
    }

    /** %p and its extensions: %pGg (gfp flags), %ps/%pS (a function), plain %p (hashed). */
    private static String pointer(Interp in, String ext, Object v) {
        if (ext.startsWith("Gg")) {
            // %pGg takes a pointer to the flags
            long f = Interp.toLong(v instanceof Mem.Ptr p ? in.read(p, CType.UINT) : v);
            if (f == 0xcc0) return "GFP_KERNEL";
            if (f == 0xa20) return "GFP_ATOMIC";
            if (f == 0x800) return "GFP_NOWAIT";
            return "0x" + Long.toHexString(f);
        }
        if (ext.startsWith("s") || ext.startsWith("S")) {
            if (v instanceof Interp.Fn fn) return fn.name + (ext.startsWith("S") ? "+0x0/0x40 [" + in.file + "]" : "");
            if (v instanceof Interp.Builtin bi) return bi.name();
        }
        if (v == null) return "0000000000000000";
        // the kernel prints %p hashed; klpsim prints its stand-in address of the object
        return in.api.pointer(v);
    }
}
