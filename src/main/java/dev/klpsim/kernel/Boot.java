package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.List;

/** What a freshly booted machine has: vmlinux's functions and the boot tasks with their stacks. */
public final class Boot {
    public static final String CMDLINE = "BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 ro console=ttyS0 quiet";

    private final Machine m;

    Boot(Machine m) {
        this.m = m;
    }

    /** Stack frames for vmlinux function names, outermost first. */
    public List<Symbol> frames(String... names) {
        List<Symbol> out = new ArrayList<>(names.length);
        for (String n : names) {
            Symbol s = m.kallsyms.lookup(null, n);
            if (s == null) throw new IllegalStateException("no vmlinux symbol " + n);
            out.add(s);
        }
        return out;
    }

    void symbols() {
        Kallsyms k = m.kallsyms;
        String[] plain = {
            "secondary_startup_64_no_verify", "x86_64_start_kernel", "start_kernel", "rest_init",
            "start_secondary", "cpu_startup_entry", "do_idle", "default_idle_call", "cpuidle_idle_call",
            "ret_from_fork_asm", "ret_from_fork", "kthread", "kthreadd", "worker_thread", "rescuer_thread",
            "process_one_work", "smpboot_thread_fn", "rcu_gp_kthread", "watchdog", "kswapd", "devtmpfs_work_loop",
            "schedule", "schedule_timeout", "schedule_hrtimeout_range_clock", "msleep", "msleep_interruptible",
            "usleep_range_state", "wait_woken", "cond_resched",
            "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "syscall_exit_to_user_mode",
            "__x64_sys_epoll_wait", "do_epoll_wait", "ep_poll",
            "__x64_sys_wait4", "kernel_wait4", "do_wait",
            "__x64_sys_clock_nanosleep", "hrtimer_nanosleep", "do_nanosleep",
            "__x64_sys_read", "ksys_read", "vfs_read", "seq_read", "seq_read_iter", "proc_reg_read_iter",
            "tty_read", "n_tty_read", "__x64_sys_write", "ksys_write", "vfs_write", "kernfs_fop_write_iter",
            "do_select", "core_sys_select", "__x64_sys_pselect6", "__x64_sys_pause",
            "__x64_sys_finit_module", "__do_sys_finit_module", "load_module", "do_init_module", "do_one_initcall",
            "__x64_sys_delete_module", "free_module",
            "klp_enable_patch", "klp_try_complete_transition", "klp_free_patch_work_fn",
            "version_proc_show", "loadavg_proc_show", "uptime_proc_show", "show_stat",
            "type_show", "name_show", "type_show", "dev_attr_show", "type_show", "name_show",
            "vfs_getattr", "do_sys_openat2", "__x64_sys_openat",
        };
        for (String n : plain) k.addVmlinux(n, 0x40 + (n.length() * 16L), true, null);
        k.addVmlinux("cmdline_proc_show", 0x30, true, c -> {
            c.seqPrintf(c.machine.cmdline() + "\n");
            return 0;
        });
        k.addVmlinux("meminfo_proc_show", 0x5a0, true, c -> {
            c.seqPrintf(MEMINFO);
            return 0;
        });
        k.addVmlinux("__x64_sys_getpid", 0x20, true, c -> c.task.pid);
        k.addVmlinux("klp_transition_work_fn", 0x50, true, c -> {
            c.machine.klp.transition.klpTransitionWorkFn();
            return 0;
        });
        // Entry code cannot be traced or patched.
        k.addVmlinux("__schedule", 0x9c0, false, null);
    }

    static final String MEMINFO = """
            MemTotal:        4025424 kB
            MemFree:         3514880 kB
            MemAvailable:    3691212 kB
            Buffers:           10920 kB
            Cached:           263140 kB
            SwapCached:            0 kB
            Active:            78264 kB
            Inactive:         271876 kB
            SwapTotal:             0 kB
            SwapFree:              0 kB
            Dirty:                 8 kB
            Writeback:             0 kB
            AnonPages:         76212 kB
            Mapped:            84012 kB
            Shmem:              1032 kB
            KernelStack:        2464 kB
            PageTables:         1884 kB
            CommitLimit:     2012712 kB
            Committed_AS:     301380 kB
            VmallocTotal:   34359738367 kB
            HugePages_Total:       0
            Hugepagesize:       2048 kB
            """;

