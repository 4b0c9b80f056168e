package dev.klpsim.shell;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.TaskState;
import dev.klpsim.kernel.Vfs;
import dev.klpsim.livepatch.KlpCallbacks;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpOps;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.Transition;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** klp: look at patches, transitions and func stacks, and drive them, in the kernel's terms. */
@Command(name = "klp", description = "inspect and drive livepatches and their transitions", footer = "Example: klp blocking")
final class KlpCommand extends ShellCmd {
    @Command(name = "list", description = "patches: enabled, transition, replace, forced, stack order, objects", footer = "Example: klp list")
    int list() {
        return list(inv);
    }

    @Command(name = "show", description = "objects, functions (sympos, nops), callbacks, states", footer = "Example: klp show test_klp_livepatch")
    int show(@Parameters(paramLabel = "PATCH", completionCandidates = Candidates.Patches.class) String patch) {
        return show(inv, patch);
    }

    @Command(name = "enable", description = "reverse an unpatching transition, or load a livepatch module", footer = "Example: klp enable test_klp_callbacks_demo pre_patch_ret=-19")
    int enable(@Parameters(index = "0", paramLabel = "PATCH|MODULE", completionCandidates = Candidates.PatchesAndModules.class) String name,
               @Parameters(index = "1..*", paramLabel = "param=value", completionCandidates = Candidates.ModuleParams.class) List<String> params) {
        return enable(inv, name, params == null ? List.of() : params);
    }

    @Command(name = "disable", description = "start the unpatching transition (echo 0 > enabled)", footer = "Example: klp disable test_klp_livepatch")
    int disable(@Parameters(paramLabel = "PATCH", completionCandidates = Candidates.Patches.class) String patch) {
        return write(inv, patch, "enabled", "0", "disable");
    }

    @Command(name = "force", description = "force the transition in flight (echo 1 > force)", footer = "Example: klp force")
    int force() {
        return forceOrRevert(inv, true);
    }

    @Command(name = "revert", description = "reverse the transition in flight", footer = "Example: klp revert")
    int revert() {
        return forceOrRevert(inv, false);
    }

    @Command(name = "wait", description = "let virtual time pass until no transition is in flight", footer = "Example: klp wait --timeout 30")
    int waitCmd(@Option(names = "--timeout", paramLabel = "SECONDS", description = "give up after this much virtual time (default 60)") String timeout) {
        return KlpWait.waitCmd(inv, timeout);
    }

    @Command(name = "blocking", description = "the tasks that keep the transition from completing, and why the last attempt left each", footer = "Example: klp blocking -v")
    int blocking(@Option(names = {"-v", "--verbose"}, description = "show each blocking task's stack, innermost first") boolean verbose) {
        return KlpWait.blocking(inv, verbose);
    }

    @Command(name = "stack", description = "the func stack of each patched function and who runs what", footer = "Example: klp stack cmdline_proc_show")
    int stack(@Parameters(arity = "0..1", paramLabel = "FUNC", completionCandidates = Candidates.PatchedFunctions.class) String func) {
        return stack(inv, func);
    }

    @Command(name = "preview", description = "what loading a (cumulative) patch would do; changes nothing", footer = "Example: klp preview test_klp_atomic_replace replace=1")
    int preview(@Option(names = "--funcs", paramLabel = "F[,G...]", description = "preview a patch of no-op replacements of just these functions (NAME or MODULE:NAME)") String funcs,
                @Option(names = "--disable", paramLabel = "PATCH", completionCandidates = Candidates.Patches.class, description = "preview echo 0 > enabled of this patch instead of a load") String disable,
                @Parameters(index = "0", arity = "0..1", paramLabel = "MODULE", completionCandidates = Candidates.ModulesOrJshFiles.class) String module,
                @Parameters(index = "1..*", paramLabel = "param=value", completionCandidates = Candidates.ModuleParams.class) List<String> params) {
        if (disable != null) {
            if (module != null || funcs != null) throw usageError("give a MODULE, --funcs or --disable, not two");
            return KlpPreview.previewDisable(inv, disable);
        }
        if (funcs != null) {
            if (module != null) throw usageError("give a MODULE or --funcs, not both");
            return PreviewFuncs.preview(inv, List.of("--funcs", funcs));
        }
        if (module == null) throw usageError("Missing required parameter: 'MODULE' (or --funcs F[,G...])");
        return KlpPreview.preview(inv, words(module, params), false);
    }

