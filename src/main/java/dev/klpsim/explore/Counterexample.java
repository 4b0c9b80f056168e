package dev.klpsim.explore;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Shell;
import dev.klpsim.transcript.CapturingOutput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A violation explore found, as a transcript: the setup commands and the steps typed into a
 * shell on a fresh machine (the machine options in the {@code #!} line), each with what
 * klpsim printed, and a comment naming the violated property. The steps are shrunk first
 * (steps dropped while the same property still breaks, checked by replaying the commands in
 * a shell), so the file is the shortest session that shows the bug and `klpsim verify`
 * replays it as a regression test.
 */
public final class Counterexample {
    /** Where the commands run: machine options, module path, and the commands before the steps. */
    /**
     * Where a counterexample starts: the machine options, module path, the session's commands
     * before explore, and {@code hostDir}, the directory its relative host paths resolve
     * against (the working directory of klpsim explore, the session's for klp explore).
     */
    public record Context(MachineOptions options, List<String> modulePath, List<String> setup, Path hostDir) {
        public Context(MachineOptions options, List<String> modulePath, List<String> setup) {
            this(options, modulePath, setup, Path.of("").toAbsolutePath());
        }
    }

    private Counterexample() {}

    /**
     * Replays setup + {@code steps} in a shell on a fresh machine, checking after each step;
     * the first violation of {@code property} (any when null), or null.
     */
    public static Checks.Violation replay(Context ctx, List<String> steps, String property) {
        Shell sh = shell(ctx, new CapturingOutput());
        try {
            for (String c : ctx.setup()) sh.execute(c);
            Checks checks = new Checks(sh.machine());
            checks.check();
            for (String c : steps) {
                sh.execute(c);
                for (Checks.Violation v : checks.check()) if (property == null || v.property().equals(property)) return v;
            }
            return null;
        } finally {
            sh.close();
        }
    }

    private static Shell shell(Context ctx, CapturingOutput out) {
        Machine m = new Machine(ctx.options());
        BuiltinModules.registerAll(m);
        Shell sh = new Shell(m, out);
        sh.modulePath().addAll(ctx.modulePath());
        sh.hostDir(ctx.hostDir());
        return sh;
    }

    /** The steps, shrunk while the shell replay still breaks {@code property}. */
    public static List<String> shrink(Context ctx, List<String> steps, String property) {
        if (replay(ctx, steps, property) == null) return steps;
        return Shrink.shrink(steps, c -> replay(ctx, c, property) != null);
    }

    /**
     * The transcript text of setup + steps, with a header naming the violation, for a file
     * written in {@code outDir} (null: no file yet). Its {@code #!} line is a recording's
     * (Shell.replayHeader: every host path relative to the file, --host-dir when a command
     * names a relative host path), so it verifies from any directory.
     */
    public static String transcript(Context ctx, List<String> steps, Checks.Violation v, String origin, Path outDir) {
        StringBuilder sb = new StringBuilder();
        sb.append("# klpsim-only: a counterexample ").append(origin).append(" found (klpsim's machine and modules; not checked on a real kernel)\n");
        sb.append("# violated: ").append(v.property()).append(" (").append(Checks.PROPERTIES.get(v.property())).append(")\n");
        sb.append("#   ").append(v.message()).append('\n');
        CapturingOutput out = new CapturingOutput();
        Shell sh = shell(ctx, out);
        try {
            List<String> all = new ArrayList<>(ctx.setup());
            all.addAll(steps);
            for (int i = 0; i < all.size(); i++) {
                if (i == 0 && !ctx.setup().isEmpty()) sb.append("# setup: the session before explore\n");
                if (i == ctx.setup().size()) sb.append("# the steps explore found\n");
                sh.execute(all.get(i));
                sb.append("% ").append(all.get(i)).append('\n');
                for (String l : out.drainLines()) sb.append(l).append('\n');
            }
            String header = outDir == null ? String.join(" ", dev.klpsim.shell.MachineArgs.header(ctx.options(), ctx.modulePath()))
                    : sh.replayHeader(outDir.toAbsolutePath().normalize());
            if (!header.isEmpty()) sb.insert(0, header.startsWith("#!") ? header : "#! " + header + "\n");
        } finally {
            sh.close();
        }
        return sb.toString();
    }

    /** Writes the transcript to a new file in {@code dir} named after the property (never over an existing file). */
    public static Path write(Path dir, String property, String text) throws IOException {
        Files.createDirectories(dir);
        for (int n = 1; ; n++) {
            Path f = dir.resolve(property + (n == 1 ? "" : "-" + n) + ".klpt");
            try {
                Files.writeString(f, text, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                return f;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: try the next number
            }
        }
    }
}
