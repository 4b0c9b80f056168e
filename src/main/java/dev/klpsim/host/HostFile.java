package dev.klpsim.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The one way klpsim reads a host file whole and writes one: reads only regular files
 * (a FIFO would block, {@code /dev/zero} never ends), of a bounded size checked before
 * reading and again while reading, decoded as strict UTF-8; writes go to a temporary file
 * beside the target and are then linked into place, so a file that appeared meanwhile is
 * never replaced and a failed write (a full disk) never leaves a truncated target. Every
 * failure is an {@link IOException} whose message is the reason as the system words it
 * (strerror, or "invalid UTF-8").
 */
public final class HostFile {
    private HostFile() {}

    /** The largest text file read whole: sources, scripts, transcripts. */
    public static final long MAX_TEXT = 64L << 20;

    /** The text of a regular file of at most {@code limit} bytes; the message says why not. */
    public static String readText(Path p, long limit) throws IOException {
        byte[] bytes = readBytes(p, limit);
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return d.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("invalid UTF-8" + firstBadByte(bytes));
        }
    }

    /** The bytes of a regular file of at most {@code limit} bytes; the message says why not. */
    public static byte[] readBytes(Path p, long limit) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);   // follows symlinks: /dev/zero behind a link is a device
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw new IOException(reason(e));
        }
        if (a.isDirectory()) throw new IOException("Is a directory");
        if (!a.isRegularFile()) throw new IOException("not a regular file");
        if (a.size() > limit) throw new IOException("File too large (" + a.size() + " bytes; at most " + limit + ")");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 16) + 1);
            if (b.length > limit) throw new IOException("File too large (it grew past " + limit + " bytes while read)");
            return b;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("File too large")) throw e;
            throw new IOException(reason(e));
        }
    }

    private static String firstBadByte(byte[] b) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length + 1);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        if (!r.isError()) return "";
        int line = 1;
        for (int i = 0; i < in.position(); i++) if (b[i] == '\n') line++;
        return " at line " + line + " (byte " + (in.position() + 1) + ")";
    }

    /**
     * Writes {@code text} to {@code target}: into a temporary file in the target's directory,
     * flushed to disk, then linked to the target's name, which fails with "File exists" when
     * anything appeared there meanwhile (unless {@code replace}: then renamed over it in one
     * step). On any failure the target is as it was and the temporary file is gone.
     */
    public static void writeNew(Path target, String text, boolean replace) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        } catch (IOException | InvalidPathException | SecurityException e) {
            throw new IOException(reason(e));
        }
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.SYNC)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            if (replace) {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try {
                    Files.createLink(target, tmp);   // link(2): fails with EEXIST, never replaces, never follows a symlink
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, target);          // no hard links here: rename, which checks first
                }
            }
        } catch (IOException | SecurityException e) {
            throw new IOException(reason(e));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** strerror's wording for why a host file operation failed. */
    public static String reason(Throwable e) {
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        if (e instanceof NotDirectoryException) return "Not a directory";
        if (e instanceof FileAlreadyExistsException) return "File exists";
        if (e instanceof DirectoryNotEmptyException) return "Directory not empty";
        if (e instanceof InvalidPathException) return "invalid file name (not valid in this locale's encoding)";
        if (e instanceof CharacterCodingException) return "invalid UTF-8";
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof FileSystemException fse && fse.getReason() != null) m = fse.getReason();
        if (m.contains("Is a directory")) return "Is a directory";
        if (m.contains("Not a directory")) return "Not a directory";
        if (m.contains("Permission denied")) return "Permission denied";
        if (m.contains("No space left")) return "No space left on device";
        if (m.contains("Read-only file system")) return "Read-only file system";
        if (m.contains("Disk quota exceeded")) return "Disk quota exceeded";
        if (m.startsWith("Input length =") || m.contains("Malformed input")) return "invalid UTF-8";
        return m.isEmpty() ? e.getClass().getSimpleName() : m;
    }
}
