package dev.klpsim.c;

import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;
import dev.klpsim.c.Interp.Fn;
import dev.klpsim.c.Mem.CStruct;
import dev.klpsim.c.Mem.Foreign;
import dev.klpsim.c.Mem.Ptr;
import dev.klpsim.jsh.UserCode;
import dev.klpsim.kernel.Call;
import dev.klpsim.kernel.DumpStack;
import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.Faults;
import dev.klpsim.kernel.KernelError;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Taint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A module loaded from its C source (a kernel sample, a selftest module, a developer's own
 * livepatch): preprocessed and parsed once per text (see {@link CLoader}), then each load
 * runs the file's declarations into a fresh {@link ModuleBuilder}, so a C module is what a
 * .jsh or built-in module is to the kernel. The module name is the file name without .c,
 * dashes turned into underscores, as kbuild names the .ko.
 */
public final class CModuleSource implements ModuleSource {
    private final Path path;
    private final String shown;
    private final String name;
    private final Machine machine;
    /** Where gcc's messages go: the shell's stderr of the command that loads the module. */
    private volatile Consumer<String> errors;
    /** modinfo's filename: the path as given, or the .ko a built-in module replaced by its C source is. */
    private String filename;

    public CModuleSource(Path path, String shown, Machine machine, Consumer<String> errors) {
        this.path = path;
        this.shown = shown;
        this.machine = machine;
        this.errors = errors;
        String base = path.getFileName().toString();
        this.name = base.substring(0, base.length() - 2).replace('-', '_');
    }

    /** --c-modules: built-in module {@code ko} loaded from its C source {@code c}. */
    public static CModuleSource builtin(Path c, Machine m, String ko) {
        CModuleSource s = new CModuleSource(c, c.toString(), m, msg -> m.printk.log(Printk.KERN_ERR, msg));
        s.filename = ko;
        return s;
    }

    /** Sends gcc's messages of the next load to {@code sink}. */
    public void errorsTo(Consumer<String> sink) {
        this.errors = sink;
    }

    public static boolean isSource(String file) {
        return file.endsWith(".c");
    }

