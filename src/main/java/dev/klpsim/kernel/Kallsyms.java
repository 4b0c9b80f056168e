package dev.klpsim.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The kernel symbol table: vmlinux's functions and those of each loaded module, in address order. */
public final class Kallsyms {
    private static final long VMLINUX_BASE = 0xffffffff81000000L;
    private static final long MODULES_BASE = 0xffffffffc0000000L;
    private static final long MODULE_SPAN = 0x10000L;

    private final List<Symbol> vmlinux = new ArrayList<>();
    /** name -> occurrences in kallsyms order, per object ("" for vmlinux): one lookup per symbol search. */
    private final Map<String, Map<String, List<Symbol>>> byName = new java.util.HashMap<>();
    private final Map<String, List<Symbol>> modules = new LinkedHashMap<>();
    private final Map<String, Long> moduleBase = new LinkedHashMap<>();
    private final List<Symbol> byId = new ArrayList<>();
    private long nextVmlinux = VMLINUX_BASE;
    private long nextModuleSlot = MODULES_BASE + 0xa00000L;

    public Symbol addVmlinux(String name, long size, boolean traceable, KFunction body) {
        Symbol s = new Symbol(byId.size(), null, name, nextVmlinux, size, traceable, body);
        nextVmlinux += align(size);
        vmlinux.add(s);
        byId.add(s);
        index("", s);
        return s;
    }

    /** Lays out a module's functions; the module's base address is stable for its name within a boot. */
    public Symbol addModule(String module, String name, long size, KFunction body) {
        List<Symbol> list = modules.computeIfAbsent(module, k -> new ArrayList<>());
        long base = moduleBase.computeIfAbsent(module, k -> {
            long b = nextModuleSlot;
            nextModuleSlot += MODULE_SPAN;
            return b;
        });
        long addr = list.isEmpty() ? base : list.get(list.size() - 1).addr + align(list.get(list.size() - 1).size);
        Symbol s = new Symbol(byId.size(), module, name, addr, size, true, body);
        list.add(s);
        byId.add(s);
        index(module, s);
        return s;
    }

    private void index(String object, Symbol s) {
        byName.computeIfAbsent(object, k -> new java.util.HashMap<>()).computeIfAbsent(s.name, k -> new ArrayList<>(1)).add(s);
    }

    public void removeModule(String module) {
        modules.remove(module);
        byName.remove(module);
    }

    /** Every symbol of that name in one object (null or "vmlinux" for vmlinux), in kallsyms order. */
    public List<Symbol> occurrences(String object, String name) {
        String key = object == null || object.equals("vmlinux") ? "" : object;
        Map<String, List<Symbol>> m = byName.get(key);
        if (m == null) return List.of();
        List<Symbol> l = m.get(name);
        return l == null ? List.of() : l;
    }

    private static long align(long size) {
        return (size + 15) & ~15L;
    }

    /** Symbols of one object (null or "vmlinux" for vmlinux), in kallsyms order. */
    public List<Symbol> objectSymbols(String object) {
        if (object == null || object.equals("vmlinux")) return vmlinux;
        return modules.getOrDefault(object, List.of());
    }

    /** The first symbol of that name in that object, or null. */
    public Symbol lookup(String object, String name) {
        List<Symbol> l = occurrences(object, name);
        return l.isEmpty() ? null : l.get(0);
    }

    /** The first symbol of that name anywhere: vmlinux first, then modules in load order. */
    public Symbol lookupAny(String name) {
        Symbol s = lookup(null, name);
        if (s != null) return s;
        for (String mod : modules.keySet()) {
            s = lookup(mod, name);
            if (s != null) return s;
        }
        return null;
    }

    /** How many ids have been handed out (removed modules' symbols keep theirs). */
    public int size() {
        return byId.size();
    }

    public Symbol byId(int id) {
        return byId.get(id);
    }

    /** All live symbols: vmlinux then each module. */
    public List<Symbol> all() {
        List<Symbol> out = new ArrayList<>(vmlinux);
        for (List<Symbol> l : modules.values()) out.addAll(l);
        return out;
    }

    /** The /proc/kallsyms text. */
    public String procText() {
        StringBuilder sb = new StringBuilder();
        for (Symbol s : all()) {
            sb.append(String.format("%016x %s %s", s.addr, s.owner == null ? "T" : "t", s.name));
            if (s.owner != null) sb.append("\t[").append(s.owner).append(']');
            sb.append('\n');
        }
        return sb.toString();
    }
}
