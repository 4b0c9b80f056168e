package dev.klpsim.snapshot;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.ModuleSource;
import dev.klpsim.kernel.ModuleSpec;
import dev.klpsim.livepatch.KlpFunc;
import dev.klpsim.livepatch.KlpObject;
import dev.klpsim.livepatch.KlpPatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `klp preview --funcs F,G`: a livepatch that replaces just those functions with no-ops,
 * so that a preview asks only "who is in these functions right now".
 */
public final class FuncsPatch implements ModuleSource {
    public static final String NAME = "klp_preview_funcs";

    /** One function to patch: its object (null: vmlinux) and name. */
    public record Target(String object, String name) {
        @Override
        public String toString() {
            return name + " (" + (object == null ? "vmlinux" : object) + ")";
        }
    }

    private final List<Target> targets;
    /** Functions no kallsyms of the machine knows, which a host snapshot's vmlinux is assumed to have. */
    private final List<String> assumed;

    private FuncsPatch(List<Target> targets, List<String> assumed) {
        this.targets = targets;
        this.assumed = assumed;
    }

    public List<String> assumed() {
        return List.copyOf(assumed);
    }

    /**
     * Resolves {@code F,G,...} (each NAME or MODULE:NAME) on this machine. A name kallsyms
     * does not know is refused on klpsim's own machine; on a host snapshot, which lists only
     * the functions of its stacks and patches, it is taken as a vmlinux function that no
     * captured stack contains. Throws IllegalArgumentException with the message to print.
     */
    public static FuncsPatch of(Machine m, String list) {
        List<Target> ts = new ArrayList<>();
        List<String> assumed = new ArrayList<>();
        for (String w : list.split(",")) {
            String name = w.strip();
            if (name.isEmpty()) continue;
            String object = null;
            int colon = name.indexOf(':');
            if (colon >= 0) {
                object = name.substring(0, colon);
                name = name.substring(colon + 1);
                if (object.equals("vmlinux")) object = null;
            }
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) throw new IllegalArgumentException("'" + w.strip() + "' is not a function name");
            Target t = resolve(m, object, name);
            if (t == null) {
                if (Snapshots.of(m) == null || object != null)
                    throw new IllegalArgumentException("no function '" + name + "' in " + (object == null ? "kallsyms" : object) + " of this machine");
                t = new Target(null, name);
                assumed.add(name);
            }
            if (!ts.contains(t)) ts.add(t);
        }
        if (ts.isEmpty()) throw new IllegalArgumentException("--funcs needs function names: --funcs vfs_read,do_sys_poll");
        return new FuncsPatch(ts, assumed);
    }

    /** vmlinux first, then the modules that are not livepatches (a patch's own stand-ins are not targets). */
    private static Target resolve(Machine m, String object, String name) {
        if (object != null) return m.kallsyms.lookup(object, name) != null ? new Target(object, name) : null;
        if (m.kallsyms.lookup(null, name) != null) return new Target(null, name);
        for (var mod : m.modules.list())
            if (!mod.isLivepatch() && m.kallsyms.lookup(mod.name, name) != null) return new Target(mod.name, name);
        return null;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModuleSpec instantiate() {
        ModuleSpec spec = new ModuleSpec(NAME, true);
        spec.filename = "klp preview --funcs";
        spec.modinfo.put("description", "no-op replacements of " + String.join(", ", targets.stream().map(Target::name).toList()));
        for (Target t : targets) spec.functions.add(new ModuleSpec.Function("klp_preview_" + t.name(), 0x40, null));
        spec.init = (m, mod) -> {
            for (String a : assumed) if (m.kallsyms.lookup(null, a) == null) m.kallsyms.addVmlinux(a, HostBoot.UNKNOWN_SIZE, true, null);
            Map<String, List<KlpFunc>> byObject = new LinkedHashMap<>();
            for (Target t : targets) {
                KlpFunc f = new KlpFunc(t.name(), "klp_preview_" + t.name(), 0);
                f.newFunc = mod.symbol("klp_preview_" + t.name());
                byObject.computeIfAbsent(t.object() == null ? "" : t.object(), k -> new ArrayList<>()).add(f);
            }
            List<KlpObject> objs = new ArrayList<>();
            for (var e : byObject.entrySet()) objs.add(new KlpObject(e.getKey().isEmpty() ? null : e.getKey(), e.getValue(), null));
            return m.klp.core.klpEnablePatch(new KlpPatch(mod, objs, null, false));
        };
        return spec;
    }
}
