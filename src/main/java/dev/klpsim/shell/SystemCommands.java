package dev.klpsim.shell;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.KernelFs;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.Vfs;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** procps, sysctl, util-linux dmesg and the small system tools. */
final class SystemCommands {
    private SystemCommands() {}

    static int sysctl(Invocation inv) {
        boolean quiet = false, values = false, all = false;
        List<String> items = new ArrayList<>();
        for (String a : inv.operands()) {
            switch (a) {
                case "-q", "--quiet" -> quiet = true;
                case "-n", "--values" -> values = true;
                case "-w", "--write" -> { }
                case "-a", "-A", "--all" -> all = true;
                default -> {
                    if (a.startsWith("-")) {
                        inv.errln("sysctl: invalid option -- '" + a.replaceFirst("^-+", "") + "'");
                        return 1;
                    }
                    items.add(a);
                }
            }
        }
        if (all) {
            listAll(inv, (Vfs.Dir) inv.m.vfs.resolve("/proc/sys"), "", values);
            return 0;
        }
        if (items.isEmpty()) {
            inv.errln("sysctl: no variables specified");
            inv.errln("Try `sysctl --help' for more information.");
            return 1;
        }
        int st = 0;
        for (String item : items) {
            int eq = item.indexOf('=');
            String key = (eq < 0 ? item : item.substring(0, eq)).trim();
            String path = "/proc/sys/" + key.replace('.', '/');
            Vfs.Node n = inv.m.vfs.find(path);
            if (n == null || n.isDir()) {
                inv.errln("sysctl: cannot stat " + path + ": No such file or directory");
                st = 255;
                continue;
            }
            Vfs.File f = (Vfs.File) n;
            if (eq < 0) {
                String v = f.read().trim();
                inv.println(values ? v : key + " = " + v);
                continue;
            }
            String val = item.substring(eq + 1).trim();
            int ret = f.writable() ? f.write(val, false) : Errno.EACCES.neg();
            if (ret < 0) {
                inv.errln("sysctl: setting key \"" + key + "\": " + Errno.strerror(ret));
                st = 255;
                continue;
            }
            if (!quiet) inv.println(values ? val : key + " = " + val);
        }
        return st;
    }

