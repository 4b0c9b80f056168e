package dev.klpsim.c;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A C type as klpsim's interpreter needs it: for sizeof, conversions, member access and messages. */
final class CType {
    enum Kind { VOID, INT, PTR, ARRAY, STRUCT, FUNC }

    final Kind kind;
    /** sizeof, in bytes (x86_64); 0 when unknown (an incomplete struct, an array of unknown length). */
    final int size;
    final boolean unsigned;
    final boolean bool;
    /** What a pointer points to, an array holds, or a function returns. */
    final CType target;
    /** An array's length, -1 when not given. */
    final int length;
    final Struct struct;

    private CType(Kind kind, int size, boolean unsigned, boolean bool, CType target, int length, Struct struct) {
        this.kind = kind;
        this.size = size;
        this.unsigned = unsigned;
        this.bool = bool;
        this.target = target;
        this.length = length;
        this.struct = struct;
    }

    static final CType VOID = new CType(Kind.VOID, 1, false, false, null, -1, null);
    static final CType INT = integer(4, false);
    static final CType UINT = integer(4, true);
    static final CType LONG = integer(8, false);
    static final CType ULONG = integer(8, true);
    static final CType CHAR = integer(1, false);
    static final CType BOOL = new CType(Kind.INT, 1, true, true, null, -1, null);
    static final CType FUNC = new CType(Kind.FUNC, 1, false, false, INT, -1, null);

    static CType integer(int size, boolean unsigned) {
        return new CType(Kind.INT, size, unsigned, false, null, -1, null);
    }

    static CType pointer(CType to) {
        return new CType(Kind.PTR, 8, true, false, to, -1, null);
    }

    static CType array(CType of, int length) {
        return new CType(Kind.ARRAY, length < 0 ? 0 : of.size * length, false, false, of, length, null);
    }

    static CType struct(Struct s) {
        return new CType(Kind.STRUCT, 0, false, false, null, -1, s);
    }

    static CType function(CType returns) {
        return new CType(Kind.FUNC, 1, false, false, returns, -1, null);
    }

    int sizeof() {
        return switch (kind) {
            case STRUCT -> struct.size();
            case ARRAY -> length < 0 ? 0 : target.sizeof() * length;
            default -> size;
        };
    }

    boolean isPointer() {
        return kind == Kind.PTR;
    }

    boolean isInteger() {
        return kind == Kind.INT;
    }

    /** A value stored into an object of this type: integers wrap to its width. */
    Object convert(Object v) {
        if (kind != Kind.INT) return v;
        long x;
        if (v instanceof Long l) x = l;
        else if (v == null) x = 0;
        else if (bool) return 1L;
        else return v;   // a pointer kept in an integer (unsigned long addr = (unsigned long)p)
        if (bool) return x != 0 ? 1L : 0L;
        return switch (size) {
            case 1 -> unsigned ? x & 0xff : (long) (byte) x;
            case 2 -> unsigned ? x & 0xffff : (long) (short) x;
            case 4 -> unsigned ? x & 0xffffffffL : (long) (int) x;
            default -> x;
        };
    }

    /** struct or union: its members in order. */
    static final class Struct {
        final String tag;
        final boolean union;
        final List<String> names = new ArrayList<>();
        final List<CType> types = new ArrayList<>();
        final Map<String, Integer> index = new HashMap<>();
        boolean complete;

        Struct(String tag, boolean union) {
            this.tag = tag;
            this.union = union;
        }

        void add(String name, CType type) {
            index.put(name, names.size());
            names.add(name);
            types.add(type);
        }

        int size() {
            int s = 0, align = 1;
            for (CType t : types) {
                int sz = t.sizeof(), a = Math.max(1, Math.min(8, t.kind == Kind.ARRAY ? t.target.sizeof() : sz));
                if (t.kind == Kind.STRUCT) a = 8;
                align = Math.max(align, a);
                if (union) s = Math.max(s, sz);
                else s = (s + a - 1) / a * a + sz;
            }
            return (s + align - 1) / align * align;
        }

        String display() {
            return (union ? "union " : "struct ") + tag;
        }
    }
}
