package dev.klpsim.shell;

import dev.klpsim.kernel.Vfs;
import org.jline.reader.Candidate;

import java.util.List;

/** Tab completion for the kernel-style commands, which keep their own parsers. */
final class KernelCompleters {
    private KernelCompleters() {}

    static void modprobe(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        boolean removing = words.contains("-r");
        int nameAt = removing ? 2 : 1;
        if (idx == nameAt || idx == 1 && word.startsWith("-")) {
            strings(removing ? new Candidates.Loaded(sh) : new Candidates.Modules(sh), out);
            if (idx == 1) out.add(new Candidate("-r"));
        } else if (idx > nameAt) params(sh, words.get(nameAt), out);
    }

    /** modinfo MODULE|FILE.jsh...: a module's name or a .jsh file on the host. */
    static void modinfo(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        new Candidates.ModulesOrJshFiles(sh).complete("", word, out);
    }

    static void loaded(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        strings(new Candidates.Loaded(sh), out);
    }

    static void insmod(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        if (idx > 1) params(sh, words.get(1), out);
        else {
            paths(sh, words, idx, word, out);
            // a .jsh module is a host file (HostPaths): offer the host's directories and .jsh files too
            Candidates.hostFiles(sh, "", word, out, f -> dev.klpsim.jsh.JshModuleSource.isSource(f) || dev.klpsim.c.CModuleSource.isSource(f));
        }
    }

    /** An argument that names a host file (source FILE): the host's names, from klpsim's start directory. */
    static void hostPaths(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        Candidates.hostFiles(sh, "", word, out, n -> true);
    }

    static void kill(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        for (String pid : Candidates.pids(sh, false)) out.add(new Candidate(pid, pid, null, sh.machine().task(Integer.parseInt(pid)).comm, null, null, true));
    }

    static void sysctl(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
        for (String k : List.of("kernel.ftrace_enabled", "kernel.tainted", "kernel.printk", "kernel.osrelease")) out.add(new Candidate(k));
        for (String o : List.of("-q", "-n", "--values", "-w", "-a")) out.add(new Candidate(o));
    }

    static void none(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
    }

    private static void params(Shell sh, String module, List<Candidate> out) {
        for (String p : Candidates.params(sh, module)) out.add(new Candidate(p, p, null, null, null, null, false));
    }

    private static void strings(Iterable<String> it, List<Candidate> out) {
        for (String s : it) out.add(new Candidate(s));
    }

    /** Names in the virtual tree: directories end in '/' and take no space after them. */
    static void paths(Shell sh, List<String> words, int idx, String word, List<Candidate> out) {
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
