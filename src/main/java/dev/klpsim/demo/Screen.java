package dev.klpsim.demo;

import dev.klpsim.cast.AsciiCast;
import dev.klpsim.cast.Sgr;

import java.io.PrintStream;

/** Where a demo is shown: the presenter's terminal or a pipe, and a recording when there is one. */
final class Screen {
    private final PrintStream out;
    private final boolean colour;
    private final AsciiCast cast;
    private final boolean castColour;
    final DemoClock clock;

    /**
     * @param colour     ANSI colours on {@code out} (a terminal, not a pipe)
     * @param cast       null: no recording
     * @param castColour colours in the recording (a recording is played on a terminal)
     */
    Screen(PrintStream out, boolean colour, AsciiCast cast, boolean castColour, DemoClock clock) {
        this.out = out;
        this.colour = colour;
        this.cast = cast;
        this.castColour = castColour;
        this.clock = clock;
    }

    void write(String text, String style) {
        out.print(Sgr.paint(text, style, colour));
        out.flush();
        if (cast != null) cast.output(clock.now(), Sgr.paint(text, style, castColour));
    }

    /** Switches to {@code sgr} (or back, with Sgr.RESET) for what follows: a command typed a key at a time is one styled run. */
    void style(String sgr) {
        if (colour) {
            out.print(sgr);
            out.flush();
        }
        if (cast != null && castColour) cast.output(clock.now(), sgr);
    }

    void write(String text) {
        write(text, null);
    }

    /** Whether there is a recording that typing should be timed for. */
    boolean recording() {
        return cast != null;
    }
}
