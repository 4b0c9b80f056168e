package dev.klpsim.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The kernel's side of the virtual file tree: procfs, sysfs (but livepatch), debugfs, tracefs, /dev. */
public final class KernelFs {
    private final Machine m;
    private Vfs.Dir proc;
    private Vfs.Dir sysKernel;

    KernelFs(Machine m) {
        this.m = m;
    }

    void build() {
        Vfs.Dir root = m.vfs.root;
        Vfs.Dir dev = root.dir("dev");
        dev.put("kmsg", new Vfs.File(0644, () -> {
            StringBuilder sb = new StringBuilder();
            for (Printk.Record r : m.printk.records())
                sb.append(r.level()).append(',').append(r.seq()).append(',').append(r.timeNs() / 1000).append(",-;").append(r.text()).append('\n');
            return sb.toString();
        }, (data, append) -> {
            writeKmsg(data);
            return 0;
        }));
        dev.put("null", new Vfs.File(0666, () -> "", (d, a) -> 0));

        proc = root.dir("proc");
        proc.put("cmdline", new Vfs.File(0444, () -> readProcCmdline(m.current), null));
        proc.put("meminfo", new Vfs.File(0444, () -> readShow(m.current, "meminfo_proc_show"), null));
        proc.put("version", new Vfs.File(0444, () -> "Linux version " + m.release() + " (klpsim) #1 SMP PREEMPT_DYNAMIC\n", null));
        proc.put("kallsyms", new Vfs.File(0444, m.kallsyms::procText, null));
        proc.put("modules", new Vfs.File(0444, this::procModules, null));
        proc.put("uptime", new Vfs.File(0444, () -> {
            long cs = m.now() / 10_000_000L;
            return String.format("%d.%02d %d.%02d%n", cs / 100, cs % 100, cs / 100, cs % 100);
        }, null));
        Vfs.Dir procKernel = proc.dir("sys").dir("kernel");
        procKernel.put("ftrace_enabled", new Vfs.File(0644, () -> (m.ftrace.enabled() ? 1 : 0) + "\n", (d, a) -> {
            Long v = Kstrto.kstrtol(d.trim(), Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (v == null) return Errno.EINVAL.neg();
            if (v == 0 && m.options.profile.ftraceEnabledDeprecated()) return m.ftrace.refuseDisable(m.printk);
            return m.ftrace.setEnabled(v != 0);
        }));
        procKernel.put("tainted", new Vfs.File(0644, () -> m.modules.taints() + "\n", (d, a) -> 0));
        procKernel.put("printk", new Vfs.File(0644, () -> m.consoleLoglevel + "\t4\t1\t7\n", (d, a) -> {
            Integer v = Kstrto.kstrtoint(d.trim().split("\\s+")[0]);
            if (v == null) return Errno.EINVAL.neg();
            m.consoleLoglevel = v;
            return 0;
        }));
        procKernel.put("osrelease", new Vfs.File(0444, () -> m.release() + "\n", null));
        proc.addDynamic(this::pidDirs);

        Vfs.Dir sys = root.dir("sys");
        sysKernel = sys.dir("kernel");
        Vfs.Dir tracing = tracingDir();
        sysKernel.put("tracing", tracing);
        Vfs.Dir debug = sysKernel.dir("debug");
        debug.put("tracing", tracing);
        Vfs.Dir kprobes = debug.dir("kprobes");
        kprobes.put("enabled", new Vfs.File(0600, () -> (m.kprobes.enabled() ? 1 : 0) + "\n", (d, a) -> {
            Boolean b = Kstrto.kstrtobool(d, true);
            if (b == null) return Errno.EINVAL.neg();
            return m.kprobes.setEnabled(b);
        }));
        kprobes.put("list", new Vfs.File(0444, m.kprobes::listText, null));
        debug.dir("dynamic_debug").put("control", new Vfs.File(0644, m.dyndbg::controlText, (d, a) -> m.dyndbg.write(d)));
        sys.dir("module").addDynamic(this::moduleDirs);

        Vfs.Dir home = root.dir("root");
        home.put("test_klp-call_getpid", new Vfs.File(0755, () -> "\u007fELF\n", null, "test_klp-call_getpid"));
        home.dir("test_modules").addDynamic(() -> {
            Map<String, Vfs.Node> ko = new TreeMap<>();
            for (ModuleSource s : m.sources().values()) {
                if (s.name().endsWith("$jsh") || s.getClass().getSimpleName().startsWith("Jsh")) continue;
                // the kernel's samples are built as livepatch-*.ko; the selftest modules keep underscores
                String file = s.name().startsWith("livepatch_") ? s.name().replace('_', '-') : s.name();
                ko.put(file + ".ko", new Vfs.File(0644, () -> "\u007fELF\n", null));
            }
            return ko;
        });
    }

    private void writeKmsg(String data) {
        String text = data.endsWith("\n") ? data.substring(0, data.length() - 1) : data;
        int level = Printk.KERN_INFO;
        if (text.length() >= 3 && text.charAt(0) == '<' && text.indexOf('>') > 1) {
            Integer l = Kstrto.kstrtoint(text.substring(1, text.indexOf('>')));
            if (l != null) {
                level = l & 7;
                text = text.substring(text.indexOf('>') + 1);
            }
        }
        m.printk.log(level, text);
    }

    /** The read side of /proc/cmdline, as {@code reader} calls it: seq_read_iter() into the show function. */
    public String readProcCmdline(Task reader) {
        return readShow(reader, "cmdline_proc_show");
    }

    /** Reads a seq_file by calling its show function on behalf of {@code reader}. */
    public String readShow(Task reader, String showFn) {
        Symbol s = m.kallsyms.lookupAny(showFn);
        if (s == null) throw new KernelError(Errno.ENOENT);
        return readShow(reader, s);
    }

    String readShow(Task reader, Symbol show) {
        StringBuilder out = new StringBuilder();
        List<Symbol> saved = List.copyOf(reader.stack);
        Task prev = m.current;
        m.current = reader;
        try {
            reader.setStack(m.boot.frames("entry_SYSCALL_64_after_hwframe", "do_syscall_64", "ksys_read", "vfs_read", "seq_read_iter"));
            Object ret = m.call(reader, show, out);
            // a show function that returns an error fails the read()
            if (ret instanceof Integer r && r < 0 && Errno.fromReturn(r) != null) throw new KernelError(Errno.fromReturn(r));
        } finally {
            reader.setStack(saved);
            m.current = prev;
        }
        return out.toString();
    }

    /** proc_create_single(): a /proc file whose show function is a (patchable) kernel function. */
    public void createProcEntry(String name, int perm, Symbol show, Module owner) {
        if (proc.child(name) != null) throw new KernelError(Errno.EEXIST);
        proc.put(name, new Vfs.File(perm, () -> readShow(m.current, show), null));
        procShows.put(name, show.name);
        if (owner != null) owner.onUnload(() -> {
            proc.remove(name);
            procShows.remove(name);
        });
    }

    /** /proc files that call a show function (name -> function): reading one calls a function livepatch may patch. */
    private final java.util.Map<String, String> procShows = new java.util.TreeMap<>(java.util.Map.of("cmdline", "cmdline_proc_show", "meminfo", "meminfo_proc_show"));

    public java.util.Map<String, String> procShowFunctions() {
        return java.util.Collections.unmodifiableMap(procShows);
    }

    public void removeProcEntry(String name) {
        proc.remove(name);
    }

    /**
     * kobject_create_and_add(name, kernel_kobj) of a module's own kobject, which its exit
     * (or its init's error path) puts: /sys/kernel/NAME. A name that exists already fails as
     * sysfs_create_dir_ns() and kobject_add() report it (lib/kobject.c), and the caller gets
     * NULL (false).
     */
    public boolean kobjectCreateAndAdd(String name, String caller) {
        if (sysKernel.children().containsKey(name)) {
            String prefix = m.options.profile.kobjectPrefix() ? "kobject: " : "";
            m.printk.log(Printk.KERN_ERR, "sysfs: cannot create duplicate filename '/kernel/" + name + "'");
            DumpStack.print(m, Printk.KERN_INFO, "sysfs_warn_dup+0x5a/0x70", "sysfs_create_dir_ns+0xce/0xe0",
                    "kobject_add_internal+0xba/0x2a0", "kobject_add+0x97/0x100", "kobject_create_and_add+0x55/0xa0",
                    caller, "do_one_initcall+0x5b/0x320", "do_init_module+0x60/0x270");
            m.printk.log(Printk.KERN_ERR, prefix + "kobject_add_internal failed for " + name
                    + " with -EEXIST, don't try to register things with the same name in the same directory.");
            m.printk.log(Printk.KERN_WARNING, prefix + "kobject_create_and_add: kobject_add error: -17");
            return false;
        }
        sysKernel.dir(name);
        return true;
    }

    /** kobject_put() of such a kobject: /sys/kernel/NAME and its files go. */
    public void kobjectPut(String name) {
        sysKernel.remove(name);
    }

    /** kobject_create_and_add(dir, kernel_kobj) + sysfs_create_file(): /sys/kernel/DIR/NAME. */
    public void createSysfsFile(String dir, String name, int perm, Vfs.Reader read, Vfs.Writer write, Module owner) {
        Vfs.Dir d = sysKernel.dir(dir);
        d.put(name, new Vfs.File(perm, read, write));
        if (owner != null) owner.onUnload(() -> sysKernel.remove(dir));
    }

    private Vfs.Dir tracingDir() {
        Vfs.Dir t = new Vfs.Dir(0700);
        t.put("tracing_on", new Vfs.File(0644, () -> (m.ftrace.tracingOn() ? 1 : 0) + "\n", (d, a) -> {
            Long v = Kstrto.kstrtol(d.trim(), Long.MIN_VALUE, Long.MAX_VALUE);
            if (v == null) return Errno.EINVAL.neg();
            m.ftrace.setTracingOn(v != 0);
            return 0;
        }));
        t.put("current_tracer", new Vfs.File(0644, () -> m.ftrace.currentTracer() + "\n",
                (d, a) -> m.ftrace.setCurrentTracer(d.trim()) ? 0 : Errno.EINVAL.neg()));
        t.put("available_tracers", new Vfs.File(0444, () -> "function nop\n", null));
        t.put("set_ftrace_filter", new Vfs.File(0644, () -> {
            if (m.ftrace.filter().isEmpty()) return "#### all functions enabled ####\n";
            StringBuilder sb = new StringBuilder();
            for (String f : m.ftrace.filter()) sb.append(f).append('\n');
            return sb.toString();
        }, (d, a) -> m.ftrace.writeFilter(d, a, m.kallsyms)));
        t.put("available_filter_functions", new Vfs.File(0444, () -> {
            StringBuilder sb = new StringBuilder();
            for (Symbol s : m.kallsyms.all()) {
                if (!s.traceable) continue;
                sb.append(s.name);
                if (s.owner != null) sb.append(" [").append(s.owner).append(']');
                sb.append('\n');
            }
            return sb.toString();
        }, null));
        t.put("enabled_functions", new Vfs.File(0444, () -> m.ftrace.enabledFunctionsText(m.options.profile), null));
        t.put("trace", new Vfs.File(0644, () -> m.ftrace.traceText(m.options.cpus), (d, a) -> {
            if (!a) m.ftrace.clearTrace();
            return 0;
        }));
        return t;
    }

    private Map<String, Vfs.Node> pidDirs() {
        Map<String, Vfs.Node> out = new LinkedHashMap<>();
        for (Task t : m.tasks()) out.put(Integer.toString(t.pid), pidDir(t));
        // /proc/self: the task that looks (commands run as the shell's task)
        if (m.current != null) out.put("self", pidDir(m.current));
        return out;
    }

    private Vfs.Dir pidDir(Task t) {
        Vfs.Dir d = new Vfs.Dir(0555);
        d.put("comm", new Vfs.File(0644, () -> t.comm + "\n", null));
        d.put("stack", new Vfs.File(0400, () -> stackText(t), null));
        d.put("patch_state", new Vfs.File(0444, () -> t.patchState + "\n", null));
        d.put("status", new Vfs.File(0444, () -> "Name:\t" + t.comm + "\nState:\t" + t.state.letter + " (" + stateWord(t) + ")\nTgid:\t" + t.pid + "\nPid:\t" + t.pid + "\n", null));
        return d;
    }

    private static String stateWord(Task t) {
        return switch (t.state) {
            case RUNNING -> "running";
            case INTERRUPTIBLE -> "sleeping";
            case UNINTERRUPTIBLE -> "disk sleep";
            case DEAD -> "dead";
        };
    }

    /** /proc/PID/stack: innermost frame first. */
    public static String stackText(Task t) {
        StringBuilder sb = new StringBuilder();
        List<Symbol> st = t.stack();
        for (int i = st.size() - 1; i >= 0; i--) {
            Symbol s = st.get(i);
            sb.append(String.format("[<0>] %s+0x%x/0x%x", s.name, s.size / 2, s.size));
            if (s.owner != null) sb.append(" [").append(s.owner).append(']');
            sb.append('\n');
        }
        return sb.toString();
    }

    /** /proc/modules: m_show() with module_flags(mod, buf, true). */
    private String procModules() {
        StringBuilder sb = new StringBuilder();
        for (Module mod : m.modules.list()) {
            // m_show(): the module's whole size, its init sections too until they are freed at LIVE
            sb.append(String.format("%s %d %d - %s 0x%016x", mod.name, mod.coreSize() + (mod.state == ModuleState.LIVE ? 0 : INIT_SIZE), mod.refcnt,
                    mod.state == ModuleState.LIVE ? "Live" : mod.state == ModuleState.COMING ? "Loading" : "Unloading",
                    mod.symbols.isEmpty() ? 0 : mod.symbols.get(0).addr));
            if (mod.taints != 0) sb.append(' ').append(moduleFlags(mod));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A module's init sections (.init.text and .init.data: one page), freed once it is live. */
    private static final int INIT_SIZE = 4096;

    /** module_flags(): the taint letters in bit order, '-' while going, '+' while coming. */
    static String moduleFlags(Module mod) {
        return "(" + Taint.moduleFlags(mod.taints) + (mod.state == ModuleState.GOING ? "-" : "")
                + (mod.state == ModuleState.COMING ? "+" : "") + ")";
    }

    /**
     * The ELF sections a built selftest module has (test_klp_callbacks_mod as Debian's 6.12
     * and 5.10 toolchains build it, read on the oracle; 7.3's lacks .rodata.str1.1); modules with parameters add
     * __param. Each file reads the section's address.
     */
    private static final List<String> SECTIONS = List.of(".call_sites", ".exit.data", ".gnu.linkonce.this_module",
            ".init.data", ".note.Linux", ".note.gnu.build-id", ".note.gnu.property", ".orc_header", ".orc_unwind",
            ".orc_unwind_ip", ".return_sites", ".rodata", ".rodata.str1.1", ".strtab", ".symtab", ".text",
            "__mcount_loc", "__patchable_function_entries");
    private static final List<String> NOTES = List.of(".note.Linux", ".note.gnu.build-id", ".note.gnu.property");
    private static final List<String> SECTIONS_5_10 = List.of(".gnu.linkonce.this_module", ".note.Linux", ".note.gnu.build-id",
            ".orc_unwind", ".orc_unwind_ip", ".return_sites", ".rodata", ".rodata.str1.1", ".strtab", ".symtab",
            ".text.unlikely", "__mcount_loc");
    private static final List<String> NOTES_5_10 = List.of(".note.Linux", ".note.gnu.build-id");

    /** /sys/module/MOD: module_ktype's attributes (kernel/module/sysfs.c), sections, notes, holders, parameters. */
    private Map<String, Vfs.Node> moduleDirs() {
        Map<String, Vfs.Node> out = new TreeMap<>();
        for (Module mod : m.modules.list()) {
            Vfs.Dir d = new Vfs.Dir();
            d.put("refcnt", new Vfs.File(0444, () -> mod.refcnt + "\n", null));
            d.put("initstate", new Vfs.File(0444, () -> switch (mod.state) {
                case LIVE -> "live\n";
                case COMING -> "coming\n";
                case GOING -> "going\n";
                case UNFORMED -> "unformed\n";
            }, null));
            d.put("coresize", new Vfs.File(0444, () -> mod.coreSize() + "\n", null));
            // the init sections are freed once the module is live
            d.put("initsize", new Vfs.File(0444, () -> (mod.state == ModuleState.LIVE ? 0 : INIT_SIZE) + "\n", null));
            d.put("taint", new Vfs.File(0444, () -> Taint.moduleFlags(mod.taints) + "\n", null));
            // module_uevent: write-only (0200), a write synthesizes a uevent
            d.put("uevent", new Vfs.File(0200, null, (data, append) -> 0));
            // no module_use: livepatch modules reach their targets through klp relocations, not symbols
            d.put("holders", new Vfs.Dir());
            Vfs.Dir sections = new Vfs.Dir();
            long base = mod.symbols.isEmpty() ? 0xffffffffc0000000L : mod.symbols.get(0).addr;
            boolean old = m.options.profile.legacyTransition();
            List<String> names = new java.util.ArrayList<>(old ? SECTIONS_5_10 : SECTIONS);
            // Debian's 7.3 modules (gcc 14) merge their strings into .rodata: no .rodata.str1.1
            if (m.options.profile == Profile.V7_3) names.remove(".rodata.str1.1");
            if (!mod.spec.params.isEmpty()) names.add("__param");
            int i = 0;
            for (String sec : names) {
                long addr = base + 0x1000L * i++;
                sections.put(sec, new Vfs.File(0400, () -> String.format("0x%016x%n", addr), null));
            }
            d.put("sections", sections);
            Vfs.Dir notes = new Vfs.Dir();
            for (String n : old ? NOTES_5_10 : NOTES) notes.put(n, new Vfs.File(0444, () -> "", null));
            d.put("notes", notes);
            Vfs.Dir params = new Vfs.Dir();
            boolean any = false;
            for (ModuleParam p : mod.spec.params) {
                if (p.perm == 0) continue;
                any = true;
                // param_attr_store(): the set function's errno, its error lines to the log
                params.put(p.name, new Vfs.File(p.perm, p::get, (data, append) -> p.set(data, m.options.profile.kstrtoboolTF(),
                        line -> m.printk.log(Printk.KERN_ERR, line))));
            }
            if (any) d.put("parameters", params);
            out.put(mod.name, d);
        }
        return out;
    }
}
