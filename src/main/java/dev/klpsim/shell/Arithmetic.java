package dev.klpsim.shell;

import java.util.Map;

/**
 * bash's $((...)) on 64-bit integers: + - * / % ** comparisons, ! ~ && || & | ^ << >>,
 * ?: and parentheses; a bare name reads the variable (unset or empty is 0). No assignment.
 */
final class Arithmetic {
    static final class Error extends Exception {
        Error(String msg) {
            super(msg, null, false, false);
        }
    }

    private final String s;
    private final Map<String, String> vars;
    private int i;
    /** Where the last operator or operand began: bash names the text from there in errors. */
    private int lastToken;

    private Arithmetic(String s, Map<String, String> vars) {
        this.s = s;
        this.vars = vars;
    }

    static long eval(String expr, Map<String, String> vars) throws Error {
        if (expr.isBlank()) return 0;
        Arithmetic a = new Arithmetic(expr, vars);
        long v = a.ternary();
        a.ws();
        if (a.i < expr.length()) throw a.error("syntax error in expression");
        return v;
    }

    private Error error(String what) {
        String token = s.substring(Math.min(lastToken, s.length())).trim();
        return new Error(s.trim() + ": " + what + " (error token is \"" + token + "\")");
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private boolean eat(String op) {
        ws();
        if (!s.startsWith(op, i)) return false;
        // do not take the first char of a longer operator
        String next = i + op.length() < s.length() ? s.substring(i + op.length(), i + op.length() + 1) : "";
        if ((op.equals("<") || op.equals(">")) && (next.equals("=") || next.equals(op))) return false;
        if ((op.equals("&") || op.equals("|")) && next.equals(op)) return false;
        if ((op.equals("*")) && next.equals("*")) return false;
        if ((op.equals("!") || op.equals("=")) && next.equals("=")) return false;
        lastToken = i;
        i += op.length();
        return true;
    }

    private long ternary() throws Error {
        long c = or();
        if (eat("?")) {
            long a = ternary();
            if (!eat(":")) throw error("expected `:'");
            long b = ternary();
            return c != 0 ? a : b;
        }
        return c;
    }

    private long or() throws Error {
        long v = and();
        while (eat("||")) v = (and() != 0 | v != 0) ? 1 : 0;
        return v;
    }

    private long and() throws Error {
        long v = bor();
        while (eat("&&")) v = (bor() != 0 & v != 0) ? 1 : 0;
        return v;
    }

    private long bor() throws Error {
        long v = bxor();
        while (eat("|")) v |= bxor();
        return v;
    }

    private long bxor() throws Error {
        long v = band();
        while (eat("^")) v ^= band();
        return v;
    }

    private long band() throws Error {
        long v = eq();
        while (eat("&")) v &= eq();
        return v;
    }

    private long eq() throws Error {
        long v = rel();
        while (true) {
            if (eat("==")) v = v == rel() ? 1 : 0;
            else if (eat("!=")) v = v != rel() ? 1 : 0;
            else return v;
        }
    }

    private long rel() throws Error {
        long v = shift();
        while (true) {
            if (eat("<=")) v = v <= shift() ? 1 : 0;
            else if (eat(">=")) v = v >= shift() ? 1 : 0;
            else if (eat("<")) v = v < shift() ? 1 : 0;
            else if (eat(">")) v = v > shift() ? 1 : 0;
            else return v;
        }
    }

    private long shift() throws Error {
        long v = add();
        while (true) {
            if (eat("<<")) v <<= add();
            else if (eat(">>")) v >>= add();
            else return v;
        }
    }

    private long add() throws Error {
        long v = mul();
        while (true) {
            if (eat("+")) v += mul();
            else if (eat("-")) v -= mul();
            else return v;
        }
    }

    private long mul() throws Error {
        long v = pow();
        while (true) {
            if (eat("*")) v *= pow();
            else if (eat("/") || eat("%")) {
                boolean div = s.charAt(i - 1) == '/';
                long d = pow();
                if (d == 0) throw error("division by 0");
                v = div ? v / d : v % d;
            } else return v;
        }
    }

    private long pow() throws Error {
        long b = unary();
        if (eat("**")) {
            long e = pow();
            if (e < 0) throw error("exponent less than 0");
            long r = 1;
            for (long k = 0; k < e; k++) r *= b;
            return r;
        }
        return b;
    }

    private long unary() throws Error {
        if (eat("-")) return -unary();
        if (eat("+")) return unary();
        if (eat("!")) return unary() == 0 ? 1 : 0;
        if (eat("~")) return ~unary();
        return primary();
    }

    private long primary() throws Error {
        ws();
        if (i >= s.length()) throw error("syntax error: operand expected");
        char c = s.charAt(i);
        if (c == '(') {
            i++;
            long v = ternary();
            if (!eat(")")) throw error("missing `)'");
            return v;
        }
        int start = i;
        lastToken = i;
        if (Character.isDigit(c)) {
            while (i < s.length() && Character.isLetterOrDigit(s.charAt(i))) i++;
            String num = s.substring(start, i);
            try {
                if (num.startsWith("0x") || num.startsWith("0X")) return Long.parseLong(num.substring(2), 16);
                if (num.length() > 1 && num.startsWith("0")) return Long.parseLong(num.substring(1), 8);
                return Long.parseLong(num);
            } catch (NumberFormatException e) {
                i = start;
                throw error("value too great for base");
            }
        }
        if (Character.isLetter(c) || c == '_') {
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            String v = vars.getOrDefault(s.substring(start, i), "").trim();
            if (v.isEmpty()) return 0;
            return eval(v, vars);
        }
        throw error("syntax error: operand expected");
    }
}
