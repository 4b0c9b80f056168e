package dev.klpsim.shell;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.ModuleParam;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleLoader;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Vfs;

import java.util.List;

/** kmod: insmod, modprobe, rmmod, lsmod, modinfo, with kmod's wording. */
final class KmodCommands {
    private KmodCommands() {}

    /** kmod's insmod maps a few errnos to its own words. */
    static String insmodStrerror(int ret) {
        return switch (-ret) {
            case 8 -> "Invalid module format";
            case 2 -> "Unknown symbol in module";
            case 3 -> "Module has wrong symbol version";
            case 22 -> "Invalid parameters";
            default -> Errno.strerror(ret);
        };
    }

    /** kmod's modprobe words two errnos its own way (tools/modprobe.c insmod()). */
    static String modprobeStrerror(int ret) {
        return switch (-ret) {
            case 17 -> "Module already in kernel";
            case 2 -> "Unknown symbol in module, or unknown parameter (see dmesg)";
            default -> Errno.strerror(ret);
        };
    }

    static String moduleName(String s) {
        String base = s.substring(s.lastIndexOf('/') + 1);
        if (base.endsWith(".ko")) base = base.substring(0, base.length() - 3);
        if (base.endsWith(".jsh")) base = base.substring(0, base.length() - 4);
        if (base.endsWith(".c")) base = base.substring(0, base.length() - 2);
        return base.replace('-', '_');
    }

    /** Finds the module a file names: a .ko in the virtual tree, or a .jsh source on the host. */
    private static ModuleSource sourceForFile(Invocation inv, String file) {
        Machine m = inv.m;
        if (dev.klpsim.jsh.JshModuleSource.isSource(file)) return jshFile(inv, file);
        if (dev.klpsim.c.CModuleSource.isSource(file)) return cFile(inv, file);
        Vfs.Node n = m.vfs.find(file);
        if (n == null || n.isDir() || !file.endsWith(".ko")) return null;
        return m.source(moduleName(file));
    }

    /**
     * The .jsh module {@code file} names (a host path: Shell.hostPath), named as typed in
     * messages and modinfo's filename; null when it is not a readable file.
     */
    static ModuleSource jshFile(Invocation inv, String file) {
        java.nio.file.Path p = inv.shell.hostPath(file);
        return java.nio.file.Files.isRegularFile(p) ? jshSource(inv, p, file) : null;
    }

    /** The C module {@code file} names (a host path), or null when it is not a readable file. */
    static ModuleSource cFile(Invocation inv, String file) {
        java.nio.file.Path p = inv.shell.hostPath(file);
        if (!java.nio.file.Files.isRegularFile(p)) return null;
        ModuleSource src = new dev.klpsim.c.CModuleSource(p, file, inv.m, msg -> inv.errln(msg));
        ModuleSource known = inv.m.source(src.name());
        if (known == null || known instanceof dev.klpsim.c.CModuleSource) inv.m.registerSource(src);
        return src;
    }

    /** A .jsh module; it becomes known to modprobe/modinfo by name unless a built-in has that name. */
    private static ModuleSource jshSource(Invocation inv, java.nio.file.Path p, String shown) {
        ModuleSource src = dev.klpsim.jsh.JshLoader.source(p, shown, inv.m, msg -> inv.errln(msg));
        ModuleSource known = inv.m.source(src.name());
        if (known == null || known instanceof dev.klpsim.jsh.JshModuleSource) inv.m.registerSource(src);
        return src;
    }

    /**
     * modprobe's search: NAME.jsh in KLPSIM_MODULE_PATH and --module-path first (the user's
     * own modules win, as an earlier directory does), then the built-in modules.
     */
    static ModuleSource findByName(Invocation inv, String name) {
        List<java.nio.file.Path> dirs = dev.klpsim.jsh.JshLoader.modulePath(inv.shell.modulePath());
        java.nio.file.Path p = dev.klpsim.jsh.JshLoader.find(dirs, name);
        java.nio.file.Path c = dev.klpsim.c.CLoader.find(dirs, name);
        // in one directory NAME.jsh and NAME.c: the .jsh (klpsim's own format) wins; an earlier directory wins over a later one
        if (c != null && (p == null || dirs.indexOf(c.getParent()) < dirs.indexOf(p.getParent()))) {
            ModuleSource src = new dev.klpsim.c.CModuleSource(c, c.toString(), inv.m, msg -> inv.errln(msg));
            inv.m.registerSource(src);
            return src;
        }
        if (p != null) {
            ModuleSource jsh = dev.klpsim.jsh.JshLoader.source(p, inv.m, msg -> inv.errln(msg));
            inv.m.registerSource(jsh);
            return jsh;
        }
        return inv.m.source(name);
    }