    /** The boot tasks, in task-list order. */
    void tasks() {
        for (int cpu = 0; cpu < m.options.cpus; cpu++) {
            Task idle = new Task(0, "swapper/" + cpu, Task.Kind.IDLE, cpu, TaskState.RUNNING);
            idle.setStack(cpu == 0
                    ? frames("secondary_startup_64_no_verify", "x86_64_start_kernel", "start_kernel", "rest_init", "cpu_startup_entry", "do_idle")
                    : frames("secondary_startup_64_no_verify", "start_secondary", "cpu_startup_entry", "do_idle"));
            m.idleTasks.add(idle);
        }
        user(1, "systemd", "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_epoll_wait", "do_epoll_wait", "ep_poll", "schedule_hrtimeout_range_clock", "schedule");
        kthread(2, "kthreadd", "ret_from_fork_asm", "ret_from_fork", "kthreadd", "schedule");
        kthread(3, "rcu_gp", "ret_from_fork_asm", "ret_from_fork", "kthread", "rescuer_thread", "schedule");
        int pid = 4;
        for (int cpu = 0; cpu < m.options.cpus; cpu++) {
            Task k0 = kthread(pid++, "kworker/" + cpu + ":0", "ret_from_fork_asm", "ret_from_fork", "kthread", "worker_thread", "schedule");
            if (cpu == 0) m.workqueue.addBootWorker(k0);
            kthread(pid++, "cpuhp/" + cpu, "ret_from_fork_asm", "ret_from_fork", "kthread", "smpboot_thread_fn", "schedule");
            kthread(pid++, "migration/" + cpu, "ret_from_fork_asm", "ret_from_fork", "kthread", "smpboot_thread_fn", "schedule");
            kthread(pid++, "ksoftirqd/" + cpu, "ret_from_fork_asm", "ret_from_fork", "kthread", "smpboot_thread_fn", "schedule");
            Task k1 = kthread(pid++, "kworker/" + cpu + ":1", "ret_from_fork_asm", "ret_from_fork", "kthread", "worker_thread", "schedule");
            if (cpu == 0) m.workqueue.addBootWorker(k1);
        }
        kthread(pid++, "rcu_preempt", "ret_from_fork_asm", "ret_from_fork", "kthread", "rcu_gp_kthread", "schedule_timeout", "schedule");
        kthread(pid++, "kdevtmpfs", "ret_from_fork_asm", "ret_from_fork", "kthread", "devtmpfs_work_loop", "schedule");
        kthread(pid++, "khungtaskd", "ret_from_fork_asm", "ret_from_fork", "kthread", "watchdog", "schedule_timeout", "schedule");
        kthread(pid++, "kswapd0", "ret_from_fork_asm", "ret_from_fork", "kthread", "kswapd", "schedule");
        m.nextKernelPid = 500;
        user(213, "systemd-journal", "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_epoll_wait", "do_epoll_wait", "ep_poll", "schedule_hrtimeout_range_clock", "schedule");
        user(241, "systemd-udevd", "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_epoll_wait", "do_epoll_wait", "ep_poll", "schedule_hrtimeout_range_clock", "schedule");
        user(388, "sshd", "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_pselect6", "core_sys_select", "do_select", "schedule_hrtimeout_range_clock", "schedule");
        user(395, "agetty", "entry_SYSCALL_64_after_hwframe", "do_syscall_64", "__x64_sys_read", "ksys_read", "vfs_read", "tty_read", "n_tty_read", "wait_woken", "schedule_timeout", "schedule");
        // The login shell is the task that runs the user's commands: it is on the CPU.
        m.shell = user(412, "bash", "entry_SYSCALL_64_after_hwframe", "do_syscall_64");
        m.shell.state = TaskState.RUNNING;
    }

    private Task user(int pid, String comm, String... stack) {
        Task t = new Task(pid, comm, Task.Kind.USER, -1, TaskState.INTERRUPTIBLE);
        t.setStack(frames(stack));
        m.addTask(t);
        return t;
    }

    private Task kthread(int pid, String comm, String... stack) {
        Task t = new Task(pid, comm, Task.Kind.KTHREAD, -1, TaskState.INTERRUPTIBLE);
        t.setStack(frames(stack));
        m.addTask(t);
        return t;
    }
}