    @Command(name = "downgrade", description = "preview, then load an older cumulative patch over the current one", footer = "Example: klp downgrade docs/examples/explore-downgrade-v1.jsh")
    int downgrade(@Parameters(index = "0", paramLabel = "MODULE", completionCandidates = Candidates.ModulesOrJshFiles.class) String module,
                  @Parameters(index = "1..*", paramLabel = "param=value", completionCandidates = Candidates.ModuleParams.class) List<String> params) {
        return KlpPreview.preview(inv, words(module, params), true);
    }

    @Command(name = "explore", description = "try every order of actions on modules from here; changes nothing", footer = "Example: klp explore --depth 4 test_klp_livepatch test_klp_atomic_replace")
    int explore(@picocli.CommandLine.Mixin dev.klpsim.explore.ExploreOptions options,
                @Parameters(arity = "1..*", paramLabel = "MODULE", completionCandidates = Candidates.ModulesOrJshFiles.class) List<String> modules) {
        return KlpExplore.explore(inv, options, modules);
    }

    @Command(name = "timeline", description = "tasks' patch states and the events over time, as a text chart", footer = "Example: klp timeline --width 80")
    int timeline(@Option(names = "--width", paramLabel = "N", defaultValue = "60", description = "columns of the chart, 20..400 (default ${DEFAULT-VALUE})") int width) {
        if (width < 20 || width > 400) throw usageError("timeline width must be 20..400");
        return TraceCommand.timeline(inv, width);
    }

    private static List<String> words(String first, List<String> rest) {
        List<String> a = new ArrayList<>();
        a.add(first);
        if (rest != null) a.addAll(rest);
        return a;
    }

    static KlpPatch patch(Invocation inv, String name) {
        KlpPatch p = inv.m.klp.core.findRegistered(name);
        if (p == null) {
            List<String> names = inv.m.klp.core.registeredPatches().stream().map(KlpPatch::name).toList();
            inv.errln("klp: no patch '" + name + "' in /sys/kernel/livepatch"
                    + (names.isEmpty() ? " (no patches are loaded)" : " (patches: " + String.join(", ", names) + ")"));
        }
        return p;
    }

    static String direction(Machine m) {
        return m.klp.transition.targetState() == Transition.KLP_TRANSITION_PATCHED ? "patching" : "unpatching";
    }

    private static int list(Invocation inv) {
        Machine m = inv.m;
        List<KlpPatch> patches = m.klp.core.registeredPatches();
        if (patches.isEmpty()) {
            inv.println("no livepatches loaded");
            return 0;
        }
        inv.println(String.format("%-28s %-7s %-11s %-7s %-6s %-5s %s", "PATCH", "ENABLED", "TRANSITION", "REPLACE", "FORCED", "ORDER", "OBJECTS"));
        for (KlpPatch p : patches) {
            String tr = p == m.klp.transition.transitionPatch() ? direction(m) : "-";
            long loaded = p.objList().stream().filter(o -> !o.dynamic && o.isLoaded()).count();
            long total = p.objList().stream().filter(o -> !o.dynamic).count();
            inv.println(String.format("%-28s %-7d %-11s %-7d %-6d %-5d %d/%d loaded", p.name(), p.enabled ? 1 : 0, tr,
                    p.replace ? 1 : 0, p.forced ? 1 : 0, m.klp.core.stackOrder(p), loaded, total));
        }
        return 0;
    }

    private static int show(Invocation inv, String name) {
        KlpPatch p = patch(inv, name);
        if (p == null) return 1;
        Machine m = inv.m;
        String state = p == m.klp.transition.transitionPatch() ? "in its " + direction(m) + " transition" : p.enabled ? "enabled" : "disabled";
        inv.println("patch " + p.name() + ": " + state + ", replace=" + (p.replace ? 1 : 0) + ", forced=" + (p.forced ? 1 : 0)
                + ", stack_order=" + m.klp.core.stackOrder(p) + ", module refcnt=" + p.mod.refcnt);
        for (KlpObject o : p.objList()) {
            inv.println("  object " + o.displayName() + (o.dynamic ? " (dynamic, nops only)" : "") + ": "
                    + (o.isLoaded() ? "loaded" : "not loaded") + ", " + (o.patched ? "patched" : "not patched")
                    + "; callbacks: " + callbacks(o.callbacks));
            for (KlpFunc f : o.funcList()) {
                String target = f.nop ? "nop (the original runs)" : f.newFunc == null ? "?" : f.newFunc.toString();
                inv.println("    " + f.kobjName() + " -> " + target + (f.patched ? "  [on func stack]" : "")
                        + (f.transition ? "  [transition]" : ""));
            }
        }
        if (p.states.isEmpty()) inv.println("  states: none");
        for (var st : p.states) inv.println("  state " + st.id + ": version " + st.version + (st.data != null ? ", data set" : ""));
        return 0;
    }

