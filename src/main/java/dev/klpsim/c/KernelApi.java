package dev.klpsim.c;

import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.PatchBuilder;
import dev.klpsim.c.Interp.Builtin;
import dev.klpsim.c.Interp.Fn;
import dev.klpsim.c.Mem.CStruct;
import dev.klpsim.c.Mem.Foreign;
import dev.klpsim.c.Mem.Ptr;
import dev.klpsim.kernel.Call;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.kernel.Workqueue;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;
import dev.klpsim.livepatch.KlpState;
import dev.klpsim.livepatch.Shadow;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The kernel as a C module's code sees it: each function and variable that
 * include/linux/klpsim.h declares, implemented over klpsim's module API ({@link Kernel}),
 * so that trace, the shadow ledger and explore see a C module as they see any other.
 */
final class KernelApi {
    private final Kernel k;
    private final ModuleBuilder b;
    private final String modname;
    /** The call of the module's function running now (seq_printf writes into its output). */
    Call call;
    /** The C patch (its address) each klp_enable_patch() built. */
    private final Map<Object, KlpPatch> patches = new HashMap<>();
    private final Map<Object, Workqueue.Work> works = new HashMap<>();
    /** The memory of each shadow variable's data, shared by every C module (one fix allocates, the next reads). */
    private static final Map<Shadow.Data, Mem> shadowMem = Collections.synchronizedMap(new WeakHashMap<>());

    KernelApi(ModuleBuilder b, String modname) {
        this.b = b;
        this.k = b.kernel();
        this.modname = modname;
    }

    private static final Set<String> FUNCTIONS = Set.of(
            "printk", "__klpsim_pr_debug", "sprintf", "snprintf", "scnprintf", "dump_stack", "__klpsim_bug_on",
            "strlen", "strcmp", "strncmp", "strcpy", "strscpy", "memset", "memcpy",
            "__klpsim_container_of", "kmalloc", "kzalloc", "kcalloc", "kfree",
            "msecs_to_jiffies", "secs_to_jiffies", "__klpsim_wait_for_completion", "jiffies_to_msecs", "msleep", "schedule", "cond_resched", "task_pid_nr",
            "__klpsim_init_work", "task_tgid_vnr", "kobject_create_and_add", "sysfs_create_file", "kobject_put", "schedule_work", "schedule_delayed_work", "flush_work", "cancel_work_sync",
            "cancel_delayed_work_sync", "flush_delayed_work",
            "seq_printf", "seq_puts", "proc_create_single", "remove_proc_entry", "proc_remove",
            "register_kprobe", "unregister_kprobe",
            "klp_enable_patch", "klp_get_state", "klp_get_prev_state",
            "klp_shadow_get", "klp_shadow_alloc", "klp_shadow_get_or_alloc", "klp_shadow_free", "klp_shadow_free_all");

    /** A call of the module's function {@code name} as the kernel makes it (ftrace, livepatch), from the running call. */
    Object callSymbol(String name, Object[] args) {
        Object r = call.call(name, args);
        return r instanceof Integer i ? (Object) (long) i : r;
    }

    long now() {
        return k.machine().now();
    }

    /** Puts the task of the running call to sleep in msleep while {@code cond} holds; {@code then} runs when it wakes. */
    void sleep(java.util.function.BooleanSupplier cond, long periodNs, Runnable then) {
        call.sleepWhile(cond, periodNs, false, "msleep", then);
    }

    boolean has(String name) {
        return FUNCTIONS.contains(name);
    }

    CType returnType(String name) {
        if (name == null) return null;
        return switch (name) {
            case "kmalloc", "kzalloc", "kcalloc", "klp_shadow_get", "klp_shadow_alloc", "klp_shadow_get_or_alloc", "__klpsim_container_of" -> CType.pointer(CType.VOID);
            case "klp_get_state", "klp_get_prev_state" -> CType.pointer(CType.VOID);
            default -> CType.LONG;
        };
    }

