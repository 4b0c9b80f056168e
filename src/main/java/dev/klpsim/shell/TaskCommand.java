package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;

import java.util.ArrayList;
import java.util.List;

/** task spawn|wake|kill: build the stalls a user wants to study. */
final class TaskCommand {
    private TaskCommand() {}

    static final String USAGE = "task spawn NAME [--kthread [--running]] [--stack FUNC,...] [--sleep S|--forever] [--uninterruptible]\n"
            + "       task wake PID\n       task kill PID";

    static int run(Invocation inv) {
        List<String> a = inv.operands();
        if (a.isEmpty()) {
            inv.errln("usage: " + USAGE);
            return 2;
        }
        return switch (a.get(0)) {
            case "spawn" -> spawn(inv, a.subList(1, a.size()));
            case "wake", "kill" -> endTask(inv, a.get(0), a.subList(1, a.size()));
            default -> {
                inv.errln("task: unknown subcommand '" + a.get(0) + "'");
                inv.errln("usage: " + USAGE);
                yield 2;
            }
        };
    }

    private static int spawn(Invocation inv, List<String> a) {
        Machine m = inv.m;
        String name = null;
        boolean kthread = false, interruptible = true, running = false;
        long sleepNs = 0;
        List<Symbol> stack = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            String s = a.get(i);
            switch (s) {
                case "--kthread" -> kthread = true;
                case "--running" -> running = true;
                case "--uninterruptible" -> interruptible = false;
                case "--forever" -> sleepNs = 0;
                case "--stack", "--sleep" -> {
                    if (i + 1 >= a.size()) {
                        inv.errln("task: option " + s + " needs a value");
                        return 2;
                    }
                    String v = a.get(++i);
                    if (s.equals("--sleep")) {
                        Long ns = SystemCommands.parseDuration(v);
                        if (ns == null || ns == 0) {
                            inv.errln("task: invalid time interval '" + v + "'");
                            return 2;
                        }
                        sleepNs = ns;
                    } else {
                        for (String fn : v.split(",")) {
                            if (fn.isEmpty()) continue;
                            Symbol sym = m.kallsyms.lookupAny(fn);
                            if (sym == null) {
                                inv.errln("task: no function '" + fn + "' in kallsyms");
                                return 1;
                            }
                            stack.add(sym);
                        }
                    }
                }
                default -> {
                    if (s.startsWith("-") || name != null) {
                        inv.errln("task: unexpected argument '" + s + "'");
                        inv.errln("usage: " + USAGE);
                        return 2;
                    }
                    name = s;
                }
            }
        }
        if (name == null || name.length() > 15) {
            inv.errln(name == null ? "task: spawn needs a NAME" : "task: NAME is at most 15 characters (TASK_COMM_LEN)");
            return 2;
        }
        if (running) {
            if (!kthread || sleepNs > 0 || !interruptible) {
                inv.errln("task: --running is for a CPU-bound kernel thread: use it with --kthread, without --sleep or --uninterruptible");
                return 2;
            }
            Task t = m.spawnBusyKthread(name, stack);
            inv.println(t.pid + " [" + name + "] running" + (stack.isEmpty() ? "" : " in " + t.stack().get(t.stack().size() - 2))
                    + ", calling cond_resched()");
            return 0;
        }
        Task t = m.spawnSleeper(name, kthread, stack, interruptible, sleepNs);
        inv.println(t.pid + " " + (kthread ? "[" + name + "]" : name) + " sleeping ("
                + (interruptible ? "interruptible" : "uninterruptible") + ")"
                + (stack.isEmpty() ? "" : " in " + t.stack().get(t.stack().size() - 2)));
        return 0;
    }

    private static int endTask(Invocation inv, String verb, List<String> a) {
        if (a.size() != 1) {
            inv.errln("usage: task " + verb + " PID");
            return 2;
        }
        int pid;
        try {
            pid = Integer.parseInt(a.get(0));
        } catch (NumberFormatException e) {
            inv.errln("task: invalid pid '" + a.get(0) + "'");
            return 2;
        }
        Task t = pid > 0 ? inv.m.task(pid) : null;
        if (t == null) {
            inv.errln("task: no task with pid " + pid);
            return 1;
        }
        if (!t.spawned && (verb.equals("wake") || t.isKthread() || t == inv.m.shell || pid < 1000)) {
            inv.errln("task: " + t.comm + ":" + pid + " is not a sleeper made by 'task spawn'" + (verb.equals("kill") ? " or a program started from the shell" : ""));
            return 1;
        }
        if (verb.equals("wake")) inv.m.wakeSleeper(t);
        else {
            inv.shell.jobs().terminated(t);
            inv.m.exitTask(t);
        }
        return 0;
    }
}