    private static String callbacks(KlpCallbacks c) {
        List<String> l = new ArrayList<>();
        if (c.prePatch != null) l.add("pre_patch");
        if (c.postPatch != null) l.add("post_patch");
        if (c.preUnpatch != null) l.add("pre_unpatch");
        if (c.postUnpatch != null) l.add("post_unpatch");
        return l.isEmpty() ? "none" : String.join(" ", l);
    }

    private static int enable(Invocation inv, String arg, List<String> params) {
        String name = KmodCommands.moduleName(arg);
        if (inv.m.klp.core.findRegistered(name) != null) {
            if (!params.isEmpty()) {
                inv.errln("klp: '" + name + "' is loaded: module parameters are given when a module is loaded");
                return 2;
            }
            return write(inv, name, "enabled", "1", "enable");
        }
        if (inv.m.modules.find(name) != null) {
            inv.errln("klp: '" + name + "' is loaded but its patch is gone (disabled or replaced): a patch cannot be enabled again; rmmod " + name + " and load it again");
            return 1;
        }
        if (inv.m.source(name) == null) {
            inv.errln("klp: no patch or module '" + name + "'");
            return 1;
        }
        // what modprobe NAME PARAMS does (libkmod reads /proc/cmdline first), called directly:
        // no command line is built and parsed again
        inv.m.kmodReadCmdline();
        return KmodCommands.modprobeInsert(inv, name, params);
    }

    static String quote(String w) {
        return ShellSyntax.quote(w);
    }

    private static int write(Invocation inv, String name, String attr, String value, String verb) {
        KlpPatch p = patch(inv, name);
        if (p == null) return 1;
        Vfs.File f = (Vfs.File) inv.m.vfs.resolve("/sys/kernel/livepatch/" + p.name() + "/" + attr);
        int ret = f.write(value + "\n", false);
        if (ret != 0) {
            inv.errln("klp: cannot " + verb + " '" + p.name() + "': " + Errno.strerror(ret) + explain(inv.m, p, verb, ret));
            return 1;
        }
        return 0;
    }

    private static String explain(Machine m, KlpPatch p, String verb, int ret) {
        KlpPatch tp = m.klp.transition.transitionPatch();
        if (ret == Errno.EBUSY.neg() && tp != null) return " ('" + tp.name() + "' is in its " + direction(m) + " transition)";
        if (ret == Errno.EINVAL.neg() && verb.equals("enable")) return " (it is already enabled)";
        if (ret == Errno.EINVAL.neg() && verb.equals("disable")) return " (it is already being disabled)";
        return "";
    }

    private static int forceOrRevert(Invocation inv, boolean force) {
        KlpPatch tp = inv.m.klp.transition.transitionPatch();
        if (tp == null) {
            inv.errln("klp: no transition in progress");
            return 1;
        }
        if (force) {
            List<Task> pending = new ArrayList<>();
            for (Task t : inv.m.tasks()) if (t.patchPending) pending.add(t);
            int st = write(inv, tp.name(), "force", "1", "force");
            if (st == 0) leftBehind(inv, pending);
            return st;
        }
        return write(inv, tp.name(), "enabled", tp.enabled ? "0" : "1", "revert");
    }

