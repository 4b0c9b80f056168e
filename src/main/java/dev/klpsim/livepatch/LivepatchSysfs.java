package dev.klpsim.livepatch;

import dev.klpsim.kernel.Vfs;

import java.util.LinkedHashMap;
import java.util.Map;

/** /sys/kernel/livepatch (kernel/livepatch/core.c: the patch, object and func kobjects): built from the live object model on each lookup. */
public final class LivepatchSysfs {
    private final Livepatch klp;

    LivepatchSysfs(Livepatch klp) {
        this.klp = klp;
    }

    public void register(Vfs vfs) {
        vfs.root.dir("sys").dir("kernel").dir("livepatch").addDynamic(this::patchDirs);
    }

    private Map<String, Vfs.Node> patchDirs() {
        Map<String, Vfs.Node> out = new LinkedHashMap<>();
        for (KlpPatch p : klp.core.registered) out.put(p.name(), patchDir(p));
        return out;
    }

    private Vfs.Dir patchDir(KlpPatch p) {
        dev.klpsim.kernel.Profile profile = klp.machine.options.profile;
        Vfs.Dir d = new Vfs.Dir(0755);
        d.put("enabled", new Vfs.File(0644, () -> (p.enabled ? 1 : 0) + "\n", (data, append) -> klp.core.enabledStore(p, data)));
        d.put("transition", new Vfs.File(0444, () -> (p == klp.transition.klpTransitionPatch ? 1 : 0) + "\n", null));
        d.put("force", new Vfs.File(0200, null, (data, append) -> klp.core.forceStore(p, data)));
        if (profile.replaceAttr()) d.put("replace", new Vfs.File(0444, () -> (p.replace ? 1 : 0) + "\n", null));
        if (profile.stackOrderAttr()) d.put("stack_order", new Vfs.File(0444, () -> klp.core.stackOrder(p) + "\n", null));
        for (KlpObject obj : p.objList) {
            if (!obj.kobjAdded) continue;
            Vfs.Dir od = new Vfs.Dir(0755);
            if (profile.objectPatchedAttr()) od.put("patched", new Vfs.File(0444, () -> (obj.patched ? 1 : 0) + "\n", null));
            for (KlpFunc f : obj.funcList) if (f.kobjAdded) od.put(f.kobjName(), new Vfs.Dir(0755));
            d.put(obj.displayName(), od);
        }
        return d;
    }
}
