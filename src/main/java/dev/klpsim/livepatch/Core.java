package dev.klpsim.livepatch;

import dev.klpsim.kernel.Errno;
import dev.klpsim.kernel.Kstrto;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Module;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.TraceEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** kernel/livepatch/core.c: the object model's life cycle, enable/disable, module notifiers. */
public final class Core {
    static final int MODULE_NAME_LEN = 56;

    private final Livepatch klp;
    private final Machine m;
    /** klp_patches: the patches in use (enabled or in transition), oldest first. */
    final List<KlpPatch> klpPatches = new ArrayList<>();
    /** Patches whose sysfs directory exists, in creation order. */
    final List<KlpPatch> registered = new ArrayList<>();

    Core(Livepatch klp) {
        this.klp = klp;
        this.m = klp.machine;
    }

    public List<KlpPatch> klpPatches() {
        return List.copyOf(klpPatches);
    }

    public List<KlpPatch> registeredPatches() {
        return List.copyOf(registered);
    }

    public KlpPatch findRegistered(String name) {
        for (KlpPatch p : registered) if (p.name().equals(name)) return p;
        return null;
    }

    private int ksymNameLen() {
        return m.options.profile.ksymNameLen();
    }

    // ---- callbacks (core.h) --------------------------------------------------------------

    int klpPrePatchCallback(KlpObject obj) {
        int ret = 0;
        if (obj.callbacks.prePatch != null) {
            ret = runCallback("pre_patch", obj, obj.callbacks.prePatch::call);
        }
        obj.callbacks.postUnpatchEnabled = ret == 0;
        return ret;
    }

    void klpPostPatchCallback(KlpObject obj) {
        if (obj.callbacks.postPatch != null) {
            runCallback("post_patch", obj, voidCallback(obj.callbacks.postPatch));
        }
    }

    void klpPreUnpatchCallback(KlpObject obj) {
        if (obj.callbacks.preUnpatch != null) {
            runCallback("pre_unpatch", obj, voidCallback(obj.callbacks.preUnpatch));
        }
    }

    void klpPostUnpatchCallback(KlpObject obj) {
        if (obj.callbacks.postUnpatchEnabled && obj.callbacks.postUnpatch != null) {
            runCallback("post_unpatch", obj, voidCallback(obj.callbacks.postUnpatch));
        } else if (obj.callbacks.postUnpatch != null) {
            traceSkip("post_unpatch", obj, "disarmed: its pre_patch did not run or did not succeed");
        }
        obj.callbacks.postUnpatchEnabled = false;
    }

    /** Runs one callback between enterCallback and leaveCallback, then traces its return value. */
    private int runCallback(String cb, KlpObject obj, java.util.function.ToIntFunction<KlpObject> body) {
        long from = enterCallback(cb, obj);
        int ret;
        try {
            ret = body.applyAsInt(obj);
        } finally {
            leaveCallback();
        }
        traceCall(cb, obj, ret, from);
        return ret;
    }

    private static java.util.function.ToIntFunction<KlpObject> voidCallback(KlpCallbacks.Callback cb) {
        return o -> {
            cb.call(o);
            return 0;
        };
    }

    /** The callback running now and its object (for the shadow ledger: which callback allocated or freed), or null. */
    String runningCallback, runningObject;

    private long enterCallback(String cb, KlpObject obj) {
        runningCallback = cb;
        runningObject = obj.displayName();
        return m.trace.nextSeq();
    }

    private void leaveCallback() {
        runningCallback = null;
        runningObject = null;
    }

    /** The target module's state as the callbacks print it ("" for vmlinux). */
    private static String moduleState(KlpObject obj) {
        return obj.mod == null ? "" : obj.mod.state.description.substring(0, obj.mod.state.description.indexOf(']') + 1);
    }

    private void traceCall(String cb, KlpObject obj, int ret, long fromSeq) {
        if (klp.tracing()) m.trace.emit(m.current, new TraceEvent.CallbackRan(obj.patch.name(), obj.displayName(), moduleState(obj), cb, ret, fromSeq));
    }

    /** A callback that is defined but does not run, and why. */
    void traceSkip(String cb, KlpObject obj, String why) {
        if (klp.tracing()) m.trace.emit(m.current, new TraceEvent.CallbackSkipped(obj.patch.name(), obj.displayName(), moduleState(obj), cb, why));
    }

    // ---- symbol lookup -------------------------------------------------------------------

