package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.Vfs;
import dev.klpsim.livepatch.KlpPatch;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Tab completion: command names, subcommands and options, module names, parameters, loaded
 * modules, patches, pids, kallsyms functions, sysctl keys and virtual paths.
 */
final class ShellCompleter implements Completer {
    static final List<String> KLP_SUBCOMMANDS = List.of("list", "show", "enable", "disable", "force", "revert", "wait",
            "blocking", "stack", "preview", "downgrade", "timeline");

    private final Shell sh;

    ShellCompleter(Shell sh) {
        this.sh = sh;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> out) {
        List<String> words = line.words();
        int idx = line.wordIndex();
        String word = line.word().substring(0, line.wordCursor());
        if (idx == 0) {
            for (String c : sh.commandNames()) out.add(new Candidate(c));
            if (word.startsWith(".") || word.startsWith("/")) paths(word, out);
            return;
        }
        Machine m = sh.machine();
        String cmd = words.get(0);
        String prev = words.get(idx - 1);
        switch (cmd) {
            case "modprobe", "modinfo" -> {
                boolean removing = words.contains("-r");
                int nameAt = removing ? 2 : 1;
                if (idx == nameAt || idx == 1 && word.startsWith("-")) {
                    if (removing) loaded(m, out);
                    else for (String s : m.sources().keySet()) out.add(new Candidate(s));
                    if (idx == 1) out.add(new Candidate("-r"));
                } else if (idx > nameAt) params(words.get(nameAt), out);
            }
            case "rmmod" -> loaded(m, out);
            case "insmod" -> {
                if (idx > 1) params(KmodCommands.moduleName(words.get(1)), out);
                else paths(word, out);
            }
            case "kill" -> pids(m, out, false);
            case "sysctl" -> {
                for (String k : List.of("kernel.ftrace_enabled", "kernel.tainted", "kernel.printk", "kernel.osrelease")) out.add(new Candidate(k));
                for (String o : List.of("-q", "-n", "--values", "-w", "-a")) out.add(new Candidate(o));
            }
            case "klp" -> klp(m, words, idx, prev, out);
            case "task" -> task(m, words, idx, prev, word, out);
            case "help" -> {
                for (String c : sh.commandNames()) out.add(new Candidate(c));
            }
            case "trace" -> trace(words, idx, out);
            default -> paths(word, out);
        }
    }

    private void klp(Machine m, List<String> words, int idx, String prev, List<Candidate> out) {
        if (idx == 1) {
            for (String s : KLP_SUBCOMMANDS) out.add(new Candidate(s));
            return;
        }
        switch (words.get(1)) {
            case "show", "disable" -> patches(m, out);
            case "enable" -> {
                patches(m, out);
                if (idx == 2) for (String s : m.sources().keySet()) out.add(new Candidate(s));
            }
            case "preview", "downgrade" -> {
                if (idx == 2) for (String s : m.sources().keySet()) out.add(new Candidate(s));
                else params(words.get(2), out);
            }
            case "stack" -> m.klp.patch.allOps().forEach(o -> out.add(new Candidate(o.oldFunc.name)));
            case "wait" -> {
                if (!prev.equals("--timeout")) out.add(new Candidate("--timeout"));
            }
            default -> { }
        }
    }

    private void task(Machine m, List<String> words, int idx, String prev, String word, List<Candidate> out) {
        if (idx == 1) {
            for (String s : List.of("spawn", "wake", "kill")) out.add(new Candidate(s));
            return;
        }
        if (!words.get(1).equals("spawn")) {
            pids(m, out, true);
            return;
        }
        if (prev.equals("--stack")) {
            // complete the last comma-separated function name
            int comma = word.lastIndexOf(',');
            String head = comma < 0 ? "" : word.substring(0, comma + 1);
            Set<String> names = new LinkedHashSet<>();
            for (Symbol s : m.kallsyms.all()) if (s.traceable) names.add(s.name);
            for (String n : names) out.add(new Candidate(head + n, n, null, null, null, null, false));
            return;
        }
        for (String o : List.of("--kthread", "--running", "--stack", "--sleep", "--forever", "--uninterruptible")) out.add(new Candidate(o));
    }

    private void trace(List<String> words, int idx, List<Candidate> out) {
        if (idx == 1) {
            for (String s : List.of("on", "off", "show", "clear", "export")) out.add(new Candidate(s));
            return;
        }
        for (String c : List.of("transition", "patch", "callbacks", "shadow", "state", "module")) out.add(new Candidate(c));
    }

    private void loaded(Machine m, List<Candidate> out) {
        for (Module mod : m.modules.list()) out.add(new Candidate(mod.name));
    }

    private void patches(Machine m, List<Candidate> out) {
        for (KlpPatch p : m.klp.core.registeredPatches()) out.add(new Candidate(p.name()));
    }

    private void pids(Machine m, List<Candidate> out, boolean spawnedOnly) {
        for (Task t : m.tasks())
            if (spawnedOnly ? t.spawned : (!t.isKthread() && t.pid >= 1000))
                out.add(new Candidate(Integer.toString(t.pid), Integer.toString(t.pid), null, t.comm, null, null, true));
    }

    private void params(String module, List<Candidate> out) {
        var src = sh.machine().source(KmodCommands.moduleName(module));
        if (src == null) return;
        try {
            for (var p : src.instantiate().params)
                out.add(new Candidate(p.name + "=", p.name + "=", null, p.description, null, null, false));
        } catch (RuntimeException ignored) {
            // a module that cannot be built has no parameters to offer
        }
    }

    private void paths(String word, List<Candidate> out) {
        int slash = word.lastIndexOf('/');
        String dir = slash < 0 ? "." : (slash == 0 ? "/" : word.substring(0, slash));
        String prefix = slash < 0 ? "" : word.substring(0, slash + 1);
        Vfs.Node n = sh.machine().vfs.find(dir);
        if (!(n instanceof Vfs.Dir d)) return;
        for (var e : d.children().entrySet()) {
            boolean isDir = e.getValue().isDir();
            String value = prefix + e.getKey() + (isDir ? "/" : "");
            out.add(new Candidate(value, e.getKey() + (isDir ? "/" : ""), null, null, null, null, !isDir));
        }
    }
}