    @Override
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    @Override
    public ModuleSpec instantiate() {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new KernelError(Errno.ENOENT);
        }
        CLoader.loads.incrementAndGet();
        var profile = machine.options.profile;
        CLoader.Unit unit;
        try {
            unit = CLoader.parse(path, shown, text, name, profile.major(), profile.minor());
        } catch (CError e) {
            errors.accept(e.getMessage());
            throw new KernelError(Errno.ENOEXEC);
        }
        // MODULE_INFO(livepatch, "Y"): the builder starts a livepatch's modinfo as for any livepatch module
        boolean livepatch = java.util.regex.Pattern.compile("\\{\\s*\"livepatch\"\\s*,\\s*\"Y\"\\s*\\}").matcher(unit.pre().text).find();
        ModuleBuilder b = new ModuleBuilder(name, livepatch);
        KernelApi api = new KernelApi(b, name);
        Interp in = new Interp(shown, unit.lines(), unit.pre(), unit.cu(), api);
        api.bind(in);
        in.positions = unit.positions();
        Guard guard = new Guard(in, b);
        b.guard(guard);
        in.later = guard::guardVoid;
        try {
            in.load();
            CLoader.checkNames(in, unit);
            declare(in, b, api);
        } catch (Interp.CompileError e) {
            errors.accept(e.getMessage());
            throw new KernelError(Errno.ENOEXEC);
        } catch (UserCode.Interrupted | RuntimeException e) {
            errors.accept(shown + ":" + in.line + ": error: " + (e instanceof UserCode.Interrupted ? "interrupted" : "unsupported in klpsim: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
            throw new KernelError(Errno.ENOEXEC);
        }
        ModuleSpec spec = b.build();
        spec.filename = filename != null ? filename : Path.of(shown).normalize().toString();
        spec.origin = this;
        return spec;
    }

    /** What the file declared, told to the builder: modinfo, parameters, functions, init and exit. */
    private void declare(Interp in, ModuleBuilder b, KernelApi api) {
        Map<String, String> paramDesc = new LinkedHashMap<>();
        List<CStruct> params = new ArrayList<>(), arrays = new ArrayList<>();
        Map<String, List<String>> exploreValues = new LinkedHashMap<>();
        List<String[]> info = new ArrayList<>();
        for (Map.Entry<String, Interp.Var> e : in.globals.entrySet()) {
            String g = e.getKey();
            if (g.startsWith("__klpsim_modinfo_")) {
                CStruct s = (CStruct) in.read(e.getValue().mem.ptr(0), e.getValue().type);
                String tag = in.cString(s.fields.slots[0]), value = in.cString(s.fields.slots[1]);
                if (tag.equals("parm")) {
                    int colon = value.indexOf(':');
                    paramDesc.put(value.substring(0, Math.max(0, colon)), value.substring(colon + 1));
                } else info.add(new String[] {tag, value});
            } else if (g.startsWith("__klpsim_assert_")) {
                CStruct s = (CStruct) in.read(e.getValue().mem.ptr(0), e.getValue().type);
                Object fn = s.fields.slots[1];
                b.assertion(in.cString(s.fields.slots[0]), () -> Interp.truth(in.callValue(fn, new Object[0], null)));
            } else if (g.startsWith("__klpsim_explore_")) {
                CStruct s = (CStruct) in.read(e.getValue().mem.ptr(0), e.getValue().type);
                exploreValues.computeIfAbsent(in.cString(s.fields.slots[0]), x -> new ArrayList<>()).add(in.cString(s.fields.slots[1]));
            } else if (g.startsWith("__klpsim_param_array_")) arrays.add((CStruct) in.read(e.getValue().mem.ptr(0), e.getValue().type));
            else if (g.startsWith("__klpsim_param_")) params.add((CStruct) in.read(e.getValue().mem.ptr(0), e.getValue().type));
        }
        for (String[] i : info) if (i[0].equals("livepatch") && i[1].equals("Y")) b.livepatch();
        for (String[] i : info) if (!i[0].equals("livepatch")) b.modinfo(i[0], i[1]);
        for (CStruct p : params) {
            String pname = in.cString(p.fields.slots[0]), type = in.cString(p.fields.slots[1]);
            int perm = (int) Interp.toLong(p.fields.slots[2]);
            Interp.Var var = null;
            for (Interp.Var v : in.globals.values()) if (v.mem.ptr(0).equals(p.fields.slots[3])) var = v;
            if (var == null) throw in.unsupported(null, "module_param of '" + pname + "'");
            String desc = paramDesc.get(pname);
            Object cur = in.read(var.mem.ptr(0), var.type);
            Param param = switch (type) {
                case "int", "uint", "long", "ulong", "short", "ushort", "byte" -> b.paramInt(pname, perm, (int) Interp.toLong(cur), desc);
                case "bool" -> b.paramBool(pname, perm, Interp.truth(cur), desc);
                case "charp" -> b.paramString(pname, perm, cur == null ? null : in.cString(cur), desc);
                default -> throw in.unsupported(null, "module_param type '" + type + "'");
            };
            var.param = param;
            for (String v : exploreValues.getOrDefault(pname, List.of())) param.explore(v);
        }
        // module_param_array: the loader fills the parameter; the C array and its count get it before init runs
        List<Runnable> syncArrays = new ArrayList<>();
        for (CStruct p : arrays) {
            String pname = in.cString(p.fields.slots[0]), type = in.cString(p.fields.slots[1]);
            int perm = (int) Interp.toLong(p.fields.slots[2]);
            if (!type.equals("int") && !type.equals("uint")) throw in.unsupported(null, "module_param_array type '" + type + "'");
            Ptr arr = (Ptr) p.fields.slots[3];
            Object nump = p.fields.slots[4];
            Param param = b.paramIntArray(pname, perm, Math.min(4096, arr.mem.slots.length), paramDesc.get(pname));
            syncArrays.add(() -> {
                int[] v = param.intArray();
                for (int i = 0; i < param.count() && i < arr.mem.slots.length; i++) arr.mem.slots[arr.idx + i] = (long) v[i];
                if (nump instanceof Ptr np) in.write(np, CType.UINT, (long) param.count());
            });
        }
        for (Fn fn : CLoader.moduleFunctions(in)) b.function(fn.name, c -> callFromKernel(in, api, fn, c));
        Fn init = initcall(in, "__klpsim_module_init"), exit = initcall(in, "__klpsim_module_exit");
        if (init != null) b.init(() -> {
            syncArrays.forEach(Runnable::run);
            return (int) Interp.toLong(in.call(init));
        });
        if (exit != null) b.exit(() -> in.call(exit));
        // klp explore tells two states apart by the module's own data too
        b.exploreState(() -> {
            List<Object> out = new ArrayList<>();
            for (Interp.Var v : in.globals.values()) if (!v.name.startsWith("__klpsim_") && v.param == null) out.add(String.valueOf(v.mem.slots[0] instanceof Long l ? l : v.mem.slots[0] == null ? 0 : "ptr"));
            return out;
        });
    }

    private static Fn initcall(Interp in, String var) {
        Interp.Var v = in.globals.get(var);
        if (v == null) return null;
        CStruct s = (CStruct) in.read(v.mem.ptr(0), v.type);
        return s.fields.slots[0] instanceof Fn fn ? fn : null;
    }

    /** The kernel calls a function of the module (a replacement, a show function, a work item). */
    private static Object callFromKernel(Interp in, KernelApi api, Fn fn, Call c) {
        Object[] args = new Object[fn.paramTypes.size()];
        for (int i = 0; i < args.length; i++) {
            Object a = c.arg(i);
            if (a instanceof Integer n) a = (long) n;
            else if (a != null && !(a instanceof Long) && !(a instanceof Ptr) && !(a instanceof Foreign)) a = new Foreign(a);
            else if (a == null && fn.paramTypes.get(i).isPointer()) a = new Foreign(c);   // the seq_file of a show function
            args[i] = a;
        }
        Call prev = api.call;
        api.call = c;
        try {
            Object r = in.call(fn, args);
            if (r == null) return 0;
            if (r instanceof Long l && fn.returns.isInteger() && l == (int) l.longValue()) return (int) l.longValue();
            return r;
        } finally {
            api.call = prev;
        }
    }

    /**
     * Module code that fails does what the kernel does with it, not what Java does: an oops
     * (NULL pointer, out of bounds, use after free) is printed kernel-style and taints the
     * kernel; Ctrl-C stops it; either way the call returns -EINVAL and the session goes on.
     */
    private final class Guard implements ModuleBuilder.Guard {
        private final Interp in;
        private final ModuleBuilder b;

        Guard(Interp in, ModuleBuilder b) {
            this.in = in;
            this.b = b;
        }

        @Override
        public int guardInt(String what, IntSupplier code) {
            try {
                int ret = code.getAsInt();
                return stoppedOnReturn(what) ? Errno.EINVAL.neg() : ret;
            } catch (RuntimeException | StackOverflowError | UserCode.Interrupted e) {
                report(what, e);
                return Errno.EINVAL.neg();
            }
        }

        @Override
        public void guardVoid(String what, Runnable code) {
            try {
                code.run();
                stoppedOnReturn(what);
            } catch (RuntimeException | StackOverflowError | UserCode.Interrupted e) {
                report(what, e);
            }
        }

        private boolean stoppedOnReturn(String what) {
            if (!UserCode.stopPending()) return false;
            report(what, new UserCode.Interrupted());
            return true;
        }

        private Machine on() {
            return b.kernel().module() != null ? b.kernel().machine() : machine;
        }

        private void report(String what, Throwable e) {
            if (System.getenv("KLPSIM_C_DEBUG") != null) e.printStackTrace();
            Machine m = on();
            if (UserCode.stopPending()) e = new UserCode.Interrupted();
            if (e instanceof UserCode.Interrupted) {
                UserCode.consumeUserStop();
                m.printk.log(Printk.KERN_ERR, name + ": " + what + " stopped by Ctrl-C at " + shown + ":" + in.line + " (returning -EINVAL)");
                return;
            }
            if (e instanceof Interp.Fault f) {
                oops(m, f);
                return;
            }
            if (e instanceof StackOverflowError) {
                oops(m, new Interp.Fault("stack", null, in.function, in.line));
                return;
            }
            String text = name + ": " + what + ": " + (e instanceof Interp.CompileError ? e.getMessage()
                    : "unsupported in klpsim at " + shown + ":" + in.line + ": " + e) + " (returning -EINVAL)";
            m.faults.report(Faults.Kind.MODULE_EXCEPTION, name, text);
            m.printk.log(Printk.KERN_ERR, text);
        }

        /** The oops the kernel prints for a bad access in module code, with the C line decoded. */
        private void oops(Machine m, Interp.Fault f) {
            int lvl = Printk.KERN_ALERT;
            switch (f.kind) {
                case "null" -> {
                    m.printk.log(lvl, "BUG: kernel NULL pointer dereference, address: 0000000000000000");
                    m.printk.log(lvl, "#PF: supervisor read access in kernel mode");
                    m.printk.log(lvl, "#PF: error_code(0x0000) - not-present page");
                }
                case "out-of-bounds", "use-after-free", "bad-address" -> {
                    m.printk.log(lvl, "BUG: unable to handle page fault for address: " + (f.kind.equals("use-after-free") ? "ffff888006b6b6b6" : "ffffffffc0000000"));
                    m.printk.log(lvl, "#PF: supervisor read access in kernel mode");
                    m.printk.log(lvl, "#PF: error_code(0x0000) - not-present page");
                }
                case "divide-error" -> { }
                case "stack" -> m.printk.log(lvl, "BUG: stack guard page was hit");
                case "BUG" -> m.printk.log(lvl, "kernel BUG at " + shown + ":" + f.line + "!");
                default -> {
                    // klpsim cannot run this: say so, as an error of the module's load
                    String text = name + ": unsupported in klpsim at " + shown + ":" + f.line + " in " + f.function + "(): " + f.getMessage() + " (returning -EINVAL)";
                    m.faults.report(Faults.Kind.MODULE_EXCEPTION, name, text);
                    m.printk.log(Printk.KERN_ERR, text);
                    return;
                }
            }
            String kind = f.kind.equals("divide-error") ? "divide error: 0000" : f.kind.equals("BUG") ? "invalid opcode: 0000" : "Oops: 0000";
            m.printk.log(Printk.KERN_WARNING, kind + " [#1] PREEMPT SMP NOPTI");
            m.modules.addTaint(Taint.DIE);
            m.printk.log(Printk.KERN_WARNING, DumpStack.cpuLine(m));
            // as scripts/decode_stacktrace.sh shows the RIP of a module built with debug info
            m.printk.log(Printk.KERN_WARNING, "RIP: 0010:" + f.function + " (" + shown + ":" + f.line + ") " + name);
            m.printk.log(Printk.KERN_WARNING, "---[ end trace 0000000000000000 ]---");
            m.faults.report(Faults.Kind.MODULE_EXCEPTION, name, name + ": oops in " + f.function + "() at " + shown + ":" + f.line);
        }
    }
}
