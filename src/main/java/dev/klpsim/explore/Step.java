package dev.klpsim.explore;

import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.Vfs;

import java.util.ArrayList;
import java.util.List;

/**
 * One letter of explore's alphabet, resolved for one state: what it does to a machine and
 * the command line a user types for it (what goes into a counterexample transcript). Each
 * {@code apply} does what the shell does for {@code command}, through the same machine
 * calls, so the transcript replays what was explored.
 */
public record Step(Kind kind, int order, String command, String target, List<String> args, long ns, boolean flag) {
    public enum Kind { LOAD, RMMOD, DISABLE, ENABLE, FORCE, SLEEP, SPAWN, WAKE, KILL, READ }

    /** Does the step on {@code m}; {@code sources} are the modules by name. */
    void apply(Machine m, java.util.Map<String, ModuleSource> sources) {
        switch (kind) {
            case LOAD -> {
                // insmod: kmod reads /proc/cmdline, then finit_module()
                m.kmodReadCmdline();
                try {
                    m.modules.load(sources.get(target).instantiate(), args);
                } catch (KernelError e) {
                    // the module cannot be built: insmod reports it, nothing is loaded
                }
            }
            case RMMOD -> {
                m.kmodReadCmdline();
                if (m.modules.find(target) != null) m.modules.unload(target);
            }
            case DISABLE, ENABLE, FORCE -> write(m, target, kind == Kind.DISABLE ? "0\n" : "1\n");
            case SLEEP -> m.sleep(ns, null);
            case SPAWN -> {
                List<Symbol> stack = new ArrayList<>();
                for (String f : args) stack.add(m.kallsyms.lookupAny(f));
                m.spawnSleeper(target, flag, stack, !command.contains("--uninterruptible"), 0);
            }
            case WAKE, KILL -> {
                Task t = m.task((int) ns);
                if (t == null) return;
                if (kind == Kind.WAKE) m.wakeSleeper(t);
                else m.exitTask(t);
            }
            case READ -> {
                try {
                    ((Vfs.File) m.vfs.resolve(target)).read();
                } catch (KernelError e) {
                    // cat prints the error; the read changed nothing
                }
            }
        }
    }

    private static void write(Machine m, String path, String data) {
        try {
            ((Vfs.File) m.vfs.resolve(path)).write(data, false);
        } catch (KernelError e) {
            // the file went away: echo reports it, nothing changes
        }
    }

    @Override
    public String toString() {
        return command;
    }
}
