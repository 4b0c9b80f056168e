package dev.klpsim.api;

import dev.klpsim.kernel.ModuleParam;

/** A module parameter as module code reads it; the value lives in the loaded module. */
public final class Param {
    private final ModuleParam p;

    Param(ModuleParam p) {
        this.p = p;
    }

    public int intValue() {
        return p.intValue();
    }

    public boolean boolValue() {
        return p.boolValue();
    }

    public String stringValue() {
        return p.stringValue();
    }

    public int[] intArray() {
        return p.intArray();
    }

    /** For an array parameter: how many elements were given. */
    public int count() {
        return p.count();
    }

    /**
     * Values worth loading the module with besides the default: `klp explore` loads it once
     * with each (e.g. {@code preRet.explore("-19")} for a failing pre-patch callback).
     */
    public Param explore(String... values) {
        p.exploreValues.addAll(java.util.List.of(values));
        return this;
    }

    /** Module code may change its own parameters, as C code writes the variable. */
    public void set(Object v) {
        p.set(String.valueOf(v instanceof Boolean b ? (b ? "Y" : "N") : v), true, line -> { });
    }
}