    /** klp_find_object_symbol() */
    Symbol klpFindObjectSymbol(String objname, String name, long sympos) {
        List<Symbol> syms = m.kallsyms.occurrences(objname, name);
        Symbol found = null;
        long count = 0;
        for (Symbol s : syms) {
            if (!s.name.equals(name)) continue;
            found = s;
            count++;
            if ((sympos > 0 && count == sympos) || (sympos == 0 && count > 1)) break;
        }
        if (count == 0) {
            klp.prErr("symbol '" + name + "' not found in symbol table");
            return null;
        }
        if (count > 1 && sympos == 0) {
            klp.prErr("unresolvable ambiguity for symbol '" + name + "' in object '" + (objname == null ? "(null)" : objname) + "'");
            return null;
        }
        if (sympos > 0 && sympos != count) {
            klp.prErr("symbol position " + sympos + " for symbol '" + name + "' in object '" + (objname == null ? "vmlinux" : objname) + "' not found");
            return null;
        }
        return found;
    }

    // ---- init ----------------------------------------------------------------------------

    /** klp_find_object_module(): only a klp-alive module counts as loaded. */
    private void klpFindObjectModule(KlpObject obj) {
        if (!obj.isModule()) return;
        Module mod = m.modules.find(obj.name);
        if (mod != null && mod.klpAlive) obj.mod = mod;
    }

    /** klp_init_object_loaded(): resolve old_func, sizes, and nops' new_func. */
    int klpInitObjectLoaded(KlpPatch patch, KlpObject obj) {
        for (KlpFunc func : obj.funcList) {
            Symbol old = klpFindObjectSymbol(obj.name, func.oldName, func.oldSympos);
            if (old == null) return Errno.EINVAL.neg();
            func.oldFunc = old;
            if (old.size <= 0) {
                klp.prErr("kallsyms size lookup failed for '" + func.oldName + "'");
                return Errno.ENOENT.neg();
            }
            if (func.nop) func.newFunc = func.oldFunc;
            if (func.newFunc == null || func.newFunc.size <= 0) {
                klp.prErr("kallsyms size lookup failed for '" + func.oldName + "' replacement");
                return Errno.ENOENT.neg();
            }
        }
        return 0;
    }

    /** klp_init_func() */
    private int klpInitFunc(KlpObject obj, KlpFunc func) {
        if (func.oldName == null) return Errno.EINVAL.neg();
        if (func.newFunc == null && !func.nop) return Errno.EINVAL.neg();
        if (func.oldName.length() >= ksymNameLen()) return Errno.EINVAL.neg();
        func.patched = false;
        func.transition = false;
        return kobjectAddFunc(obj, func);
    }

    /** kobject_add() of a func directory: a name already in the object's directory is -EEXIST. */
    private int kobjectAddFunc(KlpObject obj, KlpFunc func) {
        if (!obj.kobjNames.add(func.kobjName())) {
            sysfsWarnDup("/kernel/livepatch/" + obj.patch.name() + "/" + obj.displayName() + "/" + func.kobjName(), func.kobjName());
            return Errno.EEXIST.neg();
        }
        func.kobjAdded = true;
        return 0;
    }

    private void sysfsWarnDup(String path, String kobjName) {
        m.printk.log(3, "sysfs: cannot create duplicate filename '" + path + "'");
        Warn.dumpStack(m);
        String prefix = m.options.profile.kobjectPrefix() ? "kobject: " : "";
        m.printk.log(3, prefix + "kobject_add_internal failed for " + kobjName
                + " with -EEXIST, don't try to register things with the same name in the same directory.");
    }

    /** klp_init_object() */
    private int klpInitObject(KlpPatch patch, KlpObject obj) {
        if (obj.isModule() && obj.name.length() >= MODULE_NAME_LEN) return Errno.EINVAL.neg();
        obj.patched = false;
        obj.mod = null;
        klpFindObjectModule(obj);
        for (KlpObject other : patch.objList) {
            if (other != obj && other.kobjAdded && other.displayName().equals(obj.displayName())) {
                sysfsWarnDup("/kernel/livepatch/" + patch.name() + "/" + obj.displayName(), obj.displayName());
                return Errno.EEXIST.neg();
            }
        }
        obj.kobjAdded = true;
        obj.kobjNames.clear();
        for (KlpFunc func : obj.funcList) {
            int ret = klpInitFunc(obj, func);
            if (ret != 0) return ret;
        }
        if (obj.isLoaded()) return klpInitObjectLoaded(patch, obj);
        return 0;
    }

