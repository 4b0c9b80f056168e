package dev.klpsim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * scripts/klpsim on a pseudo-terminal (util-linux {@code script}), as a user meets it: the
 * real JLine terminal, a prompt, typed lines. The prompt's moment is when JLine switches
 * bracketed paste on, which it does each time it starts reading a line.
 */
final class PtySession implements AutoCloseable {
    private static final byte[] PROMPT = "\u001b[?2004h".getBytes(StandardCharsets.US_ASCII);

    private final Process p;
    private final InputStream in;
    private final OutputStream out;
    private final long started = System.nanoTime();
    private int prompts;
    private int matched;

    /**
     * {@code scripts/klpsim} with no arguments, as a user starts it, on a terminal of the
     * user's type (xterm-256color when there is none); {@code home} stands in for the user's
     * home directory, so the session's history goes there, not into the user's.
     */
    PtySession(String launcher, Map<String, String> env, java.nio.file.Path home) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of("script", "-qfec", launcher, "/dev/null"));
        pb.environment().putAll(env);
        pb.environment().merge("TERM", "xterm-256color", (user, ours) -> user.isEmpty() || user.equals("dumb") ? ours : user);
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Duser.home=" + home);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_STATE_HOME");
        pb.redirectErrorStream(true);
        p = pb.start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(180, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        in = p.getInputStream();
        out = p.getOutputStream();
    }

    /** Whether the host has {@code script}. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("script", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Milliseconds from the start of the process to its first prompt. */
    double firstPrompt() throws IOException {
        awaitPrompt();
        return (System.nanoTime() - started) / 1e6;
    }

    /** Types a line and returns the milliseconds until the next prompt. */
    double type(String line) throws IOException {
        long t0 = System.nanoTime();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        awaitPrompt();
        return (System.nanoTime() - t0) / 1e6;
    }

    private void awaitPrompt() throws IOException {
        int want = prompts + 1;
        while (prompts < want) {
            int b = in.read();
            if (b < 0) throw new IOException("klpsim ended before its prompt");
            matched = b == (PROMPT[matched] & 0xff) ? matched + 1 : (b == (PROMPT[0] & 0xff) ? 1 : 0);
            if (matched == PROMPT.length) {
                prompts++;
                matched = 0;
            }
        }
    }

    @Override
    public void close() {
        try {
            out.write("exit\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            out.close();
            Thread drain = new Thread(() -> {
                try {
                    in.readAllBytes();
                } catch (IOException e) {
                    // the process is gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            p.destroyForcibly();
        }
    }
}
