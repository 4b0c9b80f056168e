package dev.klpsim.shell;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** bash builtins for scripts: source/., :, export, unset, break, continue; and coreutils seq. */
final class ShellBuiltins {
    private ShellBuiltins() {}

    /** source FILE: runs a host file's commands in this shell (the path is a host path). */
    static int source(Invocation inv) {
        String name = inv.name();
        if (inv.operands().isEmpty()) {
            inv.errln("bash: " + name + ": filename argument required");
            inv.errln(name + ": usage: " + name + " filename [arguments]");
            return 2;
        }
        String file = inv.operands().get(0);
        Path p = inv.shell.hostPath(file);
        String text;
        try {
            text = HostPaths.read(p);
        } catch (IOException e) {
            if (e.getMessage().equals("Is a directory")) inv.errln("bash: " + name + ": " + file + ": is a directory");
            else inv.errln("bash: " + file + ": " + e.getMessage());
            return 1;
        }
        return inv.shell.runScript(text, inv);
    }

    static int colon(Invocation inv) {
        return 0;
    }

    /** export NAME[=VALUE]...: klpsim's variables are all in the environment already. */
    static int export(Invocation inv) {
        int st = 0;
        for (String a : inv.operands()) {
            if (a.equals("-n") || a.equals("-p")) continue;
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                inv.errln("bash: export: `" + a + "': not a valid identifier");
                st = 1;
                continue;
            }
            if (eq >= 0) inv.shell.env().put(name, a.substring(eq + 1));
            else inv.shell.env().putIfAbsent(name, "");
        }
        if (inv.operands().isEmpty()) for (var e : inv.shell.env().entrySet()) inv.println("declare -x " + e.getKey() + "=\"" + e.getValue() + "\"");
        return st;
    }

    static int unset(Invocation inv) {
        for (String a : inv.operands()) if (!a.startsWith("-")) inv.shell.env().remove(a);
        return 0;
    }

    static int breakOrContinue(Invocation inv) {
        boolean isBreak = inv.name().equals("break");
        int n = 1;
        if (!inv.operands().isEmpty()) {
            try {
                n = Integer.parseInt(inv.operands().get(0));
            } catch (NumberFormatException e) {
                inv.errln("bash: " + inv.name() + ": " + inv.operands().get(0) + ": numeric argument required");
                return 1;
            }
            if (n < 1) {
                inv.errln("bash: " + inv.name() + ": " + n + ": loop count out of range");
                return 1;
            }
        }
        int depth = inv.shell.interpreter().loopDepth;
        if (depth == 0) {
            inv.errln("bash: " + inv.name() + ": only meaningful in a `for', `while', or `until' loop");
            return 0;
        }
        throw new Interpreter.LoopControl(isBreak, Math.min(n, depth));
    }

    /** coreutils seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST, on integers. */
    static int seq(Invocation inv) {
        String sep = "\n";
        boolean width = false;
        List<String> nums = new ArrayList<>();
        List<String> a = inv.operands();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("-s") && i + 1 < a.size()) sep = a.get(++i);
            else if (s.startsWith("-s") && s.length() > 2) sep = s.substring(2);
            else if (s.equals("-w")) width = true;
            else if (s.startsWith("-") && !s.matches("-\\d.*")) {
                inv.errln("seq: invalid option -- '" + s.substring(1, 2) + "'");
                inv.errln("Try 'seq --help' for more information.");
                return 1;
            } else nums.add(s);
        }
        if (nums.isEmpty()) {
            inv.errln("seq: missing operand");
            inv.errln("Try 'seq --help' for more information.");
            return 1;
        }
        if (nums.size() > 3) {
            inv.errln("seq: extra operand '" + nums.get(3) + "'");
            inv.errln("Try 'seq --help' for more information.");
            return 1;
        }
        List<BigInteger> v = new ArrayList<>();
        for (String s : nums) {
            try {
                v.add(new BigInteger(s.startsWith("+") ? s.substring(1) : s));
            } catch (NumberFormatException e) {
                inv.errln("seq: " + (s.matches("[-+]?\\d*\\.\\d*") ? "klpsim's seq counts in integers: '" + s + "'"
                        : "invalid floating point argument: \u2018" + s + "\u2019"));
                inv.errln("Try 'seq --help' for more information.");
                return 1;
            }
        }
        BigInteger first = v.size() > 1 ? v.get(0) : BigInteger.ONE;
        BigInteger inc = v.size() > 2 ? v.get(1) : BigInteger.ONE;
        BigInteger last = v.get(v.size() - 1);
        if (inc.signum() == 0) {
            inv.errln("seq: invalid Zero increment value: \u2018" + nums.get(1) + "\u2019");
            inv.errln("Try 'seq --help' for more information.");
            return 1;
        }
        int w = width ? Math.max(first.toString().length(), last.toString().length()) : 0;
        StringBuilder sb = new StringBuilder();
        long count = 0;
        for (BigInteger x = first; inc.signum() > 0 ? x.compareTo(last) <= 0 : x.compareTo(last) >= 0; x = x.add(inc)) {
            if (count++ > 0) sb.append(sep);
            String s = x.toString();
            if (w > 0 && s.length() < w) s = (x.signum() < 0 ? "-" : "") + "0".repeat(w - s.length()) + (x.signum() < 0 ? s.substring(1) : s);
            sb.append(s);
            if (count >= 1_000_000) {
                inv.out(sb.append('\n').toString());
                inv.errln("seq: klpsim prints at most 1000000 numbers");
                return 1;
            }
            if ((count & 1023) == 0 && dev.klpsim.jsh.UserCode.interruptRequested()) return 130;
        }
        if (count > 0) inv.out(sb.append('\n').toString());
        return 0;
    }

    /** coreutils tr [-d] SET1 [SET2]: maps or deletes characters of stdin; ranges like a-z. */
    static int tr(Invocation inv) {
        List<String> a = new ArrayList<>(inv.operands());
        boolean delete = !a.isEmpty() && a.get(0).equals("-d");
        if (delete) a.remove(0);
        if (a.isEmpty() || (!delete && a.size() < 2)) {
            inv.errln(a.isEmpty() ? "tr: missing operand" : "tr: missing operand after \u2018" + a.get(0) + "\u2019");
            inv.errln("Try 'tr --help' for more information.");
            return 1;
        }
        if (a.size() > (delete ? 1 : 2)) {
            inv.errln("tr: extra operand \u2018" + a.get(delete ? 1 : 2) + "\u2019");
            inv.errln("Try 'tr --help' for more information.");
            return 1;
        }
        String from = trSet(a.get(0)), to = delete ? "" : trSet(a.get(1));
        String in = inv.stdin == null ? "" : inv.stdin;
        StringBuilder sb = new StringBuilder(in.length());
        for (int i = 0; i < in.length(); i++) {
            char c = in.charAt(i);
            int k = from.indexOf(c);
            if (k < 0) sb.append(c);
            else if (!delete) sb.append(to.isEmpty() ? c : to.charAt(Math.min(k, to.length() - 1)));
        }
        inv.out(sb.toString());
        return 0;
    }

    private static String trSet(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                sb.append(d == 'n' ? '\n' : d == 't' ? '\t' : d);
            } else if (i + 2 < s.length() && s.charAt(i + 1) == '-') {
                for (char x = c; x <= s.charAt(i + 2); x++) sb.append(x);
                i += 2;
            } else sb.append(c);
        }
        return sb.toString();
    }
}
