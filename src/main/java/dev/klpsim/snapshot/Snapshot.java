package dev.klpsim.snapshot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host snapshot as scripts/klp-snapshot writes it (docs/snapshot-format.md, version 1):
 * what the file says, line numbers kept, and what could not be understood. Parsing never
 * fails on a line: a line it cannot use becomes a warning naming it, and the rest loads.
 */
public final class Snapshot {
    public static final int VERSION = 2;
    /** The largest old_sympos read: klpsim makes one symbol per position up to it. */
    public static final long MAX_SYMPOS = 10_000;
    /** The largest uptime read, in seconds (about 317 years). */
    static final double MAX_UPTIME = 1e10;

    /** One stack entry of /proc/PID/task/TID/stack: {@code [<0>] name+0xOFF/0xSIZE [module]}. */
    public record Frame(String name, long offset, long size, String module, int line) {
        @Override
        public String toString() {
            return name + (module == null ? "" : " [" + module + "]");
        }
    }

    /** One task (thread): state letter from /proc/.../stat, patch_state (null: unknown), PF_ flags. */
    public record HostTask(int tgid, int tid, char state, Integer patchState, long flags, String comm,
                           List<Frame> stack, String noStack, int line) {
        static final long PF_KTHREAD = 0x00200000L;

        public boolean kthread() {
            return (flags & PF_KTHREAD) != 0;
        }

        /** Whether the stack is known (readable): an empty known stack is still known. */
        public boolean stackKnown() {
            return noStack == null;
        }

        @Override
        public String toString() {
            return comm + ":" + tid;
        }
    }

    public record HostModule(String name, long size, int refcnt, String state, int line) {}

    public record HostFunc(String name, long sympos, int line) {}

    public record HostObject(String name, Boolean patched, List<HostFunc> funcs, int line) {
        public boolean vmlinux() {
            return name.equals("vmlinux");
        }
    }

    public record HostPatch(String name, Map<String, String> attrs, List<HostObject> objects, int line) {
        public boolean enabled() {
            return "1".equals(attrs.get("enabled"));
        }

        public boolean transition() {
            return "1".equals(attrs.get("transition"));
        }

        /** null: the kernel has no replace attribute (before 6.11), so the file cannot say. */
        public Boolean replace() {
            String r = attrs.get("replace");
            return r == null ? null : r.equals("1");
        }

