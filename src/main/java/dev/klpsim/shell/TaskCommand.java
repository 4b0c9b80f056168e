package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** task spawn|wake|kill: build the stalls a user wants to study. */
@Command(name = "task", description = "spawn a task sleeping in given functions, wake or kill it", footer = "Example: task spawn sleeper --stack cmdline_proc_show")
final class TaskCommand extends ShellCmd {
    @Command(name = "spawn", description = "a task (or kernel thread) that sleeps in the given functions, or a CPU-bound kthread", footer = "Example: task spawn sleeper --stack cmdline_proc_show")
    int spawn(@Parameters(paramLabel = "NAME", description = "its comm, at most 15 characters") String name,
              @Option(names = "--kthread", description = "a kernel thread") boolean kthread,
              @Option(names = "--running", description = "CPU-bound (with --kthread): it calls cond_resched()") boolean running,
              @Option(names = "--stack", split = ",", paramLabel = "FUNC", completionCandidates = Candidates.Functions.class,
                      description = "the functions on its stack, outermost first") List<String> funcs,
              @Option(names = "--sleep", paramLabel = "S", description = "wake up after S seconds of virtual time") String sleep,
              @Option(names = "--forever", description = "sleep until woken or killed (the default)") boolean forever,
              @Option(names = "--uninterruptible", description = "TASK_UNINTERRUPTIBLE: fake signals do not wake it") boolean uninterruptible) {
        Machine m = inv.m;
        boolean interruptible = !uninterruptible;
        long sleepNs = 0;
        if (sleep != null && !forever) {
            Long ns = SystemCommands.parseDuration(sleep);
            if (ns == null || ns == 0) {
                inv.errln("task: invalid time interval '" + sleep + "'");
                return 2;
            }
            sleepNs = ns;
        }
        List<Symbol> stack = new ArrayList<>();
        for (String fn : funcs == null ? List.<String>of() : funcs) {
            if (fn.isEmpty()) continue;
            Symbol sym = m.kallsyms.lookupAny(fn);
            if (sym == null) {
                inv.errln("task: no function '" + fn + "' in kallsyms");
                return 1;
            }
            stack.add(sym);
        }
        if (name.length() > 15) throw usageError("NAME is at most 15 characters (TASK_COMM_LEN)");
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

    @Command(name = "wake", description = "wake a sleeper made by task spawn", footer = "Example: task wake 42")
    int wake(@Parameters(paramLabel = "PID", completionCandidates = Candidates.SpawnedPids.class) String pid) {
        return endTask(inv, "wake", pid);
    }

    @Command(name = "kill", description = "end a sleeper made by task spawn, or a program started from the shell", footer = "Example: task kill 42")
    int kill(@Parameters(paramLabel = "PID", completionCandidates = Candidates.SpawnedPids.class) String pid) {
        return endTask(inv, "kill", pid);
    }

    private static int endTask(Invocation inv, String verb, String arg) {
        int pid;
        try {
            pid = Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            inv.errln("task: invalid pid '" + arg + "'");
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