    /** klp_init_patch_early(): build obj_list and func_list from the static arrays. */
    private void klpInitPatchEarly(KlpPatch patch) {
        patch.objList.clear();
        for (KlpObject obj : patch.objs) {
            obj.patch = patch;
            obj.dynamic = false;
            obj.funcList.clear();
            for (KlpFunc f : obj.funcs) {
                f.obj = obj;
                obj.funcList.add(f);
            }
            patch.objList.add(obj);
        }
        patch.enabled = false;
        patch.forced = false;
    }

    /** klp_init_patch(): sysfs, nops, symbol resolution, then onto klp_patches. */
    private int klpInitPatch(KlpPatch patch) {
        patch.kobjAdded = true;
        registered.add(patch);
        if (patch.replace) {
            int ret = klpAddNops(patch);
            if (ret != 0) return ret;
        }
        for (KlpObject obj : List.copyOf(patch.objList)) {
            int ret = klpInitObject(patch, obj);
            if (ret != 0) return ret;
        }
        klpPatches.add(patch);
        klp.state.recordInstalled(patch);
        return 0;
    }

    // ---- atomic replace: nops ------------------------------------------------------------

    private static KlpObject klpFindObject(KlpPatch patch, KlpObject oldObj) {
        for (KlpObject obj : patch.objList) {
            if (oldObj.isModule()) {
                if (obj.isModule() && obj.name.equals(oldObj.name)) return obj;
            } else if (!obj.isModule()) {
                return obj;
            }
        }
        return null;
    }

    /** klp_add_nops(): one nop for every function an older patch touches that this one does not. */
    private int klpAddNops(KlpPatch patch) {
        // klp_find_func() per old func, with each object's funcs indexed by (old_name, old_sympos)
        java.util.Map<KlpObject, java.util.Set<String>> present = new java.util.HashMap<>();
        for (KlpPatch old : klpPatches) {
            for (KlpObject oldObj : old.objList) {
                KlpObject obj = klpFindObject(patch, oldObj);
                if (obj == null) {
                    obj = new KlpObject(oldObj.name, List.of(), null);
                    obj.dynamic = true;
                    obj.patch = patch;
                    patch.objList.add(obj);
                }
                java.util.Set<String> have = present.computeIfAbsent(obj, o -> {
                    java.util.Set<String> s = new java.util.HashSet<>();
                    for (KlpFunc f : o.funcList) s.add(f.oldName + "\0" + f.oldSympos);
                    return s;
                });
                for (KlpFunc oldFunc : oldObj.funcList) {
                    if (!have.add(oldFunc.oldName + "\0" + oldFunc.oldSympos)) continue;
                    KlpFunc nop = new KlpFunc(oldFunc.oldName, null, oldFunc.oldSympos);
                    nop.nop = true;
                    nop.obj = obj;
                    obj.funcList.add(nop);
                    if (klp.tracing()) m.trace.emit(null, new TraceEvent.FuncStackOp(patch.name(), "nop", nop.oldName, 1, "'" + patch.name() + "': nop added for "
                            + nop.kobjName() + " (" + obj.displayName() + (obj.dynamic ? ", dynamic object" : "") + "), which '" + old.name() + "' patches"));
                }
            }
        }
        return 0;
    }

    /** klp_free_objects_dynamic() after klp_unpatch_objects_dynamic(). */
    void klpDiscardNops(KlpPatch patch) {
        klp.patch.klpUnpatchObjectsDynamic(patch);
        if (klp.tracing())
            for (KlpObject obj : patch.objList)
                for (KlpFunc f : obj.funcList)
                    if (f.nop) m.trace.emit(null, new TraceEvent.FuncStackOp(patch.name(), "nop", f.oldName, 0, "'" + patch.name() + "': nop for "
                            + f.kobjName() + " (" + obj.displayName() + ") discarded" + (obj.dynamic ? " with its dynamic object" : "")));
        patch.objList.removeIf(obj -> obj.dynamic);
        for (KlpObject obj : patch.objList) obj.funcList.removeIf(f -> f.nop);
    }

