package dev.klpsim.kernel;

/** A failed kernel operation: carries the errno a system call would return. */
public class KernelError extends RuntimeException {
    public final Errno errno;

    public KernelError(Errno errno) {
        super(errno.name() + ": " + errno.message, null, false, false);
        this.errno = errno;
    }

    public KernelError(Errno errno, String detail) {
        super(detail, null, false, false);
        this.errno = errno;
    }
}
