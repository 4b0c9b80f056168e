package dev.klpsim.explore;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleParam;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Task;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The actions explore tries in each state, as a developer would type them: load each given
 * module (with its default parameters and each declared variant), rmmod it, disable and
 * re-enable each patch, force the transition in flight, let time pass to the next event
 * that changes something (a retry, a task waking) or to the next fake signal, spawn, wake
 * or kill the blocking tasks asked for, and read each /proc file whose show function a
 * patch replaces (calling the patched code).
 */
public final class Alphabet {
    /** A module explore loads and unloads: {@code load} is the command without parameters. */
    public record Module(String name, ModuleSource source, boolean livepatch, String load, List<List<String>> variants) {}

    /** A blocking task: {@code task spawn COMM --stack FUNCS [--kthread] [--uninterruptible]}. */
    public record TaskSpec(String comm, List<String> functions, boolean kthread, boolean uninterruptible) {
        String command() {
            return "task spawn " + comm + " --stack " + String.join(",", functions) + (kthread ? " --kthread" : "") + (uninterruptible ? " --uninterruptible" : "");
        }
    }

    /** Probe markers for the two time steps: the explorer finds how long to sleep on a copy. */
    static final long TICK = -1, SIGNAL = -2;

    final List<Module> modules;
    final List<TaskSpec> tasks;
    final Map<String, ModuleSource> sources = new LinkedHashMap<>();
    private final List<String> patchOrder = new ArrayList<>();
    private final java.util.Set<Step.Kind> left = java.util.EnumSet.noneOf(Step.Kind.class);

    public Alphabet(List<Module> modules, List<TaskSpec> tasks, List<String> startPatches) {
        this.modules = List.copyOf(modules);
        this.tasks = List.copyOf(tasks);
        for (Module mod : modules) {
            sources.put(mod.name(), mod.source());
            if (mod.livepatch()) patchOrder.add(mod.name());
        }
        for (String p : new TreeSet<>(startPatches)) if (!patchOrder.contains(p)) patchOrder.add(p);
    }

    /** Leaves these actions out (explore --without). */
    public Alphabet without(java.util.Collection<Step.Kind> kinds) {
        left.addAll(kinds);
        return this;
    }

    /** The module as the alphabet knows it: its default load and one load per declared parameter variant. */
    public static Module module(ModuleSource src, String loadCommand) {
        ModuleSpec spec = src.instantiate();
        List<List<String>> variants = new ArrayList<>();
        variants.add(List.of());
        for (ModuleParam p : spec.params)
            for (String v : p.exploreValues) variants.add(List.of(p.name + "=" + v));
        return new Module(src.name(), spec.origin != null ? spec.origin : src, spec.livepatch, loadCommand, variants);
    }

    /** The steps that may change something in state {@code m}, in the alphabet's fixed order. */
    List<Step> steps(Machine m) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            Module mod = modules.get(i);
            boolean loaded = m.modules.find(mod.name()) != null;
            if (!loaded) {
                for (int v = 0; v < mod.variants().size(); v++) {
                    List<String> args = mod.variants().get(v);
                    String cmd = mod.load() + (args.isEmpty() ? "" : " " + String.join(" ", args));
                    out.add(new Step(Step.Kind.LOAD, 1000 + i * 10 + v, cmd, mod.name(), args, 0, false));
                }
            } else {
                out.add(new Step(Step.Kind.RMMOD, 2000 + i, "rmmod " + mod.name(), mod.name(), List.of(), 0, false));
            }
        }
        KlpPatch tp = m.klp.transition.transitionPatch();
        for (KlpPatch p : m.klp.core.registeredPatches()) {
            int idx = patchOrder.indexOf(p.name());
            if (idx < 0) idx = patchOrder.size();
            String dir = "/sys/kernel/livepatch/" + p.name() + "/enabled";
            // disabling starts the unpatching transition (or reverses a patching one); enabling reverses an unpatching one
            if (p.enabled) out.add(new Step(Step.Kind.DISABLE, 3000 + idx, "echo 0 > " + dir, dir, List.of(), 0, false));
            else if (p == tp) out.add(new Step(Step.Kind.ENABLE, 3500 + idx, "echo 1 > " + dir, dir, List.of(), 0, false));
        }
        if (tp != null) {
            String f = "/sys/kernel/livepatch/" + tp.name() + "/force";
            out.add(new Step(Step.Kind.FORCE, 4000, "echo 1 > " + f, f, List.of(), 0, false));
        }
        if (m.timers.nextDue() >= 0) out.add(new Step(Step.Kind.SLEEP, 5000, "sleep", null, List.of(), TICK, false));
        if (tp != null) out.add(new Step(Step.Kind.SLEEP, 5001, "sleep", null, List.of(), SIGNAL, false));
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec ts = tasks.get(i);
            Task live = null;
            for (Task t : m.tasks()) if (t.comm.equals(ts.comm()) && t.spawned) live = t;
            if (live == null) {
                boolean exist = ts.functions().stream().allMatch(f -> m.kallsyms.lookupAny(f) != null);
                if (exist) out.add(new Step(Step.Kind.SPAWN, 6000 + i, ts.command(), ts.comm(), ts.functions(), 0, ts.kthread()));
            } else {
                if (live.sleepingInFunction() || !live.isKthread())
                    out.add(new Step(Step.Kind.WAKE, 6100 + i, "task wake " + live.pid, ts.comm(), List.of(), live.pid, false));
                out.add(new Step(Step.Kind.KILL, 6200 + i, "task kill " + live.pid, ts.comm(), List.of(), live.pid, false));
            }
        }
        for (var e : m.fs().procShowFunctions().entrySet())
            if (patched(m, e.getValue()))
                out.add(new Step(Step.Kind.READ, 7000 + (e.getKey().hashCode() & 0xfff), "cat /proc/" + e.getKey(), "/proc/" + e.getKey(), List.of(), 0, false));
        if (!left.isEmpty()) out.removeIf(s -> left.contains(s.kind()));
        return out;
    }

    /** Whether some registered patch replaces {@code function} (reading its file then runs patched code, or may). */
    private static boolean patched(Machine m, String function) {
        for (KlpPatch p : m.klp.core.registeredPatches())
            for (KlpObject o : p.objList())
                for (KlpFunc f : o.funcList()) if (!f.nop && f.oldName.equals(function)) return true;
        return false;
    }
}