    boolean isKernelVariable(String name) {
        return name.equals("jiffies") || name.equals("current") || name.equals("__this_module") || name.equals("console_loglevel") || name.equals("kernel_kobj") || name.equals("init_task");
    }

    CType kernelType(String name) {
        return name.equals("console_loglevel") ? CType.INT : isKernelVariable(name) ? CType.LONG : null;
    }

    /** %p: klpsim's stand-in address of the object, the one shadow list and the built-in modules print. */
    String pointer(Object v) {
        return k.machine().klp.shadow.pointer(v instanceof Foreign f ? f.object() : v);
    }

    CType foreignMemberType(String member) {
        return null;
    }

    Object kernelVariable(Interp in, String name) {
        return switch (name) {
            case "jiffies" -> JIFFIES_AT_BOOT + k.machine().now() / 1_000_000L;
            // the task the kernel called the module's function on (a syscall's caller)
            case "current" -> new Foreign(call != null ? call.task : k.current());
            case "kernel_kobj" -> new Foreign(new Kobject(""));
            case "init_task" -> new Foreign(k.machine());
            case "console_loglevel" -> new Interp.LVal() {
                @Override
                public Object get() {
                    return (long) k.consoleLoglevel();
                }

                @Override
                public void set(Object v) {
                    k.setConsoleLoglevel((int) Interp.toLong(v));
                }

                @Override
                public CType type() {
                    return CType.INT;
                }

                @Override
                public Object address() {
                    throw in.unsupported(null, "the address of 'console_loglevel'");
                }
            };
            default -> new Foreign(k.module());
        };
    }

    Object kernelVariableAddress(Interp in, String name) {
        if (name.equals("__this_module")) return new Foreign(k.module());
        if (name.equals("init_task")) return new Foreign(k.machine());
        throw in.unsupported(null, "the address of '" + name + "'");
    }

    /** INITIAL_JIFFIES: jiffies start 5 minutes before wrapping, at klpsim's HZ=1000 (decision 41). */
    private static final long JIFFIES_AT_BOOT = -300L * 1000 & 0xffffffffL;

    // ---- kernel objects ------------------------------------------------------------------

    Object foreignGet(Foreign f, String member) {
        Object o = f.object();
        if (o instanceof KlpObject obj) {
            return switch (member) {
                case "mod" -> obj.mod == null ? null : new Foreign(obj.mod);
                case "name" -> obj.name == null ? null : string(obj.name);
                case "patched" -> obj.patched ? 1L : 0L;
                default -> throw noMember("klp_object", member);
            };
        }
        if (o instanceof Module mod) {
            return switch (member) {
                case "name" -> string(mod.name);
                case "state" -> (long) mod.state.ordinal();
                default -> throw noMember("module", member);
            };
        }
        if (o instanceof KlpState s) {
            return switch (member) {
                case "id" -> s.id;
                case "version" -> (long) s.version;
                case "data" -> s.data;
                default -> throw noMember("klp_state", member);
            };
        }
        if (o instanceof Task t) {
            return switch (member) {
                case "pid", "tgid" -> (long) t.pid;
                case "comm" -> string(t.comm);
                default -> throw noMember("task_struct", member);
            };
        }
        throw noMember(o.getClass().getSimpleName(), member);
    }

    void foreignSet(Foreign f, String member, Object v) {
        if (f.object() instanceof KlpState s && member.equals("data")) {
            s.data = v;
            return;
        }
        throw new Interp.CompileError(modname + ": unsupported in klpsim: writing the kernel's '" + member + "'");
    }

    CType foreignType(Foreign f, String member) {
        return member.equals("data") ? CType.pointer(CType.VOID) : null;
    }

    private final Map<String, Ptr> strings = new HashMap<>();
    private Interp interp;

    void bind(Interp in) {
        this.interp = in;
    }

    private Ptr string(String s) {
        return strings.computeIfAbsent(s, interp::newString);
    }

