package dev.klpsim.shell;

import dev.klpsim.kernel.MachineOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * record FILE [--force] / record stop: saves the session as a transcript. The commands run
 * before `record` go in too, marked as setup, so the file verifies from a fresh boot.
 * The one command that writes a host file, and only the one named.
 */
@Command(name = "record", description = "save this session as a transcript (klpsim verify checks it)",
        footer = "With no FILE: the same as 'record status'.")
final class RecordCommand extends ShellCmd {
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the transcript to write when 'record stop' runs")
    String file;

    @Option(names = "--force", description = "overwrite FILE if it exists")
    boolean force;

    private static final class State {
        Path file;
        int startStep;
    }

    private static final java.util.WeakHashMap<Shell, State> STATES = new java.util.WeakHashMap<>();

    private State state() {
        return STATES.computeIfAbsent(inv.shell, s -> new State());
    }

    @Command(name = "status", description = "whether a recording is running, and where to")
    int status() {
        State st = state();
        inv.println(st.file == null ? "not recording" : "recording to " + st.file + " since command " + st.startStep);
        return 0;
    }

    @Command(name = "stop", description = "write the recording to its FILE")
    int stop() {
        State st = state();
        if (st.file == null) {
            inv.errln("record: not recording");
            return 1;
        }
        Path f = st.file;
        st.file = null;
        try {
            Files.writeString(f, render(inv.shell, st.startStep), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            inv.errln("record: cannot write " + f + ": " + e.getMessage());
            return 1;
        }
        inv.println("record: wrote " + f + " (" + inv.shell.session().size() + " commands); check it with: klpsim verify " + f);
        return 0;
    }

    @Override
    public Integer call() {
        if (file == null) {
            if (force) throw usageError("--force goes with a FILE");
            return status();
        }
        State st = state();
        List<String> files = List.of(file);
        if (st.file != null) {
            inv.errln("record: already recording to " + st.file + " (record stop first)");
            return 1;
        }
        Path f = Path.of(files.get(0)).toAbsolutePath().normalize();
        if (Files.exists(f) && !force) {
            inv.errln("record: " + files.get(0) + " exists; add --force to overwrite it");
            return 1;
        }
        if (f.getParent() != null && !Files.isDirectory(f.getParent())) {
            inv.errln("record: " + f.getParent() + ": No such directory");
            return 1;
        }
        st.file = f;
        st.startStep = inv.shell.session().size();
        inv.println("record: recording to " + f + "; 'record stop' writes it");
        return 0;
    }

    static String render(Shell sh, int startStep) {
        StringBuilder sb = new StringBuilder();
        List<String> opts = MachineArgs.header(sh.machine().options, sh.modulePath());
        if (!opts.isEmpty()) sb.append("#! ").append(String.join(" ", opts)).append('\n');
        sb.append("# recorded by klpsim\n");
        List<Session.Step> steps = sh.session().steps();
        for (int i = 0; i < steps.size(); i++) {
            if (i == 0 && startStep > 0) sb.append("# setup: the session before 'record', so that this file replays from boot\n");
            if (i == startStep && startStep > 0) sb.append("# recording starts here\n");
            sb.append("% ").append(steps.get(i).command()).append('\n');
            for (String l : steps.get(i).output()) sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
