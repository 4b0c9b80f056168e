package dev.klpsim.demo;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.InputStream;

/** The presenter's keys in step mode: one key at a time, -1 at the end of input. */
interface Keys {
    int next() throws IOException;

    /** The terminal, read a key at a time without echo (raw mode only while waiting). */
    static Keys of(Terminal t) {
        return () -> {
            Attributes before = t.enterRawMode();
            try {
                return t.reader().read();
            } finally {
                t.setAttributes(before);
            }
        };
    }

    /** Piped input (a test, or `yes '' | klpsim run --demo --step`): a byte at a time. */
    static Keys of(InputStream in) {
        return in::read;
    }
}
