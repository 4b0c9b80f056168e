package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * lib/dynamic_debug.c: one call site per pr_debug() (module, file, function, line, format,
 * flags), the query language of /sys/kernel/debug/dynamic_debug/control with its error
 * lines, and the prefix the m/f/s/l/t flags put before a printed line. The sites are those
 * of the code klpsim runs ({@link DebugSites}); the boot state is what the kselftests set
 * up: {@code file kernel/livepatch/* +p} and {@code func klp_try_switch_task -p}.
 */
public final class DynamicDebug {
    static final int PRINT = 1, MODNAME = 1 << 1, FUNCNAME = 1 << 2, LINENO = 1 << 3, TID = 1 << 4, SOURCENAME = 1 << 5;

    /** struct _ddebug. */
    public static final class Site {
        final String module;
        final String filename;
        final String function;
        final int lineno;
        /** The format as the C source has it, before pr_fmt; "\n" is a real newline. */
        final String format;
        int flags;

        Site(String module, String filename, String function, int lineno, String format) {
            this.module = module;
            this.filename = filename;
            this.function = function;
            this.lineno = lineno;
            this.format = format;
        }

        public boolean enabled() {
            return (flags & PRINT) != 0;
        }
    }

    /** struct ddebug_table: the sites of one module (a built-in file group or a loaded module). */
    record Table(String modName, List<Site> sites) {}

    private final Printk printk;
    private final Profile profile;
    private final List<Table> tables = new ArrayList<>();
    /** site() lookups already made: the call path asks once per pr_debug. */
    private final Map<String, Map<String, Site>> byKey = new HashMap<>();

    public DynamicDebug(Printk printk, Profile profile) {
        this.printk = printk;
        this.profile = profile;
        for (Table t : DebugSites.builtin(profile)) addTable(t);
        // the selftests' setup_config(), which the oracle's boot runs too
        execQueries("file kernel/livepatch/* +p", null);
        execQueries("func klp_try_switch_task -p", null);
    }

    private void addTable(Table t) {
        tables.add(t);
    }

    /** The site of {@code function} whose format starts with {@code formatStart}. */
    public Site site(String function, String formatStart) {
        // two lookups of constant strings (their hashes are cached): no key is built per call
        return byKey.computeIfAbsent(function, f -> new HashMap<>()).computeIfAbsent(formatStart, k -> {
            for (Table t : tables)
                for (Site s : t.sites())
                    if (s.function.equals(function) && s.format.startsWith(formatStart)) return s;
            throw new IllegalArgumentException("no pr_debug site " + function + " \"" + formatStart + "\"");
        });
    }

    /**
     * __dynamic_pr_debug(): prints {@code text} (pr_fmt already applied) at KERN_DEBUG with
     * the prefix the site's flags ask for, if the site is enabled.
     */
    public void prDebug(Site s, Task current, String text) {
        if ((s.flags & PRINT) == 0) return;
        printk.log(Printk.KERN_DEBUG, emitPrefix(s, current) + text);
    }

    /** Whether a site prints: callers skip building the message when it does not. */
    public boolean enabled(String function, String formatStart) {
        return site(function, formatStart).enabled();
    }

    private String emitPrefix(Site s, Task current) {
        StringBuilder sb = new StringBuilder();
        if ((s.flags & TID) != 0) sb.append('[').append(current == null ? 0 : current.pid).append("] ");
        int afterTid = sb.length();
        if ((s.flags & MODNAME) != 0) sb.append(s.module).append(':');
        if ((s.flags & FUNCNAME) != 0) sb.append(s.function).append(':');
        if ((s.flags & SOURCENAME) != 0) sb.append(s.filename).append(':');
        if ((s.flags & LINENO) != 0) sb.append(s.lineno).append(':');
        if (sb.length() > afterTid) sb.append(' ');
        return sb.toString();
    }

    // ---- the control file ------------------------------------------------------------

    /** ddebug_proc_write(): returns 0 or -EINVAL (the last query's error). */
    public int write(String data) {
        int ret = execQueries(data, null);
        return ret < 0 ? ret : 0;
    }

    /**
     * ddebug_exec_queries(): queries split at ';' and newlines, each run even after one
     * failed; the number of matching sites or the last error.
     */
    public int execQueries(String query, String modname) {
        int errs = 0, exitcode = 0, nfound = 0;
        for (String q : query.split("[;\n]", -1)) {
            q = q.stripLeading();
            if (q.isEmpty() || q.startsWith("#")) continue;
            int rc = execQuery(q, modname);
            if (rc < 0) {
                errs++;
                exitcode = rc;
            } else nfound += rc;
        }
        return exitcode != 0 ? exitcode : nfound;
    }

    private void err(String msg) {
        printk.log(Printk.KERN_ERR, "dyndbg: " + msg);
    }

    private static final int MAXWORDS = 9;

    /** ddebug_exec_query(): tokenize, flags (the last word), then the match-spec pairs. */
    private int execQuery(String q, String modname) {
        List<String> words = tokenize(q);
        if (words == null || words.isEmpty()) {
            err("tokenize failed");
            return Errno.EINVAL.neg();
        }
        int[] mod = parseFlags(words.get(words.size() - 1));
        if (mod == null) {
            err("flags parse failed");
            return Errno.EINVAL.neg();
        }
        Query query = parseQuery(words.subList(0, words.size() - 1), modname);
        if (query == null) {
            err("query parse failed");
            return Errno.EINVAL.neg();
        }
        return change(query, mod[0], mod[1]);
    }

    /** ddebug_tokenize(): words split at spaces, simple quotes, '#' starts a comment. */
    private List<String> tokenize(String buf) {
        List<String> words = new ArrayList<>();
        int i = 0, n = buf.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(buf.charAt(i))) i++;
            if (i >= n || buf.charAt(i) == '#') break;
            int end;
            String word;
            char c = buf.charAt(i);
            if (c == '"' || c == '\'') {
                end = buf.indexOf(c, i + 1);
                if (end < 0) {
                    err("unclosed quote: " + buf.substring(i + 1));
                    return null;
                }
                word = buf.substring(i + 1, end);
            } else {
                end = i;
                while (end < n && !Character.isWhitespace(buf.charAt(end))) end++;
                word = buf.substring(i, end);
            }
            if (words.size() == MAXWORDS) {
                err("too many words, legal max <=" + MAXWORDS);
                return null;
            }
            words.add(word);
            i = end + 1;
        }
        return words;
    }

    /** ddebug_parse_flags(): [-+=] then flag letters; returns {flags, mask} or null. */
    private int[] parseFlags(String str) {
        if (str.isEmpty() || "+-=".indexOf(str.charAt(0)) < 0) {
            err("bad flag-op " + (str.isEmpty() ? "" : str.substring(0, 1)) + ", at start of " + str);
            return null;
        }
        char op = str.charAt(0);
        int flags = 0;
        String letters = profile.dyndbgClasses() ? "pmfslt_" : "pmflt_";
        for (char c : str.substring(1).toCharArray()) {
            int f = switch (letters.indexOf(c) < 0 ? '?' : c) {
                case 'p' -> PRINT;
                case 'm' -> MODNAME;
                case 'f' -> FUNCNAME;
                case 's' -> SOURCENAME;
                case 'l' -> LINENO;
                case 't' -> TID;
                case '_' -> 0;
                default -> -1;
            };
            if (f < 0) {
                err("unknown flag '" + c + "'");
                return null;
            }
            flags |= f;
        }
        return switch (op) {
            case '=' -> new int[] {flags, 0};
            case '+' -> new int[] {flags, ~0};
            default -> new int[] {0, ~flags};
        };
    }

    /** struct ddebug_query. */
    private static final class Query {
        String filename, module, function, format, classString;
        long firstLineno, lastLineno;
    }

    /** ddebug_parse_query(): pairs of keyword and value, each keyword at most once. */
    private Query parseQuery(List<String> words, String modname) {
        if (words.size() % 2 != 0) {
            err("expecting pairs of match-spec <value>");
            return null;
        }
        Query q = new Query();
        for (int i = 0; i < words.size(); i += 2) {
            String keyword = words.get(i);
            String arg = words.get(i + 1);
            switch (keyword) {
                case "func" -> {
                    if (!checkSet(q.function, arg, "func")) return null;
                    q.function = arg;
                }
                case "file" -> {
                    if (!checkSet(q.filename, arg, "file")) return null;
                    int colon = arg.indexOf(':');
                    q.filename = colon < 0 ? arg : arg.substring(0, colon);
                    if (colon >= 0) {
                        String fline = arg.substring(colon + 1);
                        char c = fline.isEmpty() ? '\0' : fline.charAt(0);
                        if (Character.isLetter(c) && c < 128 || c == '*' || c == '?') {
                            if (!checkSet(q.function, fline, "func")) return null;
                            q.function = fline;
                        } else if (!parseLinerange(q, fline)) return null;
                    }
                }
                case "module" -> {
                    if (!checkSet(q.module, arg, "module")) return null;
                    q.module = arg;
                }
                case "format" -> {
                    String f = unescape(arg);
                    if (!checkSet(q.format, f, "format")) return null;
                    q.format = f;
                }
                case "line" -> {
                    if (!parseLinerange(q, arg)) return null;
                }
                default -> {
                    if (keyword.equals("class") && profile.dyndbgClasses()) {
                        if (!checkSet(q.classString, arg, "class")) return null;
                        q.classString = arg;
                    } else {
                        err("unknown keyword \"" + keyword + "\"");
                        return null;
                    }
                }
            }
        }
        if (q.module == null && modname != null) q.module = modname;
        return q;
    }

    private boolean checkSet(String dest, String src, String name) {
        if (dest == null) return true;
        err("match-spec:" + name + " val:" + dest + " overridden by " + src);
        return false;
    }

    /** parse_linerange(): N, N-M, N-, -M. */
    private boolean parseLinerange(Query q, String first) {
        if (q.firstLineno != 0 || q.lastLineno != 0) {
            err("match-spec: line used 2x");
            return false;
        }
        int dash = first.indexOf('-');
        String a = dash < 0 ? first : first.substring(0, dash);
        long[] v = new long[1];
        if (!parseLineno(a, v)) return false;
        q.firstLineno = v[0];
        if (dash >= 0) {
            if (!parseLineno(first.substring(dash + 1), v)) return false;
            q.lastLineno = v[0] == 0 ? 0xffffffffL : v[0];
            if (q.lastLineno < q.firstLineno) {
                err("last-line:" + (int) q.lastLineno + " < 1st-line:" + (int) q.firstLineno);
                return false;
            }
        } else {
            q.lastLineno = q.firstLineno;
        }
        return true;
    }

    private boolean parseLineno(String s, long[] out) {
        if (s.isEmpty()) {
            out[0] = 0;
            return true;
        }
        Long v = s.matches("\\+?[0-9]+\n?") ? Kstrto.kstrtol(s.replaceFirst("^\\+", "").replaceFirst("^0+(?=.)", ""), 0, 0xffffffffL) : null;
        if (v == null) {
            err("bad line-number: " + s);
            return false;
        }
        out[0] = v;
        return true;
    }

    /** string_unescape_inplace(UNESCAPE_SPACE | UNESCAPE_OCTAL | UNESCAPE_SPECIAL). */
    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char d = s.charAt(i + 1);
            String space = "nrtvf";
            int sp = space.indexOf(d);
            if (sp >= 0) {
                sb.append("\n\r\t\u000b\f".charAt(sp));
                i++;
            } else if (d >= '0' && d <= '7') {
                int j = i + 1, v = 0;
                while (j < s.length() && j < i + 4 && s.charAt(j) >= '0' && s.charAt(j) <= '7') v = v * 8 + (s.charAt(j++) - '0');
                sb.append((char) (v & 0xff));
                i = j - 1;
            } else if (d == '\\' || d == '"' || d == 'a' || d == 'e') {
                sb.append(switch (d) {
                    case 'a' -> '\u0007';
                    case 'e' -> '\u001b';
                    default -> d;
                });
                i++;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** ddebug_change(): applies the flags to every matching site; returns how many matched. */
    private int change(Query q, int flags, int mask) {
        int nfound = 0;
        for (Table t : tables) {
            if (q.module != null && !matchWildcard(q.module, t.modName())) continue;
            // no site of klpsim's belongs to a class: a class query matches none
            if (q.classString != null) continue;
            for (Site s : t.sites()) {
                if (q.filename != null && !matchWildcard(q.filename, s.filename)
                        && !matchWildcard(q.filename, kbasename(s.filename))) continue;
                if (q.function != null && !matchWildcard(q.function, s.function)) continue;
                if (q.format != null) {
                    if (q.format.startsWith("^")) {
                        if (!s.format.startsWith(q.format.substring(1))) continue;
                    } else if (!s.format.contains(q.format)) continue;
                }
                if (q.firstLineno != 0 && s.lineno < q.firstLineno) continue;
                if (q.lastLineno != 0 && s.lineno > q.lastLineno) continue;
                nfound++;
                s.flags = (s.flags & mask) | flags;
            }
        }
        return nfound;
    }

    /** lib/parser.c match_wildcard(): '*' any run, '?' one character. */
    static boolean matchWildcard(String pattern, String str) {
        int s = 0, p = 0, star = -1, mark = 0;
        while (s < str.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == str.charAt(s))) {
                s++;
                p++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = s;
            } else if (star >= 0) {
                p = star + 1;
                s = ++mark;
            } else return false;
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }

    private static String kbasename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** ddebug_proc_show(): every site, table by table, in source order as the kernel lists them. */
    public String controlText() {
        StringBuilder sb = new StringBuilder("# filename:lineno [module]function flags format\n");
        for (Table t : tables) {
            for (Site s : t.sites()) {
                sb.append(s.filename).append(':').append(s.lineno).append(" [").append(t.modName()).append(']')
                        .append(s.function).append(" =").append(describeFlags(s.flags)).append(" \"")
                        .append(escape(s.format)).append("\"\n");
            }
        }
        return sb.toString();
    }

    private String describeFlags(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & PRINT) != 0) sb.append('p');
        if ((flags & MODNAME) != 0) sb.append('m');
        if ((flags & FUNCNAME) != 0) sb.append('f');
        if ((flags & SOURCENAME) != 0) sb.append('s');
        if ((flags & LINENO) != 0) sb.append('l');
        if ((flags & TID) != 0) sb.append('t');
        return sb.isEmpty() ? "_" : sb.toString();
    }

    /** seq_escape_str(ESCAPE_SPACE) since 5.12 ({@code \n}); 5.10's seq_escape() wrote octal ({@code \012}). */
    private String escape(String f) {
        StringBuilder sb = new StringBuilder();
        for (char c : f.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append(profile.dyndbgClasses() ? "\\n" : "\\012");
                case '\t' -> sb.append(profile.dyndbgClasses() ? "\\t" : "\\011");
                case '\r' -> sb.append(profile.dyndbgClasses() ? "\\r" : "\\015");
                case '"' -> sb.append(profile.dyndbgClasses() ? "\\\"" : "\\042");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
