package dev.klpsim.demo;

import dev.klpsim.cast.AsciiCast;
import dev.klpsim.shell.Output;
import dev.klpsim.shell.Shell;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One presenter-mode run on this process's terminal or pipe: its screen, its keys, its
 * recording. Colours when standard output is a terminal (and NO_COLOR is not set), none in
 * a pipe; a recording has them unless NO_COLOR is set. Step mode reads keys from the
 * terminal, or from standard input when that is a pipe.
 */
public final class Demo implements Closeable {
    /** The size a recording gets when there is no terminal to take it from. */
    static final int WIDTH = 100;
    static final int HEIGHT = 30;

    private final Terminal terminal;
    private final Screen screen;
    private final DemoOutput output;
    private final AsciiCast cast;
    private final Presenter.Options options;
    private final Keys keys;
    private final PrintStream out;

    private Demo(Terminal terminal, Screen screen, AsciiCast cast, Presenter.Options options, Keys keys, PrintStream out) {
        this.terminal = terminal;
        this.screen = screen;
        this.output = new DemoOutput(screen);
        this.cast = cast;
        this.options = options;
        this.keys = keys;
        this.out = out;
    }

    /** Opens the demo's screen on standard output, and the recording {@code castFile} (null: none), replaced if it exists. */
    public static Demo open(Presenter.Options o, Path castFile, String title, PrintStream out) throws IOException {
        boolean tty = System.console() != null;
        boolean noColor = System.getenv("NO_COLOR") != null;
        Terminal t = null;
        int width = WIDTH, height = HEIGHT;
        if (tty) {
            t = TerminalBuilder.builder().system(true).dumb(true).build();
            if (t.getWidth() > 0 && t.getHeight() > 0) {
                width = t.getWidth();
                height = t.getHeight();
            }
        }
        boolean colour = tty && !noColor && !Terminal.TYPE_DUMB.equals(t.getType()) && !Terminal.TYPE_DUMB_COLOR.equals(t.getType());
        AsciiCast cast = castFile == null ? null
                : AsciiCast.create(castFile, new AsciiCast.Header(width, height, System.currentTimeMillis() / 1000, title, null));
        Screen screen = new Screen(out, colour, cast, !noColor, new DemoClock(o.pace(), o.speed()));
        Keys keys = tty ? Keys.of(t) : Keys.of(System.in);
        return new Demo(t, screen, cast, o, keys, out);
    }

    /** The output to build the demo's shell with. */
    public Output output() {
        return output;
    }

    /** Presents {@code script} on {@code sh} (built with {@link #output()}); {@code file} names it in messages. */
    public int present(Shell sh, DemoScript script, String file) {
        return new Presenter(sh, screen, output, keys, options).run(script, file);
    }

    /** Closes the recording; says where it went, or that it is incomplete. Returns false when it could not be written whole. */
    public boolean finish(PrintStream err) {
        boolean ok = true;
        if (cast != null) {
            try {
                cast.close();
                err.printf("klpsim: recorded %s (%.1f s); play it with: asciinema play %s%n", cast.file(), cast.duration(), cast.file());
            } catch (IOException e) {
                err.println("klpsim: cannot write " + cast.file() + ": " + e.getMessage() + " (the recording is incomplete)");
                ok = false;
            }
        }
        return ok;
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (terminal != null) terminal.close();
    }
}