    static int insmod(Invocation inv) {
        Machine m = inv.m;
        List<String> ops = inv.operands();
        m.kmodReadCmdline();
        if (ops.isEmpty()) {
            inv.errln("insmod: ERROR: missing filename.");
            return 1;
        }
        String file = ops.get(0);
        ModuleSource src = sourceForFile(inv, file);
        if (src == null) {
            // a .jsh source is a host file (HostPaths): say why it cannot be read
            String why = dev.klpsim.jsh.JshModuleSource.isSource(file) || dev.klpsim.c.CModuleSource.isSource(file) ? HostPaths.unreadable(inv.shell.hostPath(file)) : null;
            inv.errln("insmod: ERROR: could not load module " + file + ": " + (why == null ? "No such file or directory" : why));
            return 1;
        }
        int ret = load(inv, src, ops.subList(1, ops.size()), "insmod");
        if (ret == ModuleLoader.SYSCALL_BLOCKED) return inv.shell.jobs().blockedInKernel(inv, src.name());
        // kmod takes any non-negative return of finit_module() as success, even a positive
        // one klp_module_coming() passed on for a module the kernel did not load
        if (ret < 0) {
            inv.errln("insmod: ERROR: could not insert module " + file + ": " + insmodStrerror(ret));
            return 1;
        }
        return 0;
    }

    private static int load(Invocation inv, ModuleSource src, List<String> params, String comm) {
        Machine m = inv.m;
        if (src instanceof dev.klpsim.c.CModuleSource c) c.errorsTo(msg -> inv.errln(msg));
        ModuleSpec spec;
        try {
            spec = src.instantiate();
        } catch (KernelError e) {
            return e.errno.neg();
        }
        return m.modules.load(spec, params, comm);
    }

    static int modprobe(Invocation inv) {
        Machine m = inv.m;
        List<String> ops = inv.operands();
        m.kmodReadCmdline();
        boolean remove = false, force = false;
        int i = 0;
        while (i < ops.size() && ops.get(i).startsWith("-")) {
            String o = ops.get(i++);
            if (o.equals("-r") || o.equals("--remove")) remove = true;
            else if (o.equals("-f") || o.equals("--force")) force = true;
            else if (o.equals("-rf") || o.equals("-fr")) remove = force = true;
            else if (!o.equals("-q") && !o.equals("--quiet")) {
                inv.errln("modprobe: ERROR: unrecognized option '" + o + "'");
                return 1;
            }
        }
        if (i >= ops.size()) {
            inv.errln("modprobe: ERROR: missing parameters. See -h.");
            return 1;
        }
        String name = moduleName(ops.get(i));
        if (remove) {
            Module mod = m.modules.find(name);
            if (mod == null) {
                inv.errln("modprobe: FATAL: Module " + name + " is not in kernel.");
                return 1;
            }
            // kmod's rmmod_do_module(): the refcnt check comes first, -f or not; -f only
            // makes the delete_module() that follows an O_TRUNC one
            if (mod.refcnt > 0) {
                inv.errln("modprobe: FATAL: Module " + name + " is in use.");
                return 1;
            }
            int ret = m.modules.unload(name, force);
            if (ret != 0) {
                inv.errln("modprobe: FATAL: Module " + name + " is in use.");
                return 1;
            }
            return 0;
        }
        return modprobeInsert(inv, name, ops.subList(i + 1, ops.size()));
    }

    /** modprobe NAME PARAMS after its options are read: find the module and load it (klp enable calls this too). */
    static int modprobeInsert(Invocation inv, String name, List<String> params) {
        Machine m = inv.m;
        ModuleSource src = findByName(inv, name);
        if (src == null) {
            inv.errln("modprobe: FATAL: Module " + name + " not found in directory /lib/modules/" + m.options.profile.release);
            return 1;
        }
        if (m.modules.find(name) != null) return 0;
        return insert(inv, src, params);
    }

