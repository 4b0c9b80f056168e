package dev.klpsim.explore;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options klp explore and klpsim explore share (a picocli mixin): one definition of each. */
public final class ExploreOptions {
    @Option(names = "--depth", paramLabel = "N", defaultValue = "4", description = "explore every order of at most N steps (default ${DEFAULT-VALUE})")
    public int depth = 4;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "explore-out", description = "where counterexample transcripts go (default ${DEFAULT-VALUE})")
    public String out = "explore-out";

    @Option(names = "--all", description = "explore to the full depth and report every distinct violation, not only the first")
    public boolean all;

    @Option(names = "--random", paramLabel = "N", description = "instead of every order, N random orders of --depth steps")
    public Integer random;

    /** The number of --random runs; 0 without --random (every order). */
    public int runs() {
        return random == null ? 0 : random;
    }

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of --random (default ${DEFAULT-VALUE})")
    public long seed = 1;

    @Option(names = "--task", paramLabel = "FUNC[,FUNC...][:kthread][:uninterruptible]",
            description = "a blocking task explore may spawn (sleeping in these functions), wake and kill; repeatable")
    public List<String> tasks = new ArrayList<>();

    @Option(names = "--jobs", paramLabel = "N", description = "threads (default: every core)")
    public int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--without", split = ",", paramLabel = "ACTION",
            description = "leave actions out of the alphabet: load, rmmod, disable, enable, force, sleep, spawn, wake, kill, read")
    public List<String> without = new ArrayList<>();

    /** The actions --without names. */
    public java.util.Set<Step.Kind> withoutKinds() {
        java.util.Set<Step.Kind> out = java.util.EnumSet.noneOf(Step.Kind.class);
        for (String w : without) out.add(Step.Kind.valueOf(w.toUpperCase(java.util.Locale.ROOT)));
        return out;
    }

    /** A usage error in the values, or null. */
    public String validate() {
        if (depth < 1 || depth > 50) return "--depth must be 1..50";
        // --random 0 used to run the exhaustive search without a word
        if (random != null && random < 1) return "--random must be at least 1";
        if (jobs < 1 || jobs > 256) return "--jobs must be 1..256";
        for (String t : tasks) if (taskSpec(t, 0) == null) return "bad --task '" + t + "': FUNC[,FUNC...][:kthread][:uninterruptible]";
        for (String w : without)
            if (java.util.Arrays.stream(Step.Kind.values()).noneMatch(k -> k.name().equalsIgnoreCase(w)))
                return "bad --without '" + w + "': load, rmmod, disable, enable, force, sleep, spawn, wake, kill or read";
        return null;
    }

    /** The i-th --task as a spawn the alphabet knows. */
    public static Alphabet.TaskSpec taskSpec(String s, int i) {
        String[] parts = s.split(":");
        if (parts.length == 0 || parts[0].isBlank()) return null;
        boolean kthread = false, unint = false;
        for (int k = 1; k < parts.length; k++) {
            switch (parts[k]) {
                case "kthread" -> kthread = true;
                case "uninterruptible" -> unint = true;
                default -> {
                    return null;
                }
            }
        }
        List<String> fns = new ArrayList<>();
        for (String f : parts[0].split(",")) {
            if (!f.matches("[A-Za-z_][A-Za-z0-9_.]*")) return null;
            fns.add(f);
        }
        return new Alphabet.TaskSpec(i == 0 ? "blocker" : "blocker" + (i + 1), fns, kthread, unint);
    }
}