    /** klp_unpatch_replaced_patches(): no callbacks of the replaced patches run. */
    void klpUnpatchReplacedPatches(KlpPatch newPatch) {
        for (KlpPatch old : klpPatches) {
            if (old == newPatch) return;
            old.enabled = false;
            for (KlpObject o : old.objList) {
                if (o.callbacks.preUnpatch != null) traceSkip("pre_unpatch", o, "replaced by '" + newPatch.name() + "'");
                if (o.callbacks.postUnpatch != null) traceSkip("post_unpatch", o, "replaced by '" + newPatch.name() + "'");
            }
            klp.patch.klpUnpatchObjects(old);
        }
    }

    // ---- enable --------------------------------------------------------------------------

    /** klp_enable_patch(), called from a livepatch module's init. */
    public int klpEnablePatch(KlpPatch patch) {
        if (patch == null || patch.mod == null || patch.objs == null) return Errno.EINVAL.neg();
        for (KlpObject obj : patch.objs) if (obj == null || obj.funcs == null) return Errno.EINVAL.neg();
        // 7.x klp_check_patch(): a NULL old_name fails here, before the livepatch-module check
        // (6.12 finds it only in klp_init_func(), after that check and the compatibility one)
        if (m.options.profile.klpCheckPatchFirst())
            for (KlpObject obj : patch.objs)
                for (KlpFunc f : obj.funcs) if (f.oldName == null) return Errno.EINVAL.neg();
        if (!patch.mod.isLivepatch()) {
            klp.prErr("module " + patch.mod.name + " is not marked as a livepatch module");
            return Errno.EINVAL.neg();
        }
        if (!m.options.reliableStacks) {
            klp.prWarn("This architecture doesn't have support for the livepatch consistency model.");
            klp.prWarn("The livepatch transition may never complete.");
        }
        if (!klp.state.klpIsPatchCompatible(patch)) {
            klp.prErr("Livepatch patch (" + patch.name() + ") is not compatible with the already installed livepatches.");
            return Errno.EINVAL.neg();
        }
        if (!m.modules.tryModuleGet(patch.mod)) return Errno.ENODEV.neg();
        klpInitPatchEarly(patch);
        int ret = klpInitPatch(patch);
        if (ret == 0) ret = klpEnablePatchLocked(patch);
        if (ret != 0) {
            klpFreePatchStart(patch, "its enable failed");
            klpFreePatchFinish(patch);
        }
        return ret;
    }

    /** __klp_enable_patch(): pre-patch and patching interleave per object. */
    private int klpEnablePatchLocked(KlpPatch patch) {
        Transition tr = klp.transition;
        if (tr.klpTransitionPatch != null) return Errno.EBUSY.neg();
        if (patch.enabled) return Errno.EINVAL.neg();
        klp.prNotice("enabling patch '" + patch.name() + "'");
        tr.klpInitTransition(patch, Transition.KLP_TRANSITION_PATCHED);
        for (KlpObject obj : List.copyOf(patch.objList)) {
            if (!obj.isLoaded()) {
                if (obj.callbacks.prePatch != null) traceSkip("pre_patch", obj, "object not loaded");
                continue;
            }
            int ret = klpPrePatchCallback(obj);
            if (ret != 0) {
                klp.prWarn("pre-patch callback failed for object '" + obj.displayName() + "'");
                return enableFailed(patch, ret);
            }
            ret = klp.patch.klpPatchObject(obj);
            if (ret != 0) {
                klp.prWarn("failed to patch object '" + obj.displayName() + "'");
                return enableFailed(patch, ret);
            }
        }
        tr.klpStartTransition();
        patch.enabled = true;
        tr.klpTryCompleteTransition();
        return 0;
    }

    private int enableFailed(KlpPatch patch, int ret) {
        klp.prWarn("failed to enable patch '" + patch.name() + "'");
        klp.transition.klpCancelTransition();
        return ret;
    }

    // ---- a host's patches (a snapshot) ---------------------------------------------------

    /**
     * A patch that is already in use on a host being booted from a snapshot: initialized and
     * patched as klp_enable_patch() left it, with no callbacks, no transition of its own and
     * no log lines (they happened on the host, before the snapshot). Returns 0 or the errno
     * of the step that failed; a failed patch leaves nothing behind.
     */
    public int klpRestorePatch(KlpPatch patch, boolean enabled) {
        if (patch == null || patch.mod == null || patch.objs == null || !patch.mod.isLivepatch()) return Errno.EINVAL.neg();
        if (!m.modules.tryModuleGet(patch.mod)) return Errno.ENODEV.neg();
        klpInitPatchEarly(patch);
        int ret = klpInitPatch(patch);
        for (KlpObject obj : patch.objList) {
            if (ret != 0) break;
            if (obj.isLoaded()) ret = klp.patch.klpPatchObject(obj);
        }
        if (ret != 0) {
            klp.patch.klpUnpatchObjects(patch);
            klpFreePatchStart(patch, "it could not be restored from the snapshot");
            klpFreePatchFinish(patch);
            return ret;
        }
        patch.enabled = enabled;
        return 0;
    }

