package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.kernel.Vfs;

import java.util.Map;
import java.util.TreeMap;

/** Programs started from the shell, and bash's job table for the ones in the background. */
public final class Jobs {
    private final Shell shell;
    private final Map<Integer, Task> jobs = new TreeMap<>();

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
        int job = 1;
        while (jobs.containsKey(job)) job++;
        jobs.put(job, t);
        inv.println("[" + job + "] " + t.pid);
        return 0;
    }

    int pidOfJob(int job) {
        Task t = jobs.get(job);
        return t == null ? -1 : t.pid;
    }

    /** The machine went away (a reboot): no job is left. */
    void clear() {
        jobs.clear();
    }

    void terminated(Task t) {
        jobs.values().removeIf(x -> x == t);
    }

    int list(Invocation inv) {
        for (var e : jobs.entrySet())
            inv.println("[" + e.getKey() + "]  Running                 ./" + e.getValue().comm + " &");
        return 0;
    }
}