        public Integer stackOrder() {
            try {
                return attrs.containsKey("stack_order") ? Integer.parseInt(attrs.get("stack_order")) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        public HostObject object(String name) {
            for (HostObject o : objects) if (o.name.equals(name)) return o;
            return null;
        }
    }

    /** A line of the kernel log: its time in seconds since boot (-1 unknown) and its text. */
    public record LogLine(double time, String text, int line) {}

    public final String source;
    /** The file it was read from, absolute (a recording writes it relative to the transcript). */
    public java.nio.file.Path path;
    public int version;
    public String release;
    public String kernelVersion;
    public double uptime = -1;
    public int cpus;
    /** Whether a cpus line was there, usable or not (one warning for it, not two). */
    public boolean cpusLine;
    public String cpuList;
    public String cmdline;
    public Integer self;
    public Integer user;
    public String taken;
    public final List<HostTask> tasks = new ArrayList<>();
    public final List<HostModule> modules = new ArrayList<>();
    public final List<HostPatch> patches = new ArrayList<>();
    public final List<LogLine> log = new ArrayList<>();
    /** What the script reported it could not read ({@code error} lines). */
    public final List<String> errors = new ArrayList<>();
    /** What the host said of its ability to load livepatches ({@code host KEY VALUE} lines, format 2). */
    public final Map<String, String> host = new java.util.LinkedHashMap<>();

    /**
     * Why this host cannot load a livepatch module (klpsim's modules are unsigned), or an
     * empty list when it can, or when the snapshot does not say (format 1). With the errno
     * the kernel returns and the line it logs, first reason first.
     */
    public List<HostRefusal> livepatchRefusals() {
        List<HostRefusal> out = new ArrayList<>();
        if ("0".equals(host.get("modules")))
            out.add(new HostRefusal("no module support (no /proc/modules: CONFIG_MODULES is off)", -38, 0, null));
        if ("1".equals(host.get("modules_disabled")))
            out.add(new HostRefusal("module loading is switched off (kernel.modules_disabled=1)", -1, 0, null));
        String lockdown = host.get("lockdown");
        if (lockdown != null && (lockdown.equals("integrity") || lockdown.equals("confidentiality")))
            out.add(new HostRefusal("the kernel is locked down (" + lockdown + "): only modules signed with a trusted key load", -1, 5,
                    "Lockdown: modprobe: unsigned module loading is restricted; see man kernel_lockdown.7"));
        if ("Y".equals(host.get("sig_enforce")))
            out.add(new HostRefusal("module.sig_enforce=Y: only modules signed with a trusted key load", -129, 5, "Loading of unsigned module is rejected"));
        if ("0".equals(host.get("livepatch")))
            out.add(new HostRefusal("no CONFIG_LIVEPATCH (no /sys/kernel/livepatch)", -2, 4, "%s: Unknown symbol klp_enable_patch (err -2)"));
        return out;
    }

    /**
     * Why a livepatch cannot load: {@code errno} the negative value finit_module() returns,
     * {@code kernelLine} what the kernel logs at {@code level} (%s: the module), or null:
     * kernel/module/main.c's "Unknown symbol" pr_warn, security/lockdown's and
     * kernel/module/signing.c's pr_notice.
     */
    public record HostRefusal(String why, int errno, int level, String kernelLine) {}

    /** Lines this parser could not use, each naming its line. */
    public final List<String> warnings = new ArrayList<>();
    /** Whether the closing {@code end} line was there (a truncated file has none). */
    public boolean complete;
    public Integer endTasks;

    private Snapshot(String source) {
        this.source = source;
    }

    /** Thrown when the text is not a snapshot at all (nothing of it can be loaded). */
    public static final class NotASnapshot extends Exception {
        public NotASnapshot(String msg) {
            super(msg, null, false, false);
        }
    }

    private static final Pattern TASK = Pattern.compile("task (\\d+) (\\d+) (\\S) (-|-?\\d+) (\\d+) (.*)");
    /** {@code [<0>] name+0x1c/0x60 [module]}; the address may be hidden (0) or real. */
    private static final Pattern FRAME = Pattern.compile("\\[<([0-9a-fx]+)>\\] ([^\\s+]+)\\+0x([0-9a-f]+)/0x([0-9a-f]+)(?: \\[([^\\]\\s]+)\\])?\\s*");
    private static final Pattern RAW_FRAME = Pattern.compile("\\[<([0-9a-fx]+)>\\] (0x[0-9a-f]+|[0-9a-f]{8,})\\s*");
    private static final Pattern MODULE = Pattern.compile("(\\S+) (\\d+) (\\d+|-) (\\S+) (\\S+)(?: .*)?");
    private static final Pattern KLOG = Pattern.compile("\\[\\s*(\\d+)\\.(\\d+)\\] (.*)");

    public static Snapshot parse(String source, List<String> lines) throws NotASnapshot {
        Snapshot s = new Snapshot(source);
        if (lines.isEmpty()) throw new NotASnapshot(source + ": empty file: not a snapshot (scripts/klp-snapshot writes one)");
        String first = lines.get(0).strip();
        if (!first.startsWith("klp-snapshot ")) throw new NotASnapshot(source + ": line 1: not a klp-snapshot file (it starts with '"
                + abbreviate(first) + "'; scripts/klp-snapshot writes one)");
        try {
            s.version = Integer.parseInt(first.substring("klp-snapshot ".length()).strip());
        } catch (NumberFormatException e) {
            throw new NotASnapshot(source + ": line 1: unreadable format version '" + abbreviate(first) + "'");
        }
        if (s.version > VERSION)
            s.warnings.add("line 1: format version " + s.version + " is newer than this klpsim reads (" + VERSION + "): reading what it knows");
        new Parser(s).run(lines);
        return s;
    }

    static String abbreviate(String l) {
        return l.length() > 60 ? l.substring(0, 57) + "..." : l;
    }

    /** The line-by-line reader; state: the task and patch the next lines belong to. */
    private static final class Parser {
        private final Snapshot s;
        private HostTask task;
        private List<Frame> frames;
        private final Map<String, HostPatch> patches = new LinkedHashMap<>();
        private int unknownStackLines;
        /** tid -> the line it first appeared on: one lookup per task line (a scan of all tasks was quadratic). */
        private final Map<Integer, Integer> seenTids = new java.util.HashMap<>();

        Parser(Snapshot s) {
            this.s = s;
        }

        void warn(int line, String msg) {
            if (s.warnings.size() < 200) s.warnings.add("line " + line + ": " + msg);
            else if (s.warnings.size() == 200) s.warnings.add("(more warnings left out)");
        }

        void run(List<String> lines) {
            for (int i = 1; i < lines.size(); i++) {
                int n = i + 1;
                String l = lines.get(i);
                if (l.isBlank()) continue;
                if (s.complete) {
                    warn(n, "text after the 'end' line ignored");
                    break;
                }
                int sp = l.indexOf(' ');
                String key = sp < 0 ? l : l.substring(0, sp);
                String rest = sp < 0 ? "" : l.substring(sp + 1);
                try {
                    line(n, key, rest, l);
                } catch (RuntimeException e) {
                    warn(n, "unreadable " + key + " line ignored: '" + abbreviate(l) + "'");
                }
            }
            flushTask();
            s.patches.addAll(patches.values());
            if (!s.complete) s.warnings.add("the file ends without its 'end' line (after line " + lines.size()
                    + "): it is truncated; what it has is loaded, what came after is missing");
            else if (s.endTasks != null && s.endTasks != s.tasks.size())
                s.warnings.add("the 'end' line counts " + s.endTasks + " tasks but the file has " + s.tasks.size() + ": task lines were removed or added");
        }

        private void line(int n, String key, String rest, String l) {
            switch (key) {
                case "note", "#" -> { }
                case "taken" -> s.taken = rest;
                case "release" -> s.release = rest.strip();
                case "version" -> s.kernelVersion = rest;
                case "uptime" -> {
                    double u = Double.parseDouble(rest.strip());
                    // /proc/uptime: seconds since boot, finite and well under a few centuries
                    if (!(u >= 0 && u <= MAX_UPTIME)) {
                        warn(n, "uptime '" + abbreviate(rest.strip()) + "' is not a number of seconds from 0 to " + (long) MAX_UPTIME + ": ignored (unknown)");
                        return;
                    }
                    s.uptime = u;
                }
                case "cpus" -> {
                    s.cpusLine = true;
                    String[] w = rest.strip().split(" ");
                    long c;
                    try {
                        c = Long.parseLong(w[0]);
                    } catch (NumberFormatException e) {
                        warn(n, "CPU count '" + abbreviate(w[0]) + "' is not a number: 1 CPU assumed");
                        return;
                    }
                    if (c < 1 || c > 4096) {
                        warn(n, "CPU count " + c + " out of range (1 to 4096): 1 CPU assumed");
                        return;
                    }
                    s.cpus = (int) c;
                    s.cpuList = w.length > 1 ? w[1] : null;
                }
                case "cmdline" -> s.cmdline = rest;
                case "self" -> s.self = Integer.parseInt(rest.strip());
                case "user" -> s.user = Integer.parseInt(rest.strip());
                case "elapsed-ms" -> { }
                case "task" -> task(n, l);
                case "stack" -> frame(n, rest);
                case "nostack" -> {
                    if (task == null) warn(n, "nostack line before any task line: ignored");
                    else task = new HostTask(task.tgid(), task.tid(), task.state(), task.patchState(), task.flags(), task.comm(),
                            List.of(), rest.isBlank() ? "unreadable" : rest.strip(), task.line());
                }
                case "module" -> module(n, rest);
                case "livepatch" -> livepatch(n, rest);
                case "object" -> object(n, rest);
                case "func" -> func(n, rest);
                case "klog" -> {
                    Matcher m = KLOG.matcher(rest);
                    if (m.matches()) s.log.add(new LogLine(Double.parseDouble(m.group(1) + "." + m.group(2)), m.group(3), n));
                    else s.log.add(new LogLine(-1, rest, n));
                }
                case "error" -> s.errors.add(rest);
                case "host" -> {
                    String[] w = rest.strip().split("\\s+", 2);
                    if (w.length == 2) s.host.put(w[0], w[1]);
                    else warn(n, "host line without KEY VALUE: ignored");
                }
                case "end" -> {
                    flushTask();
                    s.complete = true;
                    String[] w = rest.strip().split(" ");
                    try {
                        s.endTasks = Integer.parseInt(w[0]);
                    } catch (NumberFormatException e) {
                        warn(n, "unreadable task count in the 'end' line");
                    }
                }
                default -> warn(n, "unknown line '" + abbreviate(l) + "': ignored");
            }
        }

        private void flushTask() {
            if (task == null) return;
            // no stack line at all: format 1 wrote an empty read of /proc/.../stack (a kernel that
            // hides stacks) so; the kernel's own check would see frames or refuse the task, so it is
            // unreadable, not empty. A zombie (Z, X) has no stack: the kernel sees it empty too.
            String none = task.stackKnown() && frames.isEmpty() && task.state() != 'Z' && task.state() != 'X' ? "empty" : task.noStack();
            s.tasks.add(none == null ? new HostTask(task.tgid(), task.tid(), task.state(), task.patchState(), task.flags(),
                    task.comm(), List.copyOf(frames), null, task.line())
                    : new HostTask(task.tgid(), task.tid(), task.state(), task.patchState(), task.flags(), task.comm(), List.of(), none, task.line()));
            task = null;
            frames = null;
        }

        private void task(int n, String l) {
            flushTask();
            Matcher m = TASK.matcher(l);
            if (!m.matches()) {
                warn(n, "unreadable task line (want: task TGID TID STATE PATCH_STATE FLAGS COMM): '" + abbreviate(l) + "': the task and its stack are left out");
                return;
            }
            int tid = Integer.parseInt(m.group(2));
            Integer first = seenTids.putIfAbsent(tid, n);
            if (first != null) {
                warn(n, "task " + tid + " appears again (first at line " + first + "): this one is left out");
                return;
            }
            Integer ps = m.group(4).equals("-") ? null : Integer.parseInt(m.group(4));
            if (ps != null && (ps < -1 || ps > 1)) {
                warn(n, "patch_state " + ps + " of task " + tid + " is not -1, 0 or 1: taken as unknown");
                ps = null;
            }
            task = new HostTask(Integer.parseInt(m.group(1)), tid, m.group(3).charAt(0), ps, Long.parseLong(m.group(5)),
                    m.group(6), List.of(), null, n);
            frames = new ArrayList<>();
        }

        private void frame(int n, String rest) {
            if (task == null) {
                warn(n, "stack line before any task line: ignored");
                return;
            }
            Matcher m = FRAME.matcher(rest);
            if (m.matches()) {
                frames.add(new Frame(m.group(2), Long.parseLong(m.group(3), 16), Long.parseLong(m.group(4), 16), m.group(5), n));
                return;
            }
            if (RAW_FRAME.matcher(rest).matches()) {
                warn(n, "stack entry '" + abbreviate(rest.strip()) + "' of " + task.comm() + ":" + task.tid()
                        + " has no symbol name (code outside kallsyms): klpsim cannot tell which function it is and leaves it out");
                return;
            }
            if (unknownStackLines++ < 50)
                warn(n, "unknown stack line '" + abbreviate(rest) + "' of " + task.comm() + ":" + task.tid() + ": left out of its stack");
        }

        private void module(int n, String rest) {
            Matcher m = MODULE.matcher(rest);
            if (!m.matches()) {
                warn(n, "unreadable /proc/modules line '" + abbreviate(rest) + "': that module is left out");
                return;
            }
            String refcnt = m.group(3);
            s.modules.add(new HostModule(m.group(1), Long.parseLong(m.group(2)), refcnt.equals("-") ? 0 : Integer.parseInt(refcnt), m.group(5), n));
        }

        private void livepatch(int n, String rest) {
            String[] w = rest.strip().split("\\s+");
            if (w.length == 0 || w[0].isEmpty()) {
                warn(n, "livepatch line without a name: ignored");
                return;
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 1; i < w.length; i++) {
                int eq = w[i].indexOf('=');
                if (eq <= 0) {
                    warn(n, "livepatch attribute '" + w[i] + "' is not NAME=VALUE: ignored");
                    continue;
                }
                attrs.put(w[i].substring(0, eq), w[i].substring(eq + 1));
            }
            if (patches.containsKey(w[0])) {
                warn(n, "livepatch '" + w[0] + "' appears again: this one is ignored");
                return;
            }
            patches.put(w[0], new HostPatch(w[0], attrs, new ArrayList<>(), n));
        }

        private void object(int n, String rest) {
            String[] w = rest.strip().split("\\s+");
            HostPatch p = w.length >= 2 ? patches.get(w[0]) : null;
            if (p == null) {
                warn(n, w.length < 2 ? "object line without PATCH OBJECT: ignored" : "object of unknown livepatch '" + w[0] + "': ignored");
                return;
            }
            Boolean patched = null;
            for (int i = 2; i < w.length; i++) if (w[i].startsWith("patched=")) patched = w[i].equals("patched=1");
            p.objects.add(new HostObject(w[1], patched, new ArrayList<>(), n));
        }

        private void func(int n, String rest) {
            String[] w = rest.strip().split("\\s+");
            HostPatch p = w.length == 3 ? patches.get(w[0]) : null;
            HostObject o = p == null ? null : p.object(w[1]);
            if (o == null) {
                warn(n, w.length != 3 ? "func line is not 'func PATCH OBJECT NAME,SYMPOS': ignored" : "func of an unknown patch or object ('" + w[0] + "', '" + w[1] + "'): ignored");
                return;
            }
            int comma = w[2].lastIndexOf(',');
            long sympos;
            try {
                sympos = comma < 0 ? 1 : Long.parseLong(w[2].substring(comma + 1));
            } catch (NumberFormatException e) {
                warn(n, "func '" + w[2] + "': sympos is not a number: ignored");
                return;
            }
            String name = comma < 0 ? w[2] : w[2].substring(0, comma);
            if (sympos > MAX_SYMPOS) {
                warn(n, "func '" + abbreviate(w[2]) + "': sympos " + sympos + " is more than " + MAX_SYMPOS
                        + " (no kernel has that many symbols of one name): ignored");
                return;
            }
            if (name.isEmpty() || sympos < 1) {
                warn(n, "func '" + w[2] + "' is not NAME,SYMPOS (sympos 1 or more): ignored");
                return;
            }
            o.funcs.add(new HostFunc(name, sympos, n));
        }
    }
}
