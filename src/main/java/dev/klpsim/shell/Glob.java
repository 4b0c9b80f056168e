package dev.klpsim.shell;

import dev.klpsim.kernel.Vfs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Pathname expansion over the simulated tree, as bash does it: an unquoted word with *, ?
 * or [...] becomes the sorted matching paths; with no match it stays as written. Names
 * starting with a dot match only a pattern that starts with one.
 */
final class Glob {
    private Glob() {}

    static List<String> expand(Vfs vfs, List<String> words, List<Boolean> globs) {
        if (!globs.contains(Boolean.TRUE)) return words;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (i >= globs.size() || !globs.get(i) || !vfs.isVirtual(w)) {
                out.add(w);
                continue;
            }
            List<String> matches = match(vfs, w);
            if (matches.isEmpty()) out.add(w);
            else out.addAll(matches);
        }
        return out;
    }

    private static List<String> match(Vfs vfs, String pattern) {
        boolean absolute = pattern.startsWith("/");
        String[] parts = pattern.split("/+");
        List<String> found = new ArrayList<>();
        found.add(absolute ? "/" : "");
        for (String part : parts) {
            if (part.isEmpty()) continue;
            List<String> next = new ArrayList<>();
            boolean wild = part.contains("*") || part.contains("?") || part.contains("[");
            for (String base : found) {
                if (!wild) {
                    String p = join(base, part);
                    if (vfs.find(p.isEmpty() ? "." : p) != null) next.add(p);
                    continue;
                }
                Vfs.Node n = vfs.find(base.isEmpty() ? "." : base);
                if (!(n instanceof Vfs.Dir d)) continue;
                Pattern re = toRegex(part);
                for (String name : d.children().keySet()) {
                    if (name.startsWith(".") && !part.startsWith(".")) continue;
                    if (re.matcher(name).matches()) next.add(join(base, name));
                }
            }
            found = next;
            if (found.isEmpty()) break;
        }
        if (pattern.endsWith("/")) found.replaceAll(p -> p + "/");
        found.sort(null);
        return found;
    }

    private static String join(String base, String name) {
        if (base.isEmpty()) return name;
        return base.endsWith("/") ? base + name : base + "/" + name;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        re.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, end);
                        if (set.startsWith("!")) set = "^" + set.substring(1);
                        re.append('[').append(set.replace("\\", "\\\\")).append(']');
                        i = end;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        try {
            return Pattern.compile(re.toString());
        } catch (java.util.regex.PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(glob));
        }
    }
}