    // ---- disable and sysfs stores ----------------------------------------------------------

    /** __klp_disable_patch() */
    private int klpDisablePatch(KlpPatch patch) {
        Transition tr = klp.transition;
        if (!patch.enabled) return Errno.EINVAL.neg();
        if (tr.klpTransitionPatch != null) return Errno.EBUSY.neg();
        tr.klpInitTransition(patch, Transition.KLP_TRANSITION_UNPATCHED);
        for (KlpObject obj : List.copyOf(patch.objList)) if (obj.patched) klpPreUnpatchCallback(obj);
        tr.klpStartTransition();
        patch.enabled = false;
        tr.klpTryCompleteTransition();
        return 0;
    }

    /** enabled_store() */
    public int enabledStore(KlpPatch patch, String buf) {
        Boolean enabled = Kstrto.kstrtobool(buf, m.options.profile.kstrtoboolTF());
        if (enabled == null) return Errno.EINVAL.neg();
        if (!patch.kobjAdded) return Errno.ENOENT.neg();
        if (patch.enabled == enabled) return Errno.EINVAL.neg();
        if (patch == klp.transition.klpTransitionPatch) {
            klp.transition.klpReverseTransition();
            return 0;
        }
        if (!enabled) return klpDisablePatch(patch);
        return Errno.EINVAL.neg();
    }

    /** force_store() */
    public int forceStore(KlpPatch patch, String buf) {
        Boolean val = Kstrto.kstrtobool(buf, m.options.profile.kstrtoboolTF());
        if (val == null) return Errno.EINVAL.neg();
        if (!val) return 0;
        if (patch != klp.transition.klpTransitionPatch) return Errno.EINVAL.neg();
        klp.transition.klpForceTransition();
        return 0;
    }

    /** stack_order_show(): 1-based position in klp_patches. */
    public int stackOrder(KlpPatch patch) {
        int order = 0;
        for (KlpPatch p : klpPatches) {
            order++;
            if (p == patch) break;
        }
        return order;
    }

    // ---- freeing ---------------------------------------------------------------------------

    /** klp_free_patch_start(): off the list, object and func directories gone. */
    private void klpFreePatchStart(KlpPatch patch, String why) {
        if (klpPatches.remove(patch)) klp.state.recordRemoved(patch, why);
        for (KlpObject obj : patch.objList) {
            obj.kobjAdded = false;
            for (KlpFunc f : obj.funcList) f.kobjAdded = false;
        }
        patch.objList.removeIf(obj -> obj.dynamic);
        for (KlpObject obj : patch.objList) obj.funcList.removeIf(f -> f.nop);
    }

    /**
     * klpsim's memory, not the kernel's: the replacement functions of patches freed while
     * their module stays loaded (a forced patch's module never goes), each with the func it
     * replaced and why its patch went. A task can still be executing one (it was forced, or
     * sleeps in it); `klp stack` and `klp force` name such tasks (OldCode).
     */
    public record Retired(KlpFunc func, String patch, boolean forced) {}

    private final Map<Symbol, Retired> retired = new java.util.IdentityHashMap<>();

    /** The retired replacement {@code code} was, or null. */
    public Retired retired(Symbol code) {
        return retired.get(code);
    }

    /** klp_free_patch_finish(): the patch directory goes, then the module reference, unless forced. */
    private void klpFreePatchFinish(KlpPatch patch) {
        patch.kobjAdded = false;
        registered.remove(patch);
        for (KlpObject obj : patch.objList)
            for (KlpFunc f : obj.funcList) if (!f.nop && f.newFunc != null) retired.put(f.newFunc, new Retired(f, patch.name(), patch.forced));
        if (!patch.forced) m.modules.modulePut(patch.mod);
        else if (klp.tracing()) m.trace.module(m.current, patch.mod.name, "refcnt", patch.mod.refcnt,
                "refcnt stays " + patch.mod.refcnt + ": '" + patch.name() + "' was forced, its module can never be removed");
    }

    /** klp_free_patch_async(): the work item runs at once in the simulator. */
    void klpFreePatchAsync(KlpPatch patch) {
        klpFreePatchAsync(patch, "disabled");
    }

