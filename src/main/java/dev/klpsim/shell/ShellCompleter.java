package dev.klpsim.shell;

import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Vfs;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;

/** Tab completion: command names, module names, loaded modules, params, virtual paths. */
final class ShellCompleter implements Completer {
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
            return;
        }
        String cmd = words.get(0);
        switch (cmd) {
            case "modprobe", "modinfo" -> {
                if (idx == 1 || words.get(1).equals("-r") && idx == 2) for (String s : sh.machine().sources().keySet()) out.add(new Candidate(s));
                else params(words.get(words.get(1).equals("-r") ? 2 : 1), out);
                return;
            }
            case "rmmod" -> {
                for (Module mod : sh.machine().modules.list()) out.add(new Candidate(mod.name));
                return;
            }
            case "insmod" -> {
                if (idx > 1) {
                    params(KmodCommands.moduleName(words.get(1)), out);
                    return;
                }
            }
            case "kill" -> {
                for (var t : sh.machine().tasks()) if (!t.isKthread() && t.pid >= 1000) out.add(new Candidate(Integer.toString(t.pid)));
                return;
            }
            default -> { }
        }
        paths(word, out);
    }

    private void params(String module, List<Candidate> out) {
        var src = sh.machine().source(module);
        if (src == null) return;
        try {
            for (var p : src.instantiate().params) out.add(new Candidate(p.name + "=", p.name + "=", null, p.description, null, null, false));
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
