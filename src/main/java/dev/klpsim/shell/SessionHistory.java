package dev.klpsim.shell;

import dev.klpsim.host.HostFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import org.jline.reader.impl.history.DefaultHistory;

/**
 * The interactive shell's history file, kept as bash keeps ~/.bash_history: private to the
 * user (mode 0600, as bash creates it), and a file that cannot be read or written costs the
 * user one line of explanation, not JLine's stack trace at every command. The history then
 * lives for the session only.
 */
public final class SessionHistory extends DefaultHistory {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private final Path file;
    private final PrintStream err;
    private boolean failed;

    public SessionHistory(Path file, PrintStream err) {
        this.file = file;
        this.err = err;
    }

    /**
     * Where the history is kept: {@code $XDG_STATE_HOME/klpsim/history} when that variable
     * names a directory path, else {@code $HOME/.klpsim_history} (the environment's home, as
     * bash's HISTFILE default, not the password database's).
     */
    public static Path location(Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        if (state != null && state.startsWith("/")) return Path.of(state, "klpsim", "history");
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) home = System.getProperty("user.home");
        return Path.of(home, ".klpsim_history");
    }

    /** Creates the file (and its directory) private to the user when missing. */
    private void createPrivately() throws IOException {
        if (Files.exists(file)) return;
        Path dir = file.toAbsolutePath().getParent();
        // open(2) of a path under a regular file fails with ENOTDIR; mkdir of it would say EEXIST
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) throw new java.nio.file.NotDirectoryException(dir.toString());
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PRIVATE));
    }

    @Override
    public void load() throws IOException {
        try {
            createPrivately();
            super.load();
        } catch (IOException | RuntimeException e) {
            report(e);
        }
    }

    @Override
    public void save() throws IOException {
        if (failed) return;
        try {
            createPrivately();
            super.save();
            // JLine trims an overlong file by writing a new one and renaming it over the old one
            if (!PRIVATE.equals(Files.getPosixFilePermissions(file))) Files.setPosixFilePermissions(file, PRIVATE);
        } catch (IOException | RuntimeException e) {
            report(e);
        }
    }

    /** Whether the file failed once (the history is then the session's alone). */
    public boolean failed() {
        return failed;
    }

    private void report(Exception e) {
        if (failed) return;
        failed = true;
        err.println("klpsim: history file " + file + ": " + HostFile.reason(e) + " (history kept for this session only)");
    }
}
