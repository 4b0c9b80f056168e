package dev.klpsim.shell;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** jobs and exit: the session's own small commands. */
final class SessionCommands {
    private SessionCommands() {}

    @Command(name = "jobs", description = "list background programs", footer = "Example: jobs")
    static final class JobsCmd extends ShellCmd {
        @Override
        public Integer call() {
            return inv.shell.jobs().list(inv);
        }
    }

    @Command(name = "exit", description = "leave the shell", footer = "Example: exit 1")
    static final class ExitCmd extends ShellCmd {
        @Parameters(arity = "0..1", paramLabel = "STATUS", description = "the exit status (default: the last command's)")
        String status;

        /** bash's wording for a status that is not a number. */
        @Override
        public Integer call() {
            inv.shell.requestExit();
            if (status == null) return inv.shell.status();
            try {
                return Integer.parseInt(status) & 0xff;
            } catch (NumberFormatException e) {
                inv.errln("bash: exit: " + status + ": numeric argument required");
                return 2;
            }
        }
    }
}
