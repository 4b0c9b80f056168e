package dev.klpsim.jsh;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.util.Map;

/** JShell's in-process execution, with snippet classes loaded under klpsim's class loader. */
final class HostExecution implements ExecutionControlProvider {
    @Override
    public String name() {
        return "klpsim-host";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        return new LocalExecutionControl(new HostLoaderDelegate(HostExecution.class.getClassLoader()));
    }
}
