package dev.klpsim.shell;

/**
 * The command table: every command the shell knows, registered once. klpsim's own commands
 * are picocli classes (their syntax, usage and completion are in their annotations); the
 * kernel-style tools give their synopsis, summary, example and completer here.
 */
final class Commands {
    private Commands() {}

    static void registerAll(Shell s) {
        String k = "kernel-style";
        s.register("modprobe", k, "modprobe [-r] [-f] MODULE [param=value...]", "load (or with -r remove; -f: remove with O_TRUNC) a module by name",
                "modprobe test_klp_callbacks_demo pre_patch_ret=-19", KmodCommands::modprobe, KernelCompleters::modprobe);
        s.register("insmod", k, "insmod FILE [param=value...]", "load a module file (test_modules/NAME.ko)",
                "insmod test_modules/test_klp_livepatch.ko", KmodCommands::insmod, KernelCompleters::insmod);
        s.register("rmmod", k, "rmmod [-f] MODULE...", "remove a module (-f: even in use, tainting the kernel R)", "rmmod test_klp_livepatch", KmodCommands::rmmod, KernelCompleters::loaded);
        s.register("lsmod", k, "lsmod", "list loaded modules", "lsmod", KmodCommands::lsmod, KernelCompleters::none);
        s.register("modinfo", k, "modinfo MODULE", "show a module's information and parameters",
                "modinfo test_klp_atomic_replace", KmodCommands::modinfo, KernelCompleters::modinfo);
        s.register("echo", k, "echo [-n] [-e] TEXT... [> FILE]", "print text, or write it to a file (sysfs stores)",
                "echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled", FileCommands::echo, KernelCompleters::paths);
        s.register("cat", k, "cat FILE...", "print files", "cat /sys/kernel/livepatch/test_klp_livepatch/transition", FileCommands::cat, KernelCompleters::paths);
        s.register("ls", k, "ls [-l] [-d] [-a] [PATH...]", "list a directory, one name per line", "ls /sys/kernel/livepatch", FileCommands::ls, KernelCompleters::paths);
        s.register("stat", k, "stat [-c|--format FORMAT] PATH...", "file status (%A %a %n %F %s)",
                "stat --format '%A' /sys/kernel/livepatch/test_klp_livepatch/force", FileCommands::stat, KernelCompleters::paths);
        s.register("test", k, "test EXPRESSION", "check files and strings (-e -f -d -r -w -z -n = !=)",
                "test -f /sys/kernel/livepatch/test_klp_livepatch/replace", FileCommands::test, KernelCompleters::paths);
        s.register("[", k, "[ EXPRESSION ]", "same as test", "[ -d /sys/kernel/livepatch/test_klp_livepatch ]", FileCommands::bracket, KernelCompleters::paths);
        s.register("grep", k, "grep [-cwFqvixnE] PATTERN [FILE...]", "print matching lines",
                "grep 'live patched' /proc/cmdline > /dev/kmsg", FileCommands::grep, KernelCompleters::paths);
        s.register("cut", k, "cut -f LIST [-d DELIM] [FILE]", "print selected fields of each line",
                "cut -f 1 /sys/kernel/tracing/enabled_functions", FileCommands::cut, KernelCompleters::paths);
        s.register("wc", k, "wc [-l] [FILE...]", "count lines", "ls /sys/kernel/livepatch | wc -l", FileCommands::wc, KernelCompleters::paths);
        s.register("head", k, "head [-n N] [FILE]", "first lines", "dmesg | head -n 5", FileCommands::head, KernelCompleters::paths);
        s.register("tail", k, "tail [-n N] [FILE]", "last lines", "dmesg | tail -n 5", FileCommands::tail, KernelCompleters::paths);
        s.register("sysctl", k, "sysctl [-q] [-n|--values] [-w] KEY[=VALUE]...", "read or set /proc/sys values",
                "sysctl -q kernel.ftrace_enabled=0", SystemCommands::sysctl, KernelCompleters::sysctl);
        s.register("sleep", k, "sleep SECONDS", "let virtual time pass (retries, signals, wake-ups run)", "sleep 1", SystemCommands::sleep, KernelCompleters::none);
        s.register("ps", k, "ps [-e] [-p PID,...] [-C NAME,...] [-o FIELD[=],...] (fields pid,tty,time,stat,patch,wchan,comm,cmd)", "list every task with its state, patch state and the function it sleeps in", "ps -o pid,tty,time,cmd", SystemCommands::ps, KernelCompleters::none);
        s.register("kill", k, "kill [-s SIGSPEC | -n SIGNUM | -SIGSPEC] PID|%JOB... | kill -l [SIGSPEC]",
                "send a signal: a terminating one ends a process started from the shell", "kill -s TERM $!", SystemCommands::kill, KernelCompleters::kill);
        s.register("seq", k, "seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST", "print a sequence of integers",
                "for i in $(seq 1 3); do echo $i; done", ShellBuiltins::seq, KernelCompleters::none);
        s.register("tr", k, "tr [-d] SET1 [SET2]", "translate or delete characters", "echo $pids | tr ' ' ','", ShellBuiltins::tr, KernelCompleters::none);
        s.register("getconf", k, "getconf _NPROCESSORS_ONLN", "system configuration values", "getconf _NPROCESSORS_ONLN", SystemCommands::getconf, KernelCompleters::none);
        s.register("dmesg", k, "dmesg [-C] [-c]", "print (or clear) the kernel log", "dmesg", SystemCommands::dmesg, KernelCompleters::none);
        s.register("uname", k, "uname [-r|-a]", "kernel release", "uname -r", SystemCommands::uname, KernelCompleters::none);
        s.register("cd", k, "cd [DIR | -]", "change the working directory (-: back to $OLDPWD)", "cd /sys/kernel/livepatch", SystemCommands::cd, KernelCompleters::paths);
        s.register("clear", k, "clear", "clear the terminal screen (in a pipe: as clear with klpsim's $TERM, unset by default)", "clear",
                SystemCommands::clear, KernelCompleters::none);
        s.register("pwd", k, "pwd", "print the working directory", "pwd", SystemCommands::pwd, KernelCompleters::none);
        s.register("true", k, "true", "succeed", "true", inv -> 0, KernelCompleters::none);
        s.register("false", k, "false", "fail", "false", inv -> 1, KernelCompleters::none);
        s.register("klp", KlpCommand.class);
        s.register("trace", TraceCommand.class);
        s.register("trace", LedgerCommands.ShadowCmd.class);
        s.register("trace", LedgerCommands.StateCmd.class);
        s.register("task", TaskCommand.class);
        s.register("klp", SnapshotCommand.class);
        String script = "script";
        s.register("source", script, "source FILE", "run the commands of a host file in this shell (FILE is a host path)",
                "source ./setup.sh", ShellBuiltins::source, KernelCompleters::hostPaths);
        s.register(".", script, ". FILE", "same as source", ". ./setup.sh", ShellBuiltins::source, KernelCompleters::hostPaths);
        s.register(":", script, ":", "do nothing, successfully", ":", ShellBuiltins::colon, KernelCompleters::none);
        s.register("export", script, "export NAME[=VALUE]...", "set shell variables (all of them are in the environment)",
                "export LP=test_klp_livepatch", ShellBuiltins::export, KernelCompleters::none);
        s.register("set", script, "set [-eux] [+eux] [-o|+o [errexit|nounset|pipefail|xtrace]]",
                "shell options: -e exit on a failing command, -u unset variables are errors, -x trace commands, -o pipefail",
                "set -x", ShellOptions::set, KernelCompleters::none);
        s.register("unset", script, "unset NAME...", "remove shell variables", "unset LP", ShellBuiltins::unset, KernelCompleters::none);
        s.register("break", script, "break [N]", "leave the innermost (or Nth) for/while/until loop", "break", ShellBuiltins::breakOrContinue, KernelCompleters::none);
        s.register("continue", script, "continue [N]", "next iteration of the innermost (or Nth) loop", "continue", ShellBuiltins::breakOrContinue, KernelCompleters::none);
        String session = "session";
        s.register(session, JavaCommand.class);
        s.register(session, Help.class);
        s.register(session, SessionCommands.ExitCmd.class);
        s.register(session, RecordCommand.class);
        s.register(session, SessionCommands.JobsCmd.class);
    }
}
