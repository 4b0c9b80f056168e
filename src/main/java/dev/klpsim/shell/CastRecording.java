package dev.klpsim.shell;

import dev.klpsim.cast.AsciiCast;
import dev.klpsim.cast.Sgr;
import dev.klpsim.kernel.Printk;

import java.io.IOException;
import java.nio.file.Path;

/**
 * record --cast FILE.cast: the session as its terminal showed it, in asciinema's asciicast v2
 * format, timed as it happened: the prompt, each command line when it was entered, what it
 * printed, in the terminal's colours. The header's idle_time_limit (2 s) lets a player
 * shorten the pauses where the user was thinking.
 */
final class CastRecording implements Session.Watcher {
    /** Pauses longer than this play as this long (asciinema's idle_time_limit). */
    static final double IDLE_TIME_LIMIT = 2.0;

    private final Shell sh;
    private final AsciiCast cast;
    private final long start = System.nanoTime();
    private final boolean colour = System.getenv("NO_COLOR") == null;

    private CastRecording(Shell sh, AsciiCast cast) {
        this.sh = sh;
        this.cast = cast;
    }

    /** Creates {@code file} with its header; {@link #attach} starts the recording. */
    static CastRecording create(Shell sh, Path file) throws IOException {
        Output o = sh.output();
        AsciiCast c = AsciiCast.create(file, new AsciiCast.Header(o.columns(), o.rows(), System.currentTimeMillis() / 1000,
                "klpsim: " + file.getFileName(), IDLE_TIME_LIMIT));
        return new CastRecording(sh, c);
    }

    /** From the end of the command running now (record --cast, whose own output is not part of it): the prompt comes first. */
    void attach() {
        sh.session().watch(this);
    }

    Path file() {
        return cast.file();
    }

    /** Ends the recording and writes what is left; throws when the file is incomplete. */
    double stop() throws IOException {
        sh.session().watch(null);
        cast.close();
        return cast.duration();
    }

    private void write(String text, String style) {
        cast.output((System.nanoTime() - start) / 1e9, Sgr.paint(text, style, colour));
    }

    @Override
    public void command(String line) {
        write(line + "\n", null);
    }

    @Override
    public void prompt() {
        write(Interactive.prompt(sh.machine()), null);
    }

    @Override
    public void stdout(String text) {
        write(text, null);
    }

    @Override
    public void stderr(String text) {
        write(text, Sgr.STDERR);
    }

    @Override
    public void kernel(Printk.Record r) {
        write(r.text() + "\n", Sgr.kernel(r.level()));
    }

    @Override
    public void trace(dev.klpsim.kernel.Trace.Event e) {
        write(e.consoleLine() + "\n", Sgr.TRACE);
    }
}
