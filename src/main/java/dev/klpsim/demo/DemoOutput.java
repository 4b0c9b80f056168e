package dev.klpsim.demo;

import dev.klpsim.cast.Sgr;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.Printk;
import dev.klpsim.kernel.Trace;
import dev.klpsim.shell.Output;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A demo's shell output: shown on the screen in the interactive shell's colours, each piece
 * when the simulated clock reaches it (so a kernel line that a {@code sleep 5} brings comes
 * five paced seconds in), and kept for comparison with what a transcript expects.
 */
final class DemoOutput implements Output {
    private final Screen screen;
    private Supplier<Machine> machine;
    private long mark;
    private final StringBuilder text = new StringBuilder();

    DemoOutput(Screen screen) {
        this.screen = screen;
    }

    void machine(Supplier<Machine> m) {
        machine = m;
    }

    /** A command starts: simulated time from here on is paced. */
    void begin() {
        mark = machine.get().now();
        text.setLength(0);
    }

    /** The simulated time that passed since the last look goes by on the presenter's clock. */
    void follow() {
        long now = machine.get().now();
        if (now > mark) screen.clock.pass((now - mark) / 1e9);
        mark = Math.max(mark, now);
    }

    @Override
    public void stdout(String s) {
        follow();
        text.append(s);
        screen.write(s);
    }

    @Override
    public void stderr(String s) {
        follow();
        text.append(s);
        screen.write(s, Sgr.STDERR);
    }

    @Override
    public void kernel(Printk.Record r) {
        line(r.text(), Sgr.kernel(r.level()));
    }

    @Override
    public void trace(Trace.Event e) {
        line(e.consoleLine(), Sgr.TRACE);
    }

    private void line(String l, String style) {
        follow();
        String pre = !text.isEmpty() && text.charAt(text.length() - 1) != '\n' ? "\n" : "";
        text.append(pre).append(l).append('\n');
        screen.write(pre);
        screen.write(l + "\n", style);
    }

    /** What the command printed, as a transcript holds it: trailing blanks removed, blank lines dropped. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String l : text.toString().split("\n", -1)) {
            String s = l.stripTrailing();
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