    private void klpFreePatchAsync(KlpPatch patch, String why) {
        klpFreePatchStart(patch, why);
        klpFreePatchFinish(patch);
    }

    void klpFreeReplacedPatchesAsync(KlpPatch newPatch) {
        for (KlpPatch old : List.copyOf(klpPatches)) {
            if (old == newPatch) return;
            klpFreePatchAsync(old, "replaced by '" + newPatch.name() + "'");
        }
    }

    // ---- module notifiers ------------------------------------------------------------------

    /** klp_module_coming(): patch the loading module's objects, oldest patch first. */
    public int klpModuleComing(Module mod) {
        if (mod.name.equals("vmlinux")) {
            klp.prErr("vmlinux.ko: invalid module name");
            return Errno.EINVAL.neg();
        }
        mod.klpAlive = true;
        for (KlpPatch patch : List.copyOf(klpPatches)) {
            for (KlpObject obj : List.copyOf(patch.objList)) {
                if (!obj.isModule() || !obj.name.equals(mod.name)) continue;
                obj.mod = mod;
                int ret = klpInitObjectLoaded(patch, obj);
                if (ret != 0) {
                    klp.prWarn("failed to initialize patch '" + patch.name() + "' for module '" + mod.name + "' (" + ret + ")");
                    return comingFailed(mod, patch, obj, ret);
                }
                klp.prNotice("applying patch '" + patch.name() + "' to loading module '" + mod.name + "'");
                ret = klpPrePatchCallback(obj);
                if (ret != 0) {
                    klp.prWarn("pre-patch callback failed for object '" + obj.name + "'");
                    return comingFailed(mod, patch, obj, ret);
                }
                ret = klp.patch.klpPatchObject(obj);
                if (ret != 0) {
                    klp.prWarn("failed to apply patch '" + patch.name() + "' to module '" + mod.name + "' (" + ret + ")");
                    klpPostUnpatchCallback(obj);
                    return comingFailed(mod, patch, obj, ret);
                }
                if (patch != klp.transition.klpTransitionPatch) klpPostPatchCallback(obj);
                else if (obj.callbacks.postPatch != null) traceSkip("post_patch", obj, "'" + patch.name() + "' is in transition; it runs at completion");
                break;
            }
        }
        return 0;
    }

    private int comingFailed(Module mod, KlpPatch patch, KlpObject obj, int ret) {
        klp.prWarn("patch '" + patch.name() + "' failed for module '" + mod.name + "', refusing to load module '" + mod.name + "'");
        mod.klpAlive = false;
        obj.mod = null;
        for (KlpFunc f : obj.funcList) {
            f.oldFunc = null;
            if (f.nop) f.newFunc = null;
        }
        klpCleanupModulePatchesLimited(mod, patch);
        return ret;
    }

    /** klp_module_going(): revert every patch's object for the departing module. */
    public void klpModuleGoing(Module mod) {
        mod.klpAlive = false;
        klpCleanupModulePatchesLimited(mod, null);
        // klpsim's shadow ledger, not the kernel's: a module loaded again is a new instance,
        // whose klp_shadow_get() of a variable the old one used is a question, not a read after free
        klp.shadow.moduleGone(mod.name);
    }

    /** klp_cleanup_module_patches_limited() */
    private void klpCleanupModulePatchesLimited(Module mod, KlpPatch limit) {
        for (KlpPatch patch : List.copyOf(klpPatches)) {
            if (patch == limit) break;
            for (KlpObject obj : List.copyOf(patch.objList)) {
                if (!obj.isModule() || !obj.name.equals(mod.name)) continue;
                if (patch != klp.transition.klpTransitionPatch) klpPreUnpatchCallback(obj);
                else if (obj.callbacks.preUnpatch != null) traceSkip("pre_unpatch", obj, "'" + patch.name() + "' is in transition");
                klp.prNotice("reverting patch '" + patch.name() + "' on unloading module '" + mod.name + "'");
                klp.patch.klpUnpatchObject(obj);
                klpPostUnpatchCallback(obj);
                klpFreeObjectLoaded(obj);
                break;
            }
        }
    }

    /** klp_free_object_loaded() */
    private static void klpFreeObjectLoaded(KlpObject obj) {
        obj.mod = null;
        for (KlpFunc f : obj.funcList) {
            f.oldFunc = null;
            if (f.nop) f.newFunc = null;
        }
    }
}
