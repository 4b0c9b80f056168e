package dev.klpsim.jsh;

import dev.klpsim.host.HostFile;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Compiled .jsh modules on disk, under {@code $XDG_CACHE_HOME/klpsim/jsh} (or
 * {@code ~/.cache/klpsim/jsh}), one file per key. The key hashes the source text, the class
 * name, klpsim's build and the Java version, so a changed source, a rebuilt klpsim or
 * another JDK never meets an old entry. Entries are written to a temporary file and renamed
 * into place (a reader sees a whole entry or none, whatever other processes do), and carry
 * a SHA-256 of their contents: an entry that does not check out is ignored and rewritten.
 * Only successful compilations are stored. The cache is an optimisation: any failure to
 * read or write it just means compiling.
 */
final class JshCache {
    private JshCache() {}

    private static final byte[] MAGIC = "klpsim-jsh-cache\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    /** No entry is larger (the classes of a 10,000-line module are well under 1 MiB). */
    static final long MAX_ENTRY = 64L << 20;

    /** Where entries go, or null when caching is off ({@code KLPSIM_JSH_CACHE=off}). */
    static Path dir() {
        String prop = System.getProperty("klpsim.cache.dir");
        if (prop != null) return prop.isEmpty() || prop.equals("off") ? null : Path.of(prop).resolve("jsh");
        if ("off".equals(System.getenv("KLPSIM_JSH_CACHE"))) return null;
        String xdg = System.getenv("XDG_CACHE_HOME");
        // the XDG base directory spec: a relative XDG_CACHE_HOME is invalid and ignored
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("klpsim").resolve("jsh");
    }

    private static String build;

    /** klpsim's version and build stamp, and the jar's size and time when running from one. */
    static synchronized String build() {
        if (build != null) return build;
        StringBuilder b = new StringBuilder();
        try (InputStream in = JshCache.class.getResourceAsStream("/klpsim-build.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            b.append(p.getProperty("version", "?")).append('/').append(p.getProperty("build", "?"));
        } catch (IOException e) {
            b.append("?");
        }
        for (String cp : JshEvaluator.hostClasspath().split(java.io.File.pathSeparator)) {
            Path p = Path.of(cp);
            try {
                if (Files.isRegularFile(p)) b.append('/').append(Files.size(p)).append('@').append(Files.getLastModifiedTime(p).toMillis());
            } catch (IOException | RuntimeException e) {
                b.append("/?");
            }
        }
        return build = b.toString();
    }

    static String key(String className, String source) {
        MessageDigest d = sha256();
        for (String part : new String[] {"format " + FORMAT, build(), System.getProperty("java.vm.name"), System.getProperty("java.version"), className, source}) {
            d.update(part.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** The entry for {@code key}, or null when there is none or it does not check out. */
    static CompiledJsh read(String key, String source) {
        Path dir = dir();
        if (dir == null) return null;
        byte[] all;
        try {
            // a FIFO, a link to /dev/zero or a huge sparse file put there is not an entry: checked before reading
            all = HostFile.readBytes(dir.resolve(key + ".jshc"), MAX_ENTRY);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (all.length < MAGIC.length + 32 || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) return null;
        MessageDigest d = sha256();
        d.update(all, 0, all.length - 32);
        if (!Arrays.equals(d.digest(), 0, 32, all, all.length - 32, all.length)) return null;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length, all.length - 32 - MAGIC.length))) {
            if (in.readInt() != FORMAT || !in.readUTF().equals(key)) return null;
            String className = in.readUTF();
            int n = in.readInt();
            if (n < 1 || n > 10_000) return null;
            Map<String, byte[]> classes = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int len = in.readInt();
                if (len < 0 || len > in.available()) return null;
                classes.put(name, in.readNBytes(len));
            }
            if (!classes.containsKey(className)) return null;
            return new CompiledJsh(className, classes, source);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Stores an entry: written beside its final name, then renamed over it in one step. */
    static void write(String key, CompiledJsh c) {
        Path dir = dir();
        if (dir == null) return;
        Path tmp = null;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.write(MAGIC);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(FORMAT);
            out.writeUTF(key);
            out.writeUTF(c.className);
            out.writeInt(c.classes.size());
            for (Map.Entry<String, byte[]> e : c.classes.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
            out.flush();
            bytes.write(sha256().digest(bytes.toByteArray()));
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, key, ".tmp");
            Files.write(tmp, bytes.toByteArray());
            try {
                Files.move(tmp, dir.resolve(key + ".jshc"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + ".jshc"), StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException | RuntimeException e) {
            // a read-only or full disk: the module still loads, it is just compiled next time too
        } finally {
            if (tmp != null) try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
