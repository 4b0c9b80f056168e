package dev.klpsim.shell;

import dev.klpsim.kernel.Vfs;

/**
 * A command's open files as bash keeps them: stdin (text, or null for none) and the sinks
 * behind fds 1 and 2. Redirections replace entries one after another, in the order written,
 * so {@code >&2 2>/dev/null} sends stdout to where stderr pointed before.
 */
final class Fds {
    /** Where a file descriptor writes. */
    interface Sink {
        void write(String text);
    }

    /** A pipe or a command substitution: collects what is written. */
    static final class Buffer implements Sink {
        final StringBuilder text = new StringBuilder();

        @Override
        public void write(String s) {
            text.append(s);
        }
    }

    /**
     * A file on the simulated tree, opened by a redirection. What the command writes is
     * collected and stored in one write when it ends, as one write(2) of echo's buffer would.
     */
    static final class FileSink implements Sink {
        final Vfs.File file;
        final boolean append;
        final StringBuilder text = new StringBuilder();

        FileSink(Vfs.File file, boolean append) {
            this.file = file;
            this.append = append;
        }

        @Override
        public void write(String s) {
            text.append(s);
        }
    }

    final String in;
    final Sink out;
    final Sink err;

    Fds(String in, Sink out, Sink err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    Fds withIn(String text) {
        return new Fds(text, out, err);
    }

    Fds withOut(Sink s) {
        return new Fds(in, s, err);
    }

    Fds with(int fd, Sink s) {
        return fd == 1 ? new Fds(in, s, err) : fd == 2 ? new Fds(in, out, s) : this;
    }

    Sink get(int fd) {
        return fd == 1 ? out : fd == 2 ? err : null;
    }
}
