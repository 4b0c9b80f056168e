package dev.klpsim.transcript;

import dev.klpsim.kernel.Printk;
import dev.klpsim.shell.Output;

import java.util.ArrayList;
import java.util.List;

/** Collects what a terminal would show: console kernel lines and command output, in order. */
public final class CapturingOutput implements Output {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void stdout(String s) {
        text.append(s);
    }

    @Override
    public void stderr(String s) {
        text.append(s);
    }

    @Override
    public void kernel(Printk.Record r) {
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') text.append('\n');
        text.append(r.text()).append('\n');
    }

    @Override
    public void trace(dev.klpsim.kernel.Trace.Event e) {
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') text.append('\n');
        text.append(e.consoleLine()).append('\n');
    }

    /** The lines since the last call, trailing white space removed and blank lines dropped. */
    public List<String> drainLines() {
        List<String> out = new ArrayList<>();
        for (String l : text.toString().split("\n", -1)) {
            String s = l.stripTrailing();
            if (!s.isEmpty()) out.add(s);
        }
        text.setLength(0);
        return out;
    }
}
