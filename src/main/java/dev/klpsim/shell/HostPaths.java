package dev.klpsim.shell;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * The one rule for host paths. Only a few arguments name files on the host: module sources
 * (.jsh), {@code record FILE}, {@code trace export FILE}, {@code source FILE}, and
 * {@code --module-path}. They resolve against the directory klpsim was started in (never
 * the simulated working directory), and a failure names the reason as strerror does.
 * Every other path is on the simulated tree.
 */
public final class HostPaths {
    private HostPaths() {}

    /** The directory klpsim was started in. */
    public static Path startDirectory() {
        return Path.of("").toAbsolutePath();
    }

    public static Path resolve(String arg) {
        return startDirectory().resolve(arg).normalize();
    }

    /**
     * A host path written in a transcript read from {@code dir} (null: none): a relative one
     * is the transcript directory's when it names something there, else the current
     * directory's (transcripts written by hand from the project's root). The one rule for the
     * paths of a {@code #!} line and, with no {@code --host-dir}, of its commands.
     */
    public static Path inTranscript(Path dir, String arg) {
        Path p = Path.of(arg);
        if (p.isAbsolute()) return p.normalize();
        if (dir != null) {
            Path beside = dir.resolve(p).normalize();
            if (Files.exists(beside)) return beside;
        }
        return resolve(arg);
    }

    /** strerror's wording for why a host file operation failed. */
    public static String reason(Throwable e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof NotDirectoryException) return "Not a directory";
        if (e instanceof FileAlreadyExistsException) return "File exists";
        if (e instanceof DirectoryNotEmptyException) return "Directory not empty";
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof FileSystemException fse && fse.getReason() != null) m = fse.getReason();
        if (m.contains("Is a directory")) return "Is a directory";
        if (m.contains("Not a directory")) return "Not a directory";
        if (m.contains("Permission denied")) return "Permission denied";
        if (m.contains("No space left")) return "No space left on device";
        if (m.contains("Read-only file system")) return "Read-only file system";
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }

    /** Why {@code p} cannot be read as a file, or null when it can. */
    public static String unreadable(Path p) {
        if (!Files.exists(p)) return Files.isDirectory(p.getParent() == null ? p : p.getParent()) || p.getParent() == null
                ? "No such file or directory" : parentProblem(p);
        if (Files.isDirectory(p)) return "Is a directory";
        if (!Files.isReadable(p)) return "Permission denied";
        return null;
    }

    /** Why a file cannot be created or replaced at {@code p}, or null when it can. */
    public static String unwritable(Path p) {
        Path parent = p.getParent();
        if (parent != null && !Files.isDirectory(parent)) return parentProblem(p);
        if (Files.isDirectory(p)) return "Is a directory";
        if (Files.exists(p) ? !Files.isWritable(p) : parent != null && !Files.isWritable(parent)) return "Permission denied";
        return null;
    }

    private static String parentProblem(Path p) {
        for (Path q = p.getParent(); q != null; q = q.getParent()) {
            if (Files.isDirectory(q)) break;
            if (Files.exists(q)) return "Not a directory";
        }
        return "No such file or directory";
    }

    /** Why a module directory cannot be used, in strerror's words; null when it can. */
    public static String moduleDirProblem(String d) {
        Path p = resolve(d);
        if (!Files.exists(p)) return "No such file or directory";
        if (!Files.isDirectory(p)) return "Not a directory";
        if (!Files.isReadable(p) || !Files.isExecutable(p)) return "Permission denied";
        return null;
    }

    /** Reads a host text file; the IOException's message is the reason. */
    static String read(Path p) throws IOException {
        String why = unreadable(p);
        if (why != null) throw new IOException(why);
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new IOException(reason(e));
        }
    }
}
