package dev.klpsim.shell;

import dev.klpsim.kernel.Kstrto;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Profile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/**
 * How a machine is booted, as options: one definition for the klpsim command line (a
 * picocli mixin), a transcript's {@code #!} line ({@link #parseHeader}) and what
 * {@code record} writes ({@link #header}), so the three never disagree.
 */
public final class MachineArgs {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    public final MachineOptions options = new MachineOptions();
    @Option(names = "--module-path", paramLabel = "DIR", description = "where modprobe looks for NAME.jsh modules (repeatable; after KLPSIM_MODULE_PATH)")
    public List<String> modulePath = new ArrayList<>();

    // a field, not a method option: picocli orders method options as reflection lists them,
    // which changes from one compile to the next (and the generated completion with it)
    @Option(names = "--c-modules", paramLabel = "DIR", description = "load the built-in modules whose NAME.c is in DIR (or DIR/PROFILE) from that C source instead of klpsim's Java translation")
    java.io.File cModules; // a host directory: typed File so that the generated bash completion completes file names

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs of the simulated machine, 1..4096 (default 1)")
    void cpus(String v) {
        Integer n = Kstrto.kstrtoint(v);
        if (n == null || n < 1 || n > 4096) throw new ParameterException(mixee.commandLine(), "invalid CPU count: " + v);
        options.cpus = n;
    }

    /** The profile names, for completion (bash and the shell alike). */
    static final class ProfileNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Profile.names().iterator();
        }
    }

    @Option(names = "--kernel", paramLabel = "PROFILE", completionCandidates = ProfileNames.class, description = "the kernel it behaves as: 5.10, 6.12, 7.3 (also called mainline and current) or spec (the default: the spec's kernel, 6.12 with stack_order)")
    void kernel(String v) {
        Profile p = Profile.parse(v);
        if (p == null) throw new ParameterException(mixee.commandLine(), "unknown kernel profile: " + v + " (known: " + String.join(", ", Profile.names()) + ")");
        options.profile = p;
    }

    @Option(names = "--no-reliable-stacks", description = "a machine without CONFIG_HAVE_RELIABLE_STACKTRACE")
    void noReliableStacks(boolean b) {
        options.reliableStacks = !b;
    }

    @Option(names = "--snapshot", paramLabel = "FILE", description = "boot a real host's state, as scripts/klp-snapshot captured it (its CPUs and kernel come with it)")
    void snapshot(java.io.File file) { // a host file: typed File so that the generated bash completion completes file names
        options.snapshot = file.getPath();
    }

    /**
     * A transcript's {@code #!} line only: the directory its commands' relative host paths
     * resolve against, relative to the transcript (record writes it: the directory the
     * session was started in). On a command line that directory is the current one.
     */
    public String hostDir;

    /** Reads the --snapshot file into the options; throws IllegalArgumentException when it cannot be used. */
    public MachineOptions attachSnapshot() {
        return attachSnapshot(java.nio.file.Path::of);
    }

    /** The same, reading the file {@code resolve} makes of the path as written (a transcript's rule). */
    public MachineOptions attachSnapshot(java.util.function.Function<String, java.nio.file.Path> resolve) {
        if (cModules != null) options.cModules = cModules.getPath();
        if (options.snapshot != null) {
            try {
                dev.klpsim.snapshot.Snapshots.attach(options, options.snapshot, resolve.apply(options.snapshot));
            } catch (dev.klpsim.snapshot.Snapshots.Unusable e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        return options;
    }

    /** A transcript's header, parsed with these same options. */
    @Command(name = "#!")
    private static final class Header {
        @Mixin
        MachineArgs machine;

        @Option(names = "--host-dir", paramLabel = "DIR", description = "where the commands' relative host paths start, relative to the transcript")
        String hostDir;
    }

    /** Parses the words of a {@code #!} line; throws IllegalArgumentException with the reason. */
    public static MachineArgs parseHeader(List<String> words) {
        Header h = new Header();
        try {
            new CommandLine(h).setExpandAtFiles(false).parseArgs(words.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        h.machine.hostDir = h.hostDir;
        return h.machine;
    }

    /** The options that boot a machine like {@code o} (defaults left out): a {@code #!} line's words. */
    public static List<String> header(MachineOptions o, List<String> modulePath) {
        return header(o, modulePath, o.host == null ? null : o.host.source(), null);
    }

    /**
     * The same with the snapshot file and the host directory written as given (record writes
     * them relative to the transcript); {@code hostDir} null leaves --host-dir out.
     */
    public static List<String> header(MachineOptions o, List<String> modulePath, String snapshot, String hostDir) {
        List<String> opts = new ArrayList<>();
        if (o.host == null) {
            // a snapshot gives the CPUs and the kernel: its option stands for them
            if (o.cpus != 1) opts.add("--cpus " + o.cpus);
            if (o.profile != Profile.DEFAULT) opts.add("--kernel " + o.profile.option);
        }
        if (!o.reliableStacks) opts.add("--no-reliable-stacks");
        // host paths as shell words: a path with a space in it is quoted (Transcript reads them so)
        if (o.host != null) opts.add("--snapshot " + ShellSyntax.quote(snapshot));
        for (String d : modulePath) opts.add("--module-path " + ShellSyntax.quote(d));
        if (o.cModules != null) opts.add("--c-modules " + ShellSyntax.quote(o.cModules));
        if (hostDir != null) opts.add("--host-dir " + ShellSyntax.quote(hostDir));
        return opts;
    }
}
