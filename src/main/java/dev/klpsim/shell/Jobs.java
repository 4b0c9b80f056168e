package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.kernel.Vfs;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Programs started from the shell, and bash's job table for the ones in the background. */
public final class Jobs {
    private final Shell shell;
    private final Map<Integer, Task> jobs = new TreeMap<>();
    /** What each job runs, as `jobs` shows it. */
    private final Map<Task, String> commandText = new java.util.HashMap<>();
    /** Background kmod commands not yet run: they run when the shell reads its next line. */
    private final java.util.List<Pending> pending = new java.util.ArrayList<>();

    private record Pending(Task task, java.util.List<String> words) {}

    /** The commands whose `&` makes a job of their own here: the ones that can block in the kernel. */
    static boolean runsAsJob(String name) {
        return name.equals("insmod") || name.equals("modprobe");
    }

    /**
     * CMD &: bash forks, prints the job line and reads its next line at once; the job runs
     * after that (on one CPU the shell goes first). klpsim runs the job when the shell
     * executes its next command line, before that line's own commands: its kernel lines
     * are logged there, as the oracle's 6.12 run logged them (decisions.md #51).
     */
    int background(Invocation inv) {
        Task t = inv.m.spawnUser(inv.name(), TaskState.RUNNING, inv.m.boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64"));
        int job = addJob(t, String.join(" ", inv.args) + " &");
        pending.add(new Pending(t, java.util.List.copyOf(inv.args)));
        inv.println("[" + job + "] " + t.pid);
        return 0;
    }

    /** Runs the background commands started since the last line, each as its own process. */
    void runPending(Fds fds) {
        while (!pending.isEmpty()) {
            Pending p = pending.remove(0);
            Machine m = shell.machine();
            Task prev = m.current;
            m.current = p.task();
            try {
                shell.dispatch(new Invocation(shell, p.words(), fds.in, fds.out, fds.err, fds), false);
            } finally {
                m.current = prev;
            }
            // a load still waiting in the kernel keeps its process; one that returned exits
            if (p.task().state == TaskState.RUNNING) {
                terminated(p.task());
                m.exitTask(p.task());
            }
        }
    }

    /**
     * insmod/modprobe whose module init went to sleep for good: the process stays in
     * finit_module(), in D state. As a job it just stays. In the foreground a real shell
     * would wait for ever and Ctrl-C would not end it (the signal waits for the uninterruptible
     * sleep to end); klpsim says so, keeps the process as a job and gives the prompt back
     * (decisions.md #51).
     */
    int blockedInKernel(Invocation inv, String module) {
        Task t = inv.m.modules.blockedProcess();
        if (t == null) return 1;
        if (jobs.containsValue(t)) return 0;
        if (t.state == TaskState.INTERRUPTIBLE) {
            // another load of a module still loading: a real shell waits until Ctrl-C, which ends it
            inv.errln("klpsim: " + inv.name() + " (pid " + t.pid + ") waits for " + module + ", which is still loading"
                    + " (add_unformed_module(), interruptibly): a real shell waits until Ctrl-C; klpsim ends it as Ctrl-C does");
            inv.m.exitTask(t);
            return 130;
        }
        int job = addJob(t, String.join(" ", inv.args));
        inv.errln("klpsim: " + inv.name() + " (pid " + t.pid + ") sleeps uninterruptibly in " + module
                + "'s init (wait_for_completion): a real shell waits for it for ever and Ctrl-C cannot end it;"
                + " klpsim gives the prompt back and keeps it as job [" + job + "]");
        return 130;
    }

    private int addJob(Task t, String text) {
        int job = 1;
        while (jobs.containsKey(job)) job++;
        jobs.put(job, t);
        commandText.put(t, text);
        lastBackground = t.pid;
        return job;
    }

    Jobs(Shell shell) {
        this.shell = shell;
    }

    int runProgram(Invocation inv, boolean background) {
        Machine m = inv.m;
        String path = inv.name();
        Vfs.Node n = m.vfs.find(path);
        if (n == null) {
            inv.errln("bash: " + path + ": No such file or directory");
            return 127;
        }
        if (n.isDir()) {
            inv.errln("bash: " + path + ": Is a directory");
            return 126;
        }
        Vfs.File f = (Vfs.File) n;
        if (f.program == null || (f.perm & 0111) == 0) {
            inv.errln("bash: " + path + ": Permission denied");
            return 126;
        }
        if (!background) {
            inv.errln("klpsim: " + path + " runs until it is killed; start it in the background: " + path + " &");
            return 1;
        }
        Task t = m.spawnGetpidLoop(f.program);
        int job = addJob(t, "./" + t.comm + " &");
        inv.println("[" + job + "] " + t.pid);
        return 0;
    }

    private int lastBackground = -1;

    /** $!: the pid of the last program started in the background, or -1. */
    int lastBackgroundPid() {
        return lastBackground;
    }

    int pidOfJob(int job) {
        Task t = jobs.get(job);
        return t == null ? -1 : t.pid;
    }

    /** The machine went away (a reboot): no job is left. */
    void clear() {
        jobs.clear();
        commandText.clear();
        pending.clear();
    }

    void terminated(Task t) {
        jobs.values().removeIf(x -> x == t);
        commandText.remove(t);
    }

    int list(Invocation inv) {
        jobs.values().removeIf(t -> t.state == TaskState.DEAD);
        // bash marks the current job (the newest) '+' and the one before it '-'
        List<Integer> nums = new java.util.ArrayList<>(jobs.keySet());
        for (int i = 0; i < nums.size(); i++) {
            char mark = i == nums.size() - 1 ? '+' : i == nums.size() - 2 ? '-' : ' ';
            inv.println("[" + nums.get(i) + "]" + mark + "  Running                 " + commandText.get(jobs.get(nums.get(i))));
        }
        return 0;
    }
}