    /**
     * What a force leaves behind (klp force's own lines, after the kernel's): the tasks it
     * switched without a stack check, those now running old code, and the modules whose
     * patches it marked forced, which klp_free_patch_finish() never module_put()s.
     */
    private static void leftBehind(Invocation inv, List<Task> forced) {
        Machine m = inv.m;
        if (!forced.isEmpty())
            inv.println("klp force: switched without a stack check: " + String.join(", ", forced.stream().map(t -> t.comm + ":" + t.pid).toList()));
        for (var f : dev.klpsim.livepatch.OldCode.find(m, null))
            inv.println("klp force: " + f.task().comm + ":" + f.task().pid + " still runs " + f.code() + " (" + f.function() + "): " + f.why());
        List<String> pinned = new ArrayList<>();
        for (KlpPatch p : m.klp.core.klpPatches()) if (p.forced) pinned.add(p.mod.name);
        if (!pinned.isEmpty())
            inv.println("klp force: " + String.join(", ", pinned) + (pinned.size() == 1 ? " can" : " can all")
                    + " never be removed now: a forced patch keeps its module reference (klp_free_patch_finish())");
    }

    private static int stack(Invocation inv, String func) {
        List<String> a = func == null ? List.of() : List.of(func);
        Machine m = inv.m;
        List<KlpOps> all = new ArrayList<>(m.klp.patch.allOps());
        all.sort((x, y) -> x.oldFunc.name.compareTo(y.oldFunc.name));
        if (!a.isEmpty()) all.removeIf(o -> !o.oldFunc.name.equals(a.get(0)));
        List<dev.klpsim.livepatch.OldCode.Frame> old = dev.klpsim.livepatch.OldCode.find(m, a.isEmpty() ? null : a.get(0));
        if (all.isEmpty()) {
            inv.println(a.isEmpty() ? "no function is patched" : "'" + a.get(0) + "' is not patched: "
                    + (old.isEmpty() ? "every task runs the original" : "new calls run the original"));
            printOldCode(inv, old, "");
            return a.isEmpty() || !old.isEmpty() ? 0 : 1;
        }
        for (KlpOps o : all) {
            inv.println(o.oldFunc.name + " (" + o.oldFunc.objectName() + "), top first:");
            int i = 1;
            for (KlpFunc f : o.funcStack()) {
                inv.println(String.format("  %d. %-44s patch %s%s", i++, f.nop ? "nop (original)" : f.newFunc.toString(),
                        f.object().patch().name(), f.transition ? "  [transition]" : ""));
            }
            inv.println("  -  " + o.oldFunc.name + " (original)");
            List<Task> tasks = new ArrayList<>(m.tasks());
            tasks.addAll(m.idleTasks());
            java.util.Map<String, Integer> byImpl = new java.util.TreeMap<>();
            java.util.Map<String, String> stateOf = new java.util.TreeMap<>();
            for (Task t : tasks) {
                Symbol impl = m.klp.patch.klpFtraceHandler(o.oldFunc, t);
                String key = impl == o.oldFunc ? o.oldFunc.name + " (original)" : impl.toString();
                byImpl.merge(key, 1, Integer::sum);
                stateOf.merge(key, Integer.toString(t.patchState), (x, y) -> x.contains(y) ? x : x + "," + y);
            }
            for (var e : byImpl.entrySet())
                inv.println("  now: " + e.getValue() + " task" + (e.getValue() == 1 ? "" : "s") + " (patch_state " + stateOf.get(e.getKey()) + ") run " + e.getKey());
            printOldCode(inv, old.stream().filter(f -> f.function().equals(o.oldFunc.name)).toList(), "  ");
        }
        if (a.isEmpty()) {
            // old code of functions no longer patched at all (a forced replace sent them back to the original)
            java.util.Set<String> patched = new java.util.HashSet<>();
            for (KlpOps o : all) patched.add(o.oldFunc.name);
            printOldCode(inv, old.stream().filter(f -> !patched.contains(f.function())).toList(), "");
        }
        return 0;
    }

    /** The tasks still executing code new calls no longer reach (after a force, or in a gone patch's code). */
    private static void printOldCode(Invocation inv, List<dev.klpsim.livepatch.OldCode.Frame> old, String indent) {
        if (old.isEmpty()) return;
        inv.println(indent + "still running old code (the consistency model was broken by a force):");
        for (var f : old)
            inv.println(indent + "  " + f.task().comm + ":" + f.task().pid + " in " + f.code() + " (" + f.function() + "): " + f.why());
    }

    static boolean isSleeping(Task t) {
        return t.state == TaskState.INTERRUPTIBLE || t.state == TaskState.UNINTERRUPTIBLE;
    }
}