    private static void listAll(Invocation inv, Vfs.Dir d, String prefix, boolean values) {
        for (var e : d.children().entrySet()) {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Vfs.Dir sub) listAll(inv, sub, key, values);
            else {
                String v = ((Vfs.File) e.getValue()).read().trim();
                inv.println(values ? v : key + " = " + v);
            }
        }
    }

    static int sleep(Invocation inv) {
        if (inv.operands().isEmpty()) {
            inv.errln("sleep: missing operand");
            inv.errln("Try 'sleep --help' for more information.");
            return 1;
        }
        long total = 0;
        for (String a : inv.operands()) {
            Long ns = parseDuration(a);
            if (ns == null) {
                inv.errln("sleep: invalid time interval '" + a + "'");
                inv.errln("Try 'sleep --help' for more information.");
                return 1;
            }
            total += ns;
        }
        if (total > MAX_SLEEP_NS) {
            inv.errln("sleep: klpsim lets at most 86400 seconds of virtual time pass per sleep; sleeping 86400");
            total = MAX_SLEEP_NS;
        }
        inv.m.sleep(total, dev.klpsim.jsh.UserCode::interruptRequested);
        return dev.klpsim.jsh.UserCode.interruptRequested() ? 130 : 0;
    }

    /** One sleep lets at most a day of virtual time pass (a stalled transition retries every second). */
    static final long MAX_SLEEP_NS = 86_400L * 1_000_000_000L;

    /** coreutils sleep: a number with an optional s/m/h/d suffix. */
    static Long parseDuration(String a) {
        if (a.isEmpty()) return null;
        char last = a.charAt(a.length() - 1);
        long mult = 1;
        String num = a;
        if ("smhd".indexOf(last) >= 0) {
            mult = switch (last) {
                case 'm' -> 60;
                case 'h' -> 3600;
                case 'd' -> 86400;
                default -> 1;
            };
            num = a.substring(0, a.length() - 1);
        }
        if (!num.matches("\\d+(\\.\\d*)?|\\.\\d+")) return null;
        BigDecimal secs = new BigDecimal(num).multiply(BigDecimal.valueOf(mult));
        if (secs.compareTo(BigDecimal.valueOf(100L * 365 * 86400)) > 0) secs = BigDecimal.valueOf(100L * 365 * 86400);
        return secs.multiply(BigDecimal.valueOf(1_000_000_000L)).longValue();
    }

    /**
     * procps ps: -e/-A (every process, the default here), -p PID[,PID], -C COMM[,COMM],
     * -o FIELD[,FIELD]; a field written NAME= has an empty header, and when every one does
     * no header line is printed.
     */
    static int ps(Invocation inv) {
        List<String> fields = List.of("pid", "stat", "patch", "wchan", "cmd");
        List<String> a = inv.operands();
        java.util.Set<Integer> pids = null;
        java.util.Set<String> comms = null;
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            if (s.equals("-o") && i + 1 < a.size()) fields = List.of(a.get(++i).split(","));
            else if (s.equals("-p") && i + 1 < a.size()) {
                pids = new java.util.HashSet<>();
                for (String p : a.get(++i).split(",")) {
                    if (!p.matches("\\d{1,9}")) {
                        inv.errln("error: process ID list syntax error");
                        return 1;
                    }
                    pids.add(Integer.parseInt(p));
                }
            } else if (s.equals("-C") && i + 1 < a.size()) comms = new java.util.HashSet<>(List.of(a.get(++i).split(",")));
            else if (!s.equals("-e") && !s.equals("-A") && !s.equals("ax") && !s.equals("aux")) {
                inv.errln("error: unsupported option (klpsim ps knows -e, -A, -p PIDS, -C NAMES, -o FIELDS)");
                return 1;
            }
        }
        boolean header = false;
        List<String> names = new ArrayList<>();
        for (String f : fields) {
            String name = f.endsWith("=") ? f.substring(0, f.length() - 1) : f;
            if (!List.of("pid", "tty", "time", "cmd", "comm", "stat", "patch", "wchan").contains(name)) {
                inv.errln("error: unknown user-defined format specifier \"" + name + "\"");
                return 1;
            }
            header |= !f.endsWith("=");
            names.add(name);
        }
        if (header) {
            StringBuilder head = new StringBuilder();
            for (int i = 0; i < names.size(); i++)
                head.append(fields.get(i).endsWith("=") ? " ".repeat(column(names.get(i), null, inv.m).length()) : column(names.get(i), null, inv.m));
            inv.println(head.toString().stripTrailing());
        }
        int shown = 0;
        for (Task t : inv.m.tasks()) {
            if (pids != null && !pids.contains(t.pid)) continue;
            if (comms != null && !comms.contains(t.comm)) continue;
            StringBuilder row = new StringBuilder();
            for (String f : names) row.append(column(f, t, inv.m));
            inv.println(row.toString().stripTrailing());
            shown++;
        }
        // procps: no process selected is a failure
        return (pids != null || comms != null) && shown == 0 ? 1 : 0;
    }

    private static String column(String f, Task t, Machine m) {
        return switch (f) {
            case "pid" -> String.format("%7s ", t == null ? "PID" : Integer.toString(t.pid));
            case "tty" -> String.format("%-8s ", t == null ? "TTY" : t == m.shell || (!t.isKthread() && t.pid >= 1000) ? "ttyS0" : "?");
            case "time" -> String.format("%8s ", t == null ? "TIME" : "00:00:00");
            case "stat" -> String.format("%-4s ", t == null ? "STAT" : t.state.letter);
            case "patch" -> String.format("%5s ", t == null ? "PATCH" : Integer.toString(t.patchState));
            case "wchan" -> String.format("%-24s ", t == null ? "WCHAN" : wchan(t));
            case "comm" -> t == null ? "COMMAND" : t.comm;
            default -> t == null ? "CMD" : t.isKthread() ? "[" + t.comm + "]" : t.comm;
        };
    }

    private static String wchan(Task t) {
        if (t.state == dev.klpsim.kernel.TaskState.RUNNING) return "-";
        List<Symbol> st = t.stack();
        for (int i = st.size() - 1; i >= 0; i--) {
            String n = st.get(i).name;
            if (!n.startsWith("schedule") && !n.equals("msleep") && !n.equals("msleep_interruptible")) return n;
        }
        return "-";
    }

    static final String KILL_USAGE = "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]";

    /** bash's kill builtin: -l [SIG...], -s SIG, -n NUM, -SIG; a terminating signal ends the process. */
    static int kill(Invocation inv) {
        List<String> ops = new ArrayList<>(inv.operands());
        int sig = 15;
        if (!ops.isEmpty() && (ops.get(0).equals("-l") || ops.get(0).equals("-L"))) return killList(inv, ops.subList(1, ops.size()));
        if (!ops.isEmpty() && (ops.get(0).equals("-s") || ops.get(0).equals("-n"))) {
            if (ops.size() < 2) {
                inv.errln("bash: kill: " + ops.get(0) + ": option requires an argument");
                return 2;
            }
            String spec = ops.get(1);
            sig = ops.get(0).equals("-n") && !spec.matches("\\d+") ? -1 : Signals.number(spec);
            if (sig < 0) {
                inv.errln("bash: kill: " + spec + ": invalid signal specification");
                return 1;
            }
            ops = ops.subList(2, ops.size());
        } else if (!ops.isEmpty() && ops.get(0).startsWith("-") && ops.get(0).length() > 1 && !ops.get(0).equals("--")) {
            sig = Signals.number(ops.get(0).substring(1));
            if (sig < 0) {
                inv.errln("bash: kill: " + ops.get(0).substring(1) + ": invalid signal specification");
                return 1;
            }
            ops = ops.subList(1, ops.size());
        }
        if (!ops.isEmpty() && ops.get(0).equals("--")) ops = ops.subList(1, ops.size());
        if (ops.isEmpty()) {
            inv.errln(KILL_USAGE);
            return 2;
        }
        if (sig != 0 && !Signals.terminates(sig) && sig != 17 && sig != 18 && sig != 23 && sig != 28) {
            inv.errln("klpsim: kill: SIG" + Signals.name(sig) + ": stopping a process is not simulated");
            return 1;
        }
        int st = 0;
        for (String p : ops) {
            int pid;
            try {
                pid = p.startsWith("%") ? inv.shell.jobs().pidOfJob(Integer.parseInt(p.substring(1))) : Integer.parseInt(p);
            } catch (NumberFormatException e) {
                inv.errln("bash: kill: " + p + ": arguments must be process or job IDs");
                st = 1;
                continue;
            }
            Task t = pid > 0 ? inv.m.task(pid) : null;
            if (t == null) {
                inv.errln(p.startsWith("%") ? "bash: kill: " + p + ": no such job" : "bash: kill: (" + p + ") - No such process");
                st = 1;
                continue;
            }
            if (!Signals.terminates(sig) || t.isKthread() || t == inv.m.shell || t.pid == 1) continue;
            // asleep uninterruptibly in a module's init: the signal waits until the sleep ends
            if (inv.m.modules.waitsInInit(t)) continue;
            inv.shell.jobs().terminated(t);
            inv.m.exitTask(t);
        }
        return st;
    }

    /** kill -l: the table; kill -l SIG...: names for numbers (an exit status 128+n too), numbers for names. */
    private static int killList(Invocation inv, List<String> specs) {
        if (specs.isEmpty()) {
            inv.out(Signals.table());
            return 0;
        }
        int st = 0;
        for (String s : specs) {
            if (s.matches("\\d+")) {
                int n = Integer.parseInt(s.length() > 9 ? "999" : s);
                if (n > 128 && n - 128 <= 64) n -= 128;
                String name = Signals.name(n);
                if (name == null) {
                    inv.errln("bash: kill: " + s + ": invalid signal specification");
                    st = 1;
                } else inv.println(name);
            } else {
                int n = Signals.number(s);
                if (n < 0) {
                    inv.errln("bash: kill: " + s + ": invalid signal specification");
                    st = 1;
                } else inv.println(Integer.toString(n));
            }
        }
        return st;
    }

    static int getconf(Invocation inv) {
        List<String> ops = inv.operands();
        if (ops.size() != 1) {
            inv.errln("Usage: getconf [-v specification] variable_name [pathname]");
            return 1;
        }
        switch (ops.get(0)) {
            case "_NPROCESSORS_ONLN", "_NPROCESSORS_CONF" -> inv.println(Integer.toString(inv.m.options.cpus));
            case "PAGESIZE", "PAGE_SIZE" -> inv.println("4096");
            case "CLK_TCK" -> inv.println("100");
            default -> {
                inv.errln("getconf: Unrecognized variable '" + ops.get(0) + "'");
                return 1;
            }
        }
        return 0;
    }

    static int dmesg(Invocation inv) {
        boolean clear = false, print = true;
        for (String a : inv.operands()) {
            switch (a) {
                case "-C", "--clear" -> {
                    clear = true;
                    print = false;
                }
                case "-c", "--read-clear" -> clear = true;
                default -> {
                    inv.errln("dmesg: invalid option -- '" + a.replaceFirst("^-+", "") + "'");
                    return 1;
                }
            }
        }
        if (print) for (Printk.Record r : inv.m.printk.records()) inv.println(r.dmesgLine());
        if (clear) inv.m.clearLog();
        return 0;
    }

    static int uname(Invocation inv) {
        String r = inv.m.release();
        if (inv.operands().contains("-a")) inv.println("Linux klpsim " + r + " #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux");
        else if (inv.operands().contains("-r")) inv.println(r);
        else inv.println("Linux");
        return 0;
    }

    static int cd(Invocation inv) {
        if (inv.operands().size() > 1) {
            inv.errln("bash: cd: too many arguments");
            return 1;
        }
        String target = inv.operands().isEmpty() ? "/root" : inv.operands().get(0);
        // cd - goes back to OLDPWD and prints where it went, as bash does
        boolean back = target.equals("-");
        if (back) {
            target = inv.shell.env().get("OLDPWD");
            if (target == null) {
                inv.errln("bash: cd: OLDPWD not set");
                return 1;
            }
        }
        Vfs.Node n = inv.m.vfs.find(target);
        if (n == null) {
            inv.errln("bash: cd: " + target + ": No such file or directory");
            return 1;
        }
        if (!n.isDir()) {
            inv.errln("bash: cd: " + target + ": Not a directory");
            return 1;
        }
        String old = inv.m.vfs.cwd();
        inv.m.vfs.setCwd(target);
        inv.shell.env().put("OLDPWD", old);
        inv.shell.env().put("PWD", inv.m.vfs.cwd());
        if (back) inv.println(inv.m.vfs.cwd());
        return 0;
    }

    /** What ncurses' clear writes for TERM=xterm (home, erase screen, erase scrollback). */
    static final String CLEAR_XTERM = "\u001b[H\u001b[2J\u001b[3J";

    /**
     * clear: on the terminal klpsim runs in, clears it; elsewhere (a pipe, a file, klpsim run) it
     * does what ncurses' clear does for $TERM in klpsim's environment: unset (the default) is its
     * error and status 1, dumb (no clear capability) is status 1 silently, any other is xterm's sequence.
     */
    static int clear(Invocation inv) {
        if (!inv.operands().isEmpty()) {
            inv.errln("clear: klpsim's clear takes no options or operands");
            return 1;
        }
        if (inv.fds.out == inv.shell.interpreter().terminalOut && inv.shell.output().clearScreen()) return 0;
        String term = inv.shell.env().get("TERM");
        if (term == null || term.isEmpty()) {
            inv.errln("TERM environment variable not set.");
            return 1;
        }
        if (term.equals("dumb")) return 1;
        inv.out(CLEAR_XTERM);
        return 0;
    }

    static int pwd(Invocation inv) {
        inv.println(inv.m.vfs.cwd());
        return 0;
    }


}