    /** modprobe's load of a module it found, and its error line. */
    private static int insert(Invocation inv, ModuleSource src, List<String> params) {
        int ret = load(inv, src, params, "modprobe");
        if (ret == ModuleLoader.SYSCALL_BLOCKED) return inv.shell.jobs().blockedInKernel(inv, src.name());
        if (ret < 0) {
            inv.errln(modprobeInsertError(src.name(), ret));
            return 1;
        }
        return 0;
    }

    static String modprobeInsertError(String name, int ret) {
        return "modprobe: ERROR: could not insert '" + name + "': " + modprobeStrerror(ret);
    }

    /** What `modprobe NAME params` does once NAME is found: klp downgrade's load. */
    static int modprobeLoad(Invocation inv, ModuleSource src, List<String> params) {
        inv.m.kmodReadCmdline();
        return insert(inv, src, params);
    }

    /**
     * kmod's rmmod: without -f it checks the module first (not loaded, in use by its
     * refcnt) and says so itself; -f skips that check and calls delete_module(O_TRUNC), so
     * the kernel decides (tools/rmmod.c check_module_inuse(), do_rmmod()).
     */
    static int rmmod(Invocation inv) {
        Machine m = inv.m;
        m.kmodReadCmdline();
        boolean force = inv.operands().stream().anyMatch(a -> a.equals("-f") || a.equals("--force"));
        List<String> names = inv.operands().stream().filter(a -> !a.startsWith("-")).toList();
        if (names.isEmpty()) {
            inv.errln("rmmod: ERROR: missing module name.");
            return 1;
        }
        int st = 0;
        for (String a : names) {
            String name = moduleName(a);
            Module mod = m.modules.find(name);
            if (!force && mod == null) {
                inv.errln("rmmod: ERROR: Module " + name + " is not currently loaded");
                st = 1;
                continue;
            }
            if (!force && mod.refcnt > 0) {
                inv.errln("rmmod: ERROR: Module " + name + " is in use");
                st = 1;
                continue;
            }
            int ret = m.modules.unload(name, force);
            if (ret != 0) {
                inv.errln("rmmod: ERROR: " + m.options.profile.libkmodRemoveError(name, Errno.strerror(ret)));
                inv.errln("rmmod: ERROR: could not remove module " + name + ": " + Errno.strerror(ret));
                st = 1;
            }
        }
        return st;
    }

    static int lsmod(Invocation inv) {
        inv.m.kmodReadCmdline();
        inv.println("Module                  Size  Used by");
        for (Module mod : inv.m.modules.list())
            inv.println(String.format("%-19s %8d  %d", mod.name, mod.coreSize(), mod.refcnt));
        return 0;
    }

    static int modinfo(Invocation inv) {
        Machine m = inv.m;
        m.kmodReadCmdline();
        if (inv.operands().isEmpty()) {
            inv.errln("modinfo: ERROR: missing module or filename.");
            return 1;
        }
        int st = 0;
        for (String a : inv.operands()) {
            ModuleSource src = dev.klpsim.jsh.JshModuleSource.isSource(a) ? jshFile(inv, a) : dev.klpsim.c.CModuleSource.isSource(a) ? cFile(inv, a) : null;
            if (src == null) src = findByName(inv, moduleName(a));
            if (src == null) {
                inv.errln("modinfo: ERROR: Module " + a + " not found.");
                st = 1;
                continue;
            }
            ModuleSpec spec;
            try {
                spec = src.instantiate();
            } catch (KernelError e) {
                inv.errln("modinfo: ERROR: could not get modinfo from '" + src.name() + "': " + e.errno.message);
                st = 1;
                continue;
            }
            field(inv, "filename", spec.filename == null ? "/root/test_modules/" + spec.name + ".ko" : spec.filename);
            for (var e : spec.modinfo.entrySet())
                if (spec.modinfoOnlyIf.getOrDefault(e.getKey(), p -> true).test(m.options.profile)) field(inv, e.getKey(), e.getValue());
            field(inv, "depends", "");
            field(inv, "name", spec.name);
            field(inv, "vermagic", m.options.profile.release + " SMP preempt mod_unload ");
            for (ModuleParam p : spec.params)
                field(inv, "parm", p.name + ":" + (p.description == null ? "" : p.description) + " (" + p.typeName() + ")");
        }
        return st;
    }

    private static void field(Invocation inv, String key, String value) {
        inv.println(String.format("%-16s%s", key + ":", value));
    }
}