    private RuntimeException noMember(String type, String member) {
        return interp.oops("unsupported", "klpsim does not model member '" + member + "' of struct " + type);
    }

    // ---- parameters ----------------------------------------------------------------------

    Object paramGet(Interp.Var v) {
        if (v.type.kind == CType.Kind.PTR) return v.param.stringValue() == null ? null : string(v.param.stringValue());
        if (v.type.bool) return v.param.boolValue() ? 1L : 0L;
        return (long) v.param.intValue();
    }

    void paramSet(Interp.Var v, Object x) {
        if (v.type.kind == CType.Kind.PTR) v.param.set(interp.cString(x));
        else if (v.type.bool) v.param.set(Interp.truth(x));
        else v.param.set(Interp.toLong(x));
    }

    // ---- calls ---------------------------------------------------------------------------

    Object call(Interp in, String name, Object[] a, org.antlr.v4.runtime.ParserRuleContext at) {
        switch (name) {
            case "printk": {
                String s = CFormat.format(in, in.cString(a[0]), a, 1);
                int level = Printk.KERN_WARNING;   // the default message loglevel
                if (s.length() >= 2 && s.charAt(0) == 1) {
                    char c = s.charAt(1);
                    if (c >= '0' && c <= '7') level = c - '0';
                    s = s.substring(2);
                }
                if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
                k.printk(level, s);
                return (long) s.length();
            }
            case "__klpsim_pr_debug":
                return 0L;   // dynamic debug is off for module code
            case "sprintf", "snprintf", "scnprintf": {
                boolean sized = !name.equals("sprintf");
                String s = CFormat.format(in, in.cString(a[sized ? 2 : 1]), a, sized ? 3 : 2);
                Ptr dst = (Ptr) a[0];
                int max = sized ? (int) Math.max(0, Interp.toLong(a[1]) - 1) : s.length();
                int n = Math.min(max, s.length());
                for (int i = 0; i < n; i++) dst.mem.slots[dst.idx + i] = (long) s.charAt(i);
                if (!sized || Interp.toLong(a[1]) > 0) dst.mem.slots[dst.idx + n] = 0L;
                return (long) (name.equals("scnprintf") ? n : s.length());
            }
            case "dump_stack":
                return null;
            case "__klpsim_bug_on":
                if (Interp.truth(a[0])) throw in.oops("BUG", null);
                return null;
            case "strlen":
                return (long) in.cString(a[0]).length();
            case "strcmp":
                return (long) Integer.signum(in.cString(a[0]).compareTo(in.cString(a[1])));
            case "strncmp": {
                int n = (int) Interp.toLong(a[2]);
                String x = in.cString(a[0]), y = in.cString(a[1]);
                return (long) Integer.signum(x.substring(0, Math.min(n, x.length())).compareTo(y.substring(0, Math.min(n, y.length()))));
            }
            case "strcpy", "strscpy": {
                String s = in.cString(a[1]);
                Ptr dst = (Ptr) a[0];
                for (int i = 0; i < s.length(); i++) dst.mem.slots[dst.idx + i] = (long) s.charAt(i);
                dst.mem.slots[dst.idx + s.length()] = 0L;
                return name.equals("strcpy") ? dst : (long) s.length();
            }
            case "memset": {
                Ptr dst = (Ptr) a[0];
                long c = Interp.toLong(a[1]);
                int n = (int) Interp.toLong(a[2]);
                for (int i = dst.idx; i < dst.mem.slots.length && i < dst.idx + n; i++) dst.mem.slots[i] = c == 0 ? null : c;
                return dst;
            }
            case "memcpy": {
                Ptr dst = (Ptr) a[0], src = (Ptr) a[1];
                int n = (int) Interp.toLong(a[2]);
                for (int i = 0; i < n && dst.idx + i < dst.mem.slots.length && src.idx + i < src.mem.slots.length; i++)
                    dst.mem.slots[dst.idx + i] = src.mem.slots[src.idx + i];
                return dst;
            }
            case "__klpsim_container_of": {
                Object p = a[0];
                if (p instanceof Ptr q && q.mem.owner != null) {
                    CStruct s = q.mem.owner;
                    if (s.home == null) throw in.oops("unsupported", "container_of() of a struct klpsim cannot place");
                    return s.home;
                }
                if (p instanceof Ptr q) return new Interp.Outer(q);
                if (p == null) throw in.oops("null", null);
                return p;
            }
            case "kmalloc", "kzalloc":
                return new Mem((int) Math.max(1, Interp.toLong(a[0])), null).ptr(0);
            case "kcalloc":
                return new Mem((int) Math.max(1, Interp.toLong(a[0]) * Interp.toLong(a[1])), null).ptr(0);
            case "kfree": {
                Object p = a[0];
                if (p instanceof Ptr q) {
                    k.kfree(q);
                    q.mem.freed = true;
                }
                return null;
            }
            case "msecs_to_jiffies":
                return Interp.toLong(a[0]);
            case "secs_to_jiffies":
                return Interp.toLong(a[0]) * 1000;
            case "jiffies_to_msecs":
                return Interp.toLong(a[0]);
            case "schedule", "cond_resched":
                return null;
            case "msleep":
                throw in.unsupported(at, "msleep() other than as a statement of the function's own block ('msleep(N);' or 'while (COND) msleep(N);') in a function the kernel calls");
            case "__klpsim_wait_for_completion": {
                // complete() already ran (a work item runs when it is scheduled): take it
                Ptr c = (Ptr) a[0];
                CStruct s = (CStruct) in.read(c, null);
                long done = Interp.toLong(s.fields.slots[0]);
                if (done == 0) throw in.unsupported(at, "wait_for_completion() of a completion nothing has completed (it would wait for ever)");
                s.fields.slots[0] = done - 1;
                return null;
            }
            case "kobject_create_and_add":
                // only under /sys/kernel (kernel_kobj): the directory's name stands for the kobject
                return new Foreign(new Kobject(in.cString(a[0])));
            case "kobject_put":
                return null;
            case "sysfs_create_file": {
                if (!(a[0] instanceof Foreign f) || !(f.object() instanceof Kobject dir)) throw in.oops("null", null);
                Ptr attrPtr = (Ptr) a[1];
                CStruct attr = (CStruct) in.read(attrPtr, null);
                Object owner = call(in, "__klpsim_container_of", new Object[] {attrPtr}, at);
                CStruct kattr = owner instanceof Ptr op && in.read(op, null) instanceof CStruct ks && ks.type.index.containsKey("show") ? ks : null;
                Object show = kattr == null ? null : member(kattr, "show");
                String fileName = in.cString(member(attr, "name"));
                int mode = (int) Interp.toLong(member(attr, "mode"));
                k.sysfsCreateFile(dir.name(), fileName, mode, () -> {
                    if (show == null) return "";
                    Ptr buf = new Mem(4096, null).ptr(0);
                    in.callValue(show, new Object[] {a[0], owner, buf}, at);
                    return in.cString(buf);
                });
                return 0L;
            }
            case "task_tgid_vnr":
            case "task_pid_nr":
                return a[0] instanceof Foreign f && f.object() instanceof Task t ? (long) t.pid : 0L;
            case "__klpsim_init_work":
                works.remove(a[0]);
                work(in, a[0], a[1]);
                return null;
            case "schedule_work":
                k.scheduleWork(work(in, a[0], null));
                return 1L;
            case "schedule_delayed_work":
                k.scheduleDelayedWork(work(in, a[0], null), Interp.toLong(a[1]));
                return 1L;
            case "flush_work", "flush_delayed_work":
                k.flushWork(work(in, a[0], null));
                return 0L;
            case "cancel_work_sync", "cancel_delayed_work_sync":
                k.cancelDelayedWorkSync(work(in, a[0], null));
                return 0L;
            case "seq_printf": {
                String s = CFormat.format(in, in.cString(a[1]), a, 2);
                if (call != null) call.seqPrintf(s);
                return null;
            }
            case "seq_puts":
                if (call != null) call.seqPrintf(in.cString(a[1]));
                return null;
            case "proc_create_single": {
                String fn = functionName(a[3]);
                k.procCreate(in.cString(a[0]), (int) Interp.toLong(a[1]) == 0 ? 0444 : (int) Interp.toLong(a[1]), fn);
                return new Foreign(in.cString(a[0]));
            }
            case "remove_proc_entry":
                k.procRemove(in.cString(a[0]));
                return null;
            case "proc_remove":
                if (a[0] instanceof Foreign f && f.object() instanceof String s) k.procRemove(s);
                return null;
            case "register_kprobe": {
                CStruct kp = (CStruct) in.read((Ptr) a[0], null);
                Object sym = kp.fields.slots[kp.type.index.get("symbol_name")];
                Object post = kp.fields.slots[kp.type.index.get("post_handler")];
                return (long) k.registerKprobe(in.cString(sym), post != null);
            }
            case "unregister_kprobe":
                k.unregisterKprobes();
                return null;
            case "klp_enable_patch":
                return (long) k.klpEnablePatch(patch(in, a[0]));
            case "klp_get_state": {
                KlpPatch p = patches.get(a[0]);
                KlpState s = p == null ? null : k.klpGetState(p, Interp.toLong(a[1]));
                return s == null ? null : new Foreign(s);
            }
            case "klp_get_prev_state": {
                KlpState s = k.klpGetPrevState(Interp.toLong(a[0]));
                return s == null ? null : new Foreign(s);
            }
            case "klp_shadow_get":
                return shadowPtr(k.klpShadowGet(key(a[0]), Interp.toLong(a[1])));
            case "klp_shadow_alloc", "klp_shadow_get_or_alloc": {
                Object obj = key(a[0]);
                long id = Interp.toLong(a[1]), size = Interp.toLong(a[2]), gfp = Interp.toLong(a[3]);
                Shadow.Ctor ctor = a[4] == null ? null : (o, data, ctorData) ->
                        (int) Interp.toLong(in.callValue(a[4], new Object[] {o, shadowPtr(data), ctorData}, at));
                Shadow.Data d = name.equals("klp_shadow_alloc")
                        ? k.klpShadowAlloc(obj, id, size, gfp, ctor, a[5])
                        : k.klpShadowGetOrAlloc(obj, id, size, gfp, ctor, a[5]);
                return shadowPtr(d);
            }
            case "klp_shadow_free":
                k.klpShadowFree(key(a[0]), Interp.toLong(a[1]), dtor(in, a[2], at));
                return null;
            case "klp_shadow_free_all":
                k.klpShadowFreeAll(Interp.toLong(a[0]), dtor(in, a[1], at));
                return null;
            default:
                throw in.unsupported(at, "'" + name + "'");
        }
    }

