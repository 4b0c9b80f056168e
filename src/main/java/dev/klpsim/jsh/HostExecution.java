package dev.klpsim.jsh;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/**
 * JShell's in-process execution, with snippet classes loaded under klpsim's class loader.
 * Direct, not Local: a snippet runs on the thread of the command that evaluates it (Local
 * starts a thread per snippet and joins it), so Ctrl-C interrupts one thread, the shell's,
 * whether user code runs in a `java` snippet or in a .jsh callback.
 */
final class HostExecution implements ExecutionControlProvider {
    @Override
    public String name() {
        return "klpsim-host";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new DirectExecutionControl(new HostLoaderDelegate(HostExecution.class.getClassLoader()));
    }
}
