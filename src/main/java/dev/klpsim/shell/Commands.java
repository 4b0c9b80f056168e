package dev.klpsim.shell;

/** The command table: every command, its group and its help text, in one place. */
final class Commands {
    private Commands() {}

    static void registerAll(Shell s) {
        String k = "kernel-style";
        s.register("modprobe", k, "modprobe [-r] MODULE [param=value...]", "load (or with -r remove) a module by name",
                "modprobe test_klp_callbacks_demo pre_patch_ret=-19", KmodCommands::modprobe);
        s.register("insmod", k, "insmod FILE [param=value...]", "load a module file (test_modules/NAME.ko)",
                "insmod test_modules/test_klp_livepatch.ko", KmodCommands::insmod);
        s.register("rmmod", k, "rmmod MODULE", "remove a module", "rmmod test_klp_livepatch", KmodCommands::rmmod);
        s.register("lsmod", k, "lsmod", "list loaded modules", "lsmod", KmodCommands::lsmod);
        s.register("modinfo", k, "modinfo MODULE", "show a module's information and parameters",
                "modinfo test_klp_atomic_replace", KmodCommands::modinfo);
        s.register("echo", k, "echo [-n] [-e] TEXT... [> FILE]", "print text, or write it to a file (sysfs stores)",
                "echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled", FileCommands::echo);
        s.register("cat", k, "cat FILE...", "print files", "cat /sys/kernel/livepatch/test_klp_livepatch/transition", FileCommands::cat);
        s.register("ls", k, "ls [-l] [-d] [-a] [PATH...]", "list a directory, one name per line", "ls /sys/kernel/livepatch", FileCommands::ls);
        s.register("stat", k, "stat [-c|--format FORMAT] PATH...", "file status (%A %a %n %F %s)",
                "stat --format '%A' /sys/kernel/livepatch/test_klp_livepatch/force", FileCommands::stat);
        s.register("test", k, "test EXPRESSION", "check files and strings (-e -f -d -r -w -z -n = !=)",
                "test -f /sys/kernel/livepatch/test_klp_livepatch/replace", FileCommands::test);
        s.register("[", k, "[ EXPRESSION ]", "same as test", "[ -d /sys/kernel/livepatch/test_klp_livepatch ]", FileCommands::bracket);
        s.register("grep", k, "grep [-cwFqvixnE] PATTERN [FILE...]", "print matching lines",
                "grep 'live patched' /proc/cmdline > /dev/kmsg", FileCommands::grep);
        s.register("wc", k, "wc [-l] [FILE...]", "count lines", "ls /sys/kernel/livepatch | wc -l", FileCommands::wc);
        s.register("head", k, "head [-n N] [FILE]", "first lines", "dmesg | head -n 5", FileCommands::head);
        s.register("tail", k, "tail [-n N] [FILE]", "last lines", "dmesg | tail -n 5", FileCommands::tail);
        s.register("sysctl", k, "sysctl [-q] [-n|--values] [-w] KEY[=VALUE]...", "read or set /proc/sys values",
                "sysctl -q kernel.ftrace_enabled=0", SystemCommands::sysctl);
        s.register("sleep", k, "sleep SECONDS", "let virtual time pass (retries, signals, wake-ups run)", "sleep 1", SystemCommands::sleep);
        s.register("ps", k, "ps [-e] [-o pid,tty,time,stat,patch,wchan,comm,cmd]", "list every task with its state, patch state and the function it sleeps in", "ps -o pid,tty,time,cmd", SystemCommands::ps);
        s.register("kill", k, "kill [-SIG] PID...", "end a process started from the shell", "kill 1000", SystemCommands::kill);
        s.register("getconf", k, "getconf _NPROCESSORS_ONLN", "system configuration values", "getconf _NPROCESSORS_ONLN", SystemCommands::getconf);
        s.register("dmesg", k, "dmesg [-C] [-c]", "print (or clear) the kernel log", "dmesg", SystemCommands::dmesg);
        s.register("uname", k, "uname [-r|-a]", "kernel release", "uname -r", SystemCommands::uname);
        s.register("cd", k, "cd [DIR]", "change the working directory", "cd /sys/kernel/livepatch", SystemCommands::cd);
        s.register("pwd", k, "pwd", "print the working directory", "pwd", SystemCommands::pwd);
        s.register("true", k, "true", "succeed", "true", inv -> 0);
        s.register("false", k, "false", "fail", "false", inv -> 1);
        s.register("klp", "klp", "klp list|show|enable|disable|force|revert|wait|blocking|stack|preview|downgrade ...\n" + KlpCommand.USAGE,
                "inspect and drive livepatches and their transitions", "klp blocking", KlpCommand::run);
        s.register("trace", "trace", "trace [on|off|show|clear|export] ...\n" + TraceCommand.USAGE,
                "trace the replace engine, callbacks, shadow variables, states and modules", "trace on callbacks patch", TraceCommand::run);
        s.register("shadow", "trace", "shadow list", "every live shadow variable: obj, id, size, who allocated it, when, leaks",
                "shadow list", LedgerCommands::shadow);
        s.register("state", "trace", "state list", "the installed system states (id, version, patch) and their history",
                "state list", LedgerCommands::state);
        s.register("task", "task", TaskCommand.USAGE, "spawn a task sleeping in given functions, wake or kill it",
                "task spawn sleeper --stack cmdline_proc_show", TaskCommand::run);
        String session = "session";
        s.register("java", session, "java EXPRESSION-OR-STATEMENT", "evaluate Java against the live machine (bound: machine)",
                "java machine.klp.core.klpPatches()", JavaCommand::run);
        s.register("help", session, "help [COMMAND]", "list commands, or show one command's usage", "help insmod", Help::help);
        s.register("exit", session, "exit [STATUS]", "leave the shell", "exit", SystemCommands::exit);
        s.register("record", session, RecordCommand.USAGE, "save this session as a transcript (klpsim verify checks it)",
                "record /tmp/my-case.klpt", RecordCommand::run);
        s.register("jobs", session, "jobs", "list background programs", "jobs", inv -> inv.shell.jobs().list(inv));
    }
}