    /** A kobject under /sys/kernel: its directory's name. */
    record Kobject(String name) {}

    private static Object key(Object cPointer) {
        return cPointer instanceof Foreign f ? f.object() : cPointer;
    }

    private static Object cPointer(Object key) {
        return key == null || key instanceof Ptr || key instanceof Foreign ? key : new Foreign(key);
    }

    private Shadow.Dtor dtor(Interp in, Object fn, org.antlr.v4.runtime.ParserRuleContext at) {
        if (fn == null) return null;
        return (obj, data) -> in.callValue(fn, new Object[] {cPointer(obj), shadowPtr(data)}, at);
    }

    /** The shadow data as module memory: one block per variable, as big as it was allocated. */
    private static Ptr shadowPtr(Shadow.Data d) {
        if (d == null) return null;
        return shadowMem.computeIfAbsent(d, x -> new Mem((int) Math.max(1, x.size), null)).ptr(0);
    }

    private static String functionName(Object f) {
        if (f instanceof Fn fn) return fn.name;
        if (f instanceof Builtin bi) return bi.name();
        return null;
    }

    private Workqueue.Work work(Interp in, Object w, Object fn) {
        Workqueue.Work work = works.get(w);
        if (work != null) return work;
        if (!(w instanceof Ptr p)) throw in.oops("null", null);
        if (fn == null) {
            // DECLARE_WORK / DECLARE_DELAYED_WORK: the function is the struct's first member
            Object s = p.mem.slots[p.idx];
            while (s instanceof CStruct cs && !cs.type.index.containsKey("func")) s = cs.fields.slots[0];
            if (s instanceof CStruct cs) fn = cs.fields.slots[cs.type.index.get("func")];
        }
        String name = functionName(fn);
        Symbol sym = name == null ? null : k.module().symbol(name);
        if (sym == null) throw in.oops("unsupported", "a work item whose function is not the module's");
        work = k.machine().workqueue.create(sym, w);
        works.put(w, work);
        return work;
    }

