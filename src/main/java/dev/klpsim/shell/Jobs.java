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
        Task t = startGetpidLoop(m, f.program);
        int job = 1;
        while (jobs.containsKey(job)) job++;
        jobs.put(job, t);
        inv.println("[" + job + "] " + t.pid);
        return 0;
    }

    /**
     * test_klp-call_getpid: loops on getpid(). It is always running and passes its return
     * to user space all the time; it makes one more call each time the clock moves.
     */
    static Task startGetpidLoop(Machine m, String comm) {
        Task t = m.spawnUser(comm, TaskState.RUNNING, m.boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "syscall_exit_to_user_mode"));
        t.userLoop = true;
        t.program = (mm, task) -> mm.syscall(task, "__x64_sys_getpid");
        return t;
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
