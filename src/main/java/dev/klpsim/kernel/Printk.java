package dev.klpsim.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The printk ring buffer and the console that shows each new line as it is logged. */
public final class Printk {
    public static final int KERN_EMERG = 0, KERN_ALERT = 1, KERN_CRIT = 2, KERN_ERR = 3,
            KERN_WARNING = 4, KERN_NOTICE = 5, KERN_INFO = 6, KERN_DEBUG = 7;
    /** Records kept; older ones fall out of the ring like a full log buffer. */
    public static final int RING_RECORDS = 65536;

    public record Record(long seq, long timeNs, int level, String text) {
        /** The dmesg form: {@code [    1.000000] text}. */
        public String dmesgLine() {
            return "[" + Timers.seconds(timeNs, true) + "] " + text;
        }
    }

    private final Timers clock;
    private final ArrayDeque<Record> ring = new ArrayDeque<>();
    private final List<Consumer<Record>> consoles = new ArrayList<>();
    private long seq;

    public Printk(Timers clock) {
        this.clock = clock;
    }

    /** Logs one message; a message with embedded newlines becomes one record per line. */
    public void log(int level, String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        for (String line : body.split("\n", -1)) {
            Record r = new Record(seq++, clock.now(), level, line);
            ring.addLast(r);
            if (ring.size() > RING_RECORDS) ring.removeFirst();
            for (Consumer<Record> c : List.copyOf(consoles)) c.accept(r);
        }
    }

    /** How many records were logged so far (cleared ones included). */
    public long logged() {
        return seq;
    }

    public void addConsole(Consumer<Record> console) {
        consoles.add(console);
    }

    public void removeConsole(Consumer<Record> console) {
        consoles.remove(console);
    }

    public List<Record> records() {
        return List.copyOf(ring);
    }

    /** dmesg -C */
    public void clear() {
        ring.clear();
    }
}
