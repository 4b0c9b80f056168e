package dev.klpsim.kernel;

/** How a machine is booted (the options are parsed by dev.klpsim.shell.MachineArgs). */
public final class MachineOptions {
    public int cpus = 1;
    public Profile profile = Profile.DEFAULT;
    /** CONFIG_HAVE_RELIABLE_STACKTRACE */
    public boolean reliableStacks = true;
    /** --snapshot FILE: the host snapshot to boot (the file is read where the options are used). */
    public String snapshot;
    /** The host this machine boots into instead of klpsim's own boot tasks, or null. */
    public HostImage host;
    /**
     * --c-modules DIR: built-in modules whose NAME.c is in DIR (or in DIR/PROFILE) load from
     * that C source instead of their Java translation; null: none.
     */
    public String cModules;

    public MachineOptions copy() {
        MachineOptions o = new MachineOptions();
        o.cpus = cpus;
        o.profile = profile;
        o.reliableStacks = reliableStacks;
        o.snapshot = snapshot;
        o.host = host;
        o.cModules = cModules;
        return o;
    }
}