    /** Whether the patch klp_enable_patch() made of the struct at {@code addr} is enabled. */
    boolean patchEnabled(Object addr) {
        KlpPatch p = patches.get(addr);
        return p != null && p.enabled;
    }

    /** struct klp_patch in module memory -> the kernel's KlpPatch, as klp_enable_patch() reads it. */
    private KlpPatch patch(Interp in, Object addr) {
        if (!(addr instanceof Ptr pp)) throw in.oops("null", null);
        CStruct patch = (CStruct) in.read(pp, null);
        PatchBuilder pb = k.patch();
        Object objs = member(patch, "objs");
        for (Ptr o = (Ptr) objs; o != null; o = o.plus(1)) {
            CStruct obj = (CStruct) in.read(o, null);
            if (obj == null) break;
            Object name = member(obj, "name"), funcs = member(obj, "funcs");
            if (name == null && funcs == null) break;
            pb.object(in.cString(name));
            for (Ptr f = (Ptr) funcs; f != null; f = f.plus(1)) {
                CStruct func = (CStruct) in.read(f, null);
                if (func == null) break;
                Object oldName = member(func, "old_name"), newFunc = member(func, "new_func");
                long sympos = Interp.toLong(member(func, "old_sympos"));
                if (oldName == null && newFunc == null && sympos == 0) break;
                pb.func(in.cString(oldName), functionName(newFunc), sympos);
            }
            if (member(obj, "callbacks") instanceof CStruct cb) {
                Object pre = member(cb, "pre_patch"), post = member(cb, "post_patch"), preUn = member(cb, "pre_unpatch"), postUn = member(cb, "post_unpatch");
                if (pre != null) pb.prePatch(x -> (int) Interp.toLong(in.callValue(pre, new Object[] {new Foreign(x)}, null)));
                if (post != null) pb.postPatch(x -> in.callValue(post, new Object[] {new Foreign(x)}, null));
                if (preUn != null) pb.preUnpatch(x -> in.callValue(preUn, new Object[] {new Foreign(x)}, null));
                if (postUn != null) pb.postUnpatch(x -> in.callValue(postUn, new Object[] {new Foreign(x)}, null));
            }
        }
        for (Ptr s = (Ptr) member(patch, "states"); s != null; s = s.plus(1)) {
            CStruct st = (CStruct) in.read(s, null);
            if (st == null || Interp.toLong(member(st, "id")) == 0) break;
            pb.state(Interp.toLong(member(st, "id")), (int) Interp.toLong(member(st, "version")));
        }
        pb.replace(Interp.truth(member(patch, "replace")));
        KlpPatch kp = pb.build();
        patches.put(addr, kp);
        return kp;
    }

    private static Object member(CStruct s, String name) {
        Integer i = s.type.index.get(name);
        return i == null ? null : s.fields.slots[s.type.union ? 0 : i];
    }
}
