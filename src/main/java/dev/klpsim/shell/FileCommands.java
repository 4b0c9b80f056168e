package dev.klpsim.shell;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** coreutils and grep over the virtual tree, with their error wording. */
final class FileCommands {
    private FileCommands() {}

    static int echo(Invocation inv) {
        List<String> a = inv.operands();
        boolean newline = true, escapes = false;
        int i = 0;
        while (i < a.size() && a.get(i).matches("-[neE]+")) {
            for (char c : a.get(i).substring(1).toCharArray()) {
                if (c == 'n') newline = false;
                else if (c == 'e') escapes = true;
                else escapes = false;
            }
            i++;
        }
        String text = String.join(" ", a.subList(i, a.size()));
        if (escapes) text = text.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
        inv.out(newline ? text + "\n" : text);
        return 0;
    }

    static int cat(Invocation inv) {
        if (inv.operands().isEmpty()) {
            if (inv.stdin != null) inv.out(inv.stdin);
            return 0;
        }
        int st = 0;
        for (String p : inv.operands()) {
            try {
                inv.out(inv.shell.readFile(p));
            } catch (KernelError e) {
                inv.errln("cat: " + p + ": " + e.errno.message);
                st = 1;
            }
        }
        return st;
    }

    static int ls(Invocation inv) {
        boolean longFmt = false, dirOnly = false, all = false;
        List<String> paths = new ArrayList<>();
        for (String a : inv.operands()) {
            if (a.startsWith("-") && a.length() > 1) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'l' -> longFmt = true;
                        case 'd' -> dirOnly = true;
                        case 'a' -> all = true;
                        case '1' -> { }
                        default -> {
                            inv.errln("ls: invalid option -- '" + c + "'");
                            inv.errln("Try 'ls --help' for more information.");
                            return 2;
                        }
                    }
                }
            } else paths.add(a);
        }
        if (paths.isEmpty()) paths.add(".");
        int st = 0;
        boolean headers = paths.size() > 1;
        boolean first = true;
        for (String p : paths) {
            Vfs.Node n;
            try {
                n = inv.m.vfs.resolve(p);
            } catch (KernelError e) {
                inv.errln("ls: cannot access '" + p + "': " + e.errno.message);
                st = 2;
                continue;
            }
            if (!n.isDir() || dirOnly) {
                inv.println(longFmt ? longLine(n, p) : p);
                continue;
            }
            if (headers) inv.println((first ? "" : "\n") + p + ":");
            first = false;
            Map<String, Vfs.Node> children = ((Vfs.Dir) n).children();
            if (longFmt) inv.println("total 0");
            // names starting with '.' (module sections and notes) only with -a, after . and ..
            if (all) for (String dot : List.of(".", "..")) inv.println(longFmt ? longLine(n, dot) : dot);
            for (var e : children.entrySet())
                if (all || !e.getKey().startsWith(".")) inv.println(longFmt ? longLine(e.getValue(), e.getKey()) : e.getKey());
        }
        return st;
    }

    private static String longLine(Vfs.Node n, String name) {
        return n.modeString() + (n.isDir() ? " 2" : " 1") + " root root " + (n.isDir() ? "   0" : "4096") + " Jan  1 00:00 " + name;
    }

    static int stat(Invocation inv) {
        String fmt = null;
        List<String> paths = new ArrayList<>();
        List<String> a = inv.operands();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("-c") || s.equals("--format") || s.equals("--printf")) {
                if (i + 1 >= a.size()) {
                    inv.errln("stat: option requires an argument -- 'c'");
                    return 1;
                }
                fmt = a.get(++i);
            } else if (s.startsWith("--format=")) fmt = s.substring(9);
            else if (s.startsWith("-c") && s.length() > 2) fmt = s.substring(2);
            else paths.add(s);
        }
        if (paths.isEmpty()) {
            inv.errln("stat: missing operand");
            inv.errln("Try 'stat --help' for more information.");
            return 1;
        }
        int st = 0;
        for (String p : paths) {
            Vfs.Node n;
            try {
                n = inv.m.vfs.resolve(p);
            } catch (KernelError e) {
                inv.errln("stat: cannot statx '" + p + "': " + e.errno.message);
                st = 1;
                continue;
            }
            if (fmt == null) {
                inv.println("  File: " + p);
                inv.println("  Size: " + (n.isDir() ? 0 : 4096) + "\t\tBlocks: 0          IO Block: 4096   " + (n.isDir() ? "directory" : "regular file"));
                inv.println(String.format("Access: (%04o/%s)  Uid: (    0/    root)   Gid: (    0/    root)", n.perm, n.modeString()));
            } else {
                inv.println(format(fmt, n, p));
            }
        }
        return st;
    }

    private static String format(String fmt, Vfs.Node n, String path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char d = fmt.charAt(++i);
            switch (d) {
                case 'A' -> sb.append(n.modeString());
                case 'a' -> sb.append(Integer.toOctalString(n.perm));
                case 'n' -> sb.append(path);
                case 'F' -> sb.append(n.isDir() ? "directory" : "regular file");
                case 's' -> sb.append(n.isDir() ? 0 : 4096);
                case 'U', 'G' -> sb.append("root");
                case '%' -> sb.append('%');
                default -> sb.append('?');
            }
        }
        return sb.toString();
    }

    static int bracket(Invocation inv) {
        List<String> a = inv.operands();
        if (a.isEmpty() || !a.get(a.size() - 1).equals("]")) {
            inv.errln("bash: [: missing `]'");
            return 2;
        }
        return evalTest(inv, a.subList(0, a.size() - 1));
    }

    static int test(Invocation inv) {
        return evalTest(inv, inv.operands());
    }

    private static int evalTest(Invocation inv, List<String> a) {
        if (a.isEmpty()) return 1;
        if (a.get(0).equals("!")) {
            int r = evalTest(inv, a.subList(1, a.size()));
            return r == 2 ? 2 : 1 - r;
        }
        if (a.size() == 1) return a.get(0).isEmpty() ? 1 : 0;
        if (a.size() == 2) {
            String op = a.get(0), p = a.get(1);
            Vfs.Node n = inv.m.vfs.find(p);
            return switch (op) {
                case "-e" -> n != null ? 0 : 1;
                case "-f" -> n != null && !n.isDir() ? 0 : 1;
                case "-d" -> n != null && n.isDir() ? 0 : 1;
                case "-r" -> n != null && (n.isDir() || ((Vfs.File) n).readable()) ? 0 : 1;
                case "-w" -> n != null && !n.isDir() && ((Vfs.File) n).writable() ? 0 : 1;
                case "-x" -> n != null && (n.perm & 0111) != 0 ? 0 : 1;
                case "-z" -> p.isEmpty() ? 0 : 1;
                case "-n" -> p.isEmpty() ? 1 : 0;
                default -> {
                    inv.errln("bash: test: " + op + ": unary operator expected");
                    yield 2;
                }
            };
        }
        if (a.size() == 3) {
            String l = a.get(0), op = a.get(1), r = a.get(2);
            switch (op) {
                case "=", "==" -> { return l.equals(r) ? 0 : 1; }
                case "!=" -> { return l.equals(r) ? 1 : 0; }
                case "-eq", "-ne", "-lt", "-le", "-gt", "-ge" -> {
                    long x, y;
                    try {
                        x = Long.parseLong(l.trim());
                        y = Long.parseLong(r.trim());
                    } catch (NumberFormatException e) {
                        inv.errln("bash: test: " + (isLong(l) ? r : l) + ": integer expression expected");
                        return 2;
                    }
                    boolean res = switch (op) {
                        case "-eq" -> x == y;
                        case "-ne" -> x != y;
                        case "-lt" -> x < y;
                        case "-le" -> x <= y;
                        case "-gt" -> x > y;
                        default -> x >= y;
                    };
                    return res ? 0 : 1;
                }
                default -> { }
            }
        }
        inv.errln("bash: test: too many arguments");
        return 2;
    }

    private static boolean isLong(String s) {
        try {
            Long.parseLong(s.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static int grep(Invocation inv) {
        boolean count = false, word = false, fixed = false, quiet = false, invert = false, icase = false, line = false, number = false, extended = false;
        String pattern = null;
        List<String> files = new ArrayList<>();
        boolean opts = true;
        for (String a : inv.operands()) {
            if (opts && a.equals("--")) {
                opts = false;
            } else if (opts && a.startsWith("-") && a.length() > 1 && pattern == null) {
                for (char c : a.substring(1).toCharArray()) {
                    switch (c) {
                        case 'c' -> count = true;
                        case 'w' -> word = true;
                        case 'F' -> fixed = true;
                        case 'q' -> quiet = true;
                        case 'v' -> invert = true;
                        case 'i' -> icase = true;
                        case 'x' -> line = true;
                        case 'n' -> number = true;
                        case 'E' -> extended = true;
                        case 'G' -> extended = false;
                        case 's' -> { }
                        default -> {
                            inv.errln("grep: invalid option -- '" + c + "'");
                            inv.errln("Usage: grep [OPTION]... PATTERNS [FILE]...");
                            inv.errln("Try 'grep --help' for more information.");
                            return 2;
                        }
                    }
                }
            } else if (pattern == null) pattern = a;
            else files.add(a);
        }
        if (pattern == null) {
            inv.errln("Usage: grep [OPTION]... PATTERNS [FILE]...");
            inv.errln("Try 'grep --help' for more information.");
            return 2;
        }
        // -E: an extended regex, which Java's syntax covers for what grep users write
        String re = fixed ? Pattern.quote(pattern) : extended ? pattern : basicRegex(pattern);
        if (word) re = "(?<![\\w])(?:" + re + ")(?![\\w])";
        if (line) re = "^(?:" + re + ")$";
        Pattern pat;
        try {
            pat = Pattern.compile(re, icase ? Pattern.CASE_INSENSITIVE : 0);
        } catch (PatternSyntaxException e) {
            inv.errln("grep: Invalid regular expression");
            return 2;
        }
        boolean any = false, error = false;
        List<String> sources = files.isEmpty() ? List.of("-") : files;
        for (String f : sources) {
            String text;
            if (f.equals("-")) text = inv.stdin == null ? "" : inv.stdin;
            else {
                try {
                    text = inv.shell.readFile(f);
                } catch (KernelError e) {
                    inv.errln("grep: " + f + ": " + e.errno.message);
                    error = true;
                    continue;
                }
            }
            int n = 0, lineNo = 0;
            for (String l : lines(text)) {
                lineNo++;
                boolean match = pat.matcher(l).find() != invert;
                if (!match) continue;
                n++;
                any = true;
                if (quiet || count) continue;
                inv.println((sources.size() > 1 ? f + ":" : "") + (number ? lineNo + ":" : "") + l);
            }
            if (count && !quiet) inv.println((sources.size() > 1 ? f + ":" : "") + n);
            if (quiet && any) return 0;
        }
        if (error && !(quiet && any)) return 2;
        return any ? 0 : 1;
    }

    /** A POSIX basic regular expression as a Java one: \( \) \{ \} \| are the operators, bare ones are literal. */
    private static String basicRegex(String p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                char d = p.charAt(++i);
                if ("(){}|+?".indexOf(d) >= 0) sb.append(d);
                else sb.append('\\').append(d);
            } else if ("(){}|+?".indexOf(c) >= 0) {
                sb.append('\\').append(c);
            } else sb.append(c);
        }
        return sb.toString();
    }

    private static String input(Invocation inv, String what) {
        List<String> files = inv.operands().stream().filter(a -> !a.startsWith("-") || a.equals("-")).toList();
        if (files.isEmpty() || files.get(0).equals("-")) return inv.stdin == null ? "" : inv.stdin;
        try {
            return inv.shell.readFile(files.get(0));
        } catch (KernelError e) {
            throw new KernelError(e.errno, what + ": " + files.get(0) + ": " + e.errno.message);
        }
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    /** cut -f LIST [-d DELIM] [FILE]: fields (TAB-separated by default); a line without the delimiter is printed whole. */
    static int cut(Invocation inv) {
        String delim = "\t", list = null, file = null;
        List<String> a = inv.operands();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if ((s.equals("-d") || s.equals("-f")) && i + 1 < a.size()) {
                if (s.equals("-d")) delim = a.get(++i);
                else list = a.get(++i);
            } else if (s.startsWith("-d") && s.length() > 2) delim = s.substring(2);
            else if (s.startsWith("-f") && s.length() > 2) list = s.substring(2);
            else if (s.startsWith("-") && s.length() > 1) {
                inv.errln("cut: invalid option -- '" + s.substring(1) + "'");
                return 1;
            } else file = s;
        }
        if (list == null) {
            inv.errln("cut: you must specify a list of bytes, characters, or fields");
            return 1;
        }
        if (delim.length() != 1) {
            inv.errln("cut: the delimiter must be a single character");
            return 1;
        }
        java.util.BitSet fields = new java.util.BitSet();
        int openFrom = Integer.MAX_VALUE;
        for (String r : list.split(",")) {
            java.util.regex.Matcher mm = java.util.regex.Pattern.compile("(\\d*)(-?)(\\d*)").matcher(r);
            if (r.isEmpty() || !mm.matches() || (mm.group(1).isEmpty() && mm.group(3).isEmpty()) || r.equals("0")) {
                inv.errln("cut: invalid field range");
                return 1;
            }
            int from = mm.group(1).isEmpty() ? 1 : Integer.parseInt(mm.group(1));
            if (mm.group(2).isEmpty()) fields.set(from);
            else if (mm.group(3).isEmpty()) openFrom = Math.min(openFrom, from);
            else fields.set(from, Integer.parseInt(mm.group(3)) + 1);
        }
        String text;
        try {
            text = file == null ? (inv.stdin == null ? "" : inv.stdin) : inv.shell.readFile(file);
        } catch (KernelError e) {
            inv.errln("cut: " + file + ": " + e.errno.message);
            return 1;
        }
        for (String line : lines(text)) {
            if (!line.contains(delim)) {
                inv.println(line);
                continue;
            }
            String[] parts = line.split(java.util.regex.Pattern.quote(delim), -1);
            StringBuilder sb = new StringBuilder();
            boolean firstField = true;
            for (int f = 1; f <= parts.length; f++) {
                if (!fields.get(f) && f < openFrom) continue;
                if (!firstField) sb.append(delim);
                sb.append(parts[f - 1]);
                firstField = false;
            }
            inv.println(sb.toString());
        }
        return 0;
    }

    static int wc(Invocation inv) {
        String text;
        try {
            text = input(inv, "wc");
        } catch (KernelError e) {
            inv.errln(e.getMessage());
            return 1;
        }
        long nl = text.chars().filter(c -> c == '\n').count();
        if (inv.operands().contains("-l")) inv.println(Long.toString(nl));
        else inv.println(String.format("%7d %7d %7d", nl, text.isBlank() ? 0 : text.trim().split("\\s+").length, text.length()));
        return 0;
    }

    private static int count(Invocation inv) {
        List<String> a = inv.operands();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            String v = null;
            if (s.equals("-n") && i + 1 < a.size()) v = a.get(i + 1);
            else if (s.matches("-n?\\d+")) v = s.replaceAll("\\D", "");
            if (v != null) {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new KernelError(Errno.EINVAL, inv.name() + ": invalid number of lines: '" + v + "'");
                }
            }
        }
        return 10;
    }

    static int head(Invocation inv) {
        return slice(inv, true);
    }

    static int tail(Invocation inv) {
        return slice(inv, false);
    }

    private static int slice(Invocation inv, boolean head) {
        try {
            int n = count(inv);
            List<String> ops = new ArrayList<>(inv.operands());
            ops.removeIf(s -> s.startsWith("-") || s.matches("\\d+"));
            String text = ops.isEmpty() ? (inv.stdin == null ? "" : inv.stdin) : inv.shell.readFile(ops.get(0));
            List<String> l = lines(text);
            List<String> part = head ? l.subList(0, Math.min(n, l.size())) : l.subList(Math.max(0, l.size() - n), l.size());
            for (String s : part) inv.println(s);
            return 0;
        } catch (KernelError e) {
            inv.errln(e.getMessage() != null && e.getMessage().contains(":") ? e.getMessage() : inv.name() + ": " + e.errno.message);
            return 1;
        }
    }
}
