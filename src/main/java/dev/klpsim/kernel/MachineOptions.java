package dev.klpsim.kernel;

/** How a machine is booted: the {@code #!} line of a transcript or the shell's options. */
public final class MachineOptions {
    public int cpus = 1;
    public Profile profile = Profile.DEFAULT;
    /** CONFIG_HAVE_RELIABLE_STACKTRACE */
    public boolean reliableStacks = true;
    /** --snapshot FILE: the host snapshot to boot (the file is read where the options are used). */
    public String snapshot;
    /** The host this machine boots into instead of klpsim's own boot tasks, or null. */
    public HostImage host;

    public MachineOptions copy() {
        MachineOptions o = new MachineOptions();
        o.cpus = cpus;
        o.profile = profile;
        o.reliableStacks = reliableStacks;
        o.snapshot = snapshot;
        o.host = host;
        return o;
    }

    /**
     * Parses machine options ({@code --cpus N}, {@code --kernel 5.10|6.12|mainline},
     * {@code --no-reliable-stacks}, {@code --snapshot FILE}); returns an error message or null.
     */
    public String parse(java.util.List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String val = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                val = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--cpus" -> {
                    if (val == null) {
                        if (i + 1 >= args.size()) return "option --cpus needs a number";
                        val = args.get(++i);
                    }
                    Integer n = Kstrto.kstrtoint(val);
                    if (n == null || n < 1 || n > 4096) return "invalid CPU count: " + val;
                    cpus = n;
                }
                case "--kernel" -> {
                    if (val == null) {
                        if (i + 1 >= args.size()) return "option --kernel needs a profile (" + String.join(", ", Profile.names()) + ")";
                        val = args.get(++i);
                    }
                    Profile p = Profile.parse(val);
                    if (p == null) return "unknown kernel profile: " + val + " (known: " + String.join(", ", Profile.names()) + ")";
                    profile = p;
                }
                case "--no-reliable-stacks" -> reliableStacks = false;
                case "--snapshot" -> {
                    if (val == null) {
                        if (i + 1 >= args.size()) return "option --snapshot needs a file (written by scripts/klp-snapshot)";
                        val = args.get(++i);
                    }
                    snapshot = val;
                }
                default -> {
                    return "unknown machine option: " + args.get(i);
                }
            }
        }
        return null;
    }
}
