package dev.klpsim.kernel;

/** The kernel error numbers klpsim uses, with glibc's strerror text. */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    ESRCH(3, "No such process"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    ENOEXEC(8, "Exec format error"),
    /** EAGAIN, also EWOULDBLOCK (delete_module() of a module in use without O_TRUNC). */
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    ENOTDIR(20, "Not a directory"),
    EISDIR(21, "Is a directory"),
    EINVAL(22, "Invalid argument"),
    ENOSPC(28, "No space left on device"),
    EROFS(30, "Read-only file system"),
    ERANGE(34, "Numerical result out of range"),
    ENAMETOOLONG(36, "File name too long"),
    ENOSYS(38, "Function not implemented"),
    ENOTEMPTY(39, "Directory not empty"),
    EOPNOTSUPP(95, "Operation not supported"),
    ETIMEDOUT(110, "Connection timed out"),
    EKEYREJECTED(129, "Key was rejected by service");

    public final int code;
    public final String message;

    Errno(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** Maps a kernel-style return value (0 or a negative errno) back to an Errno; null for 0. */
    public static Errno fromReturn(int ret) {
        if (ret == 0) return null;
        int c = Math.abs(ret);
        for (Errno e : values()) if (e.code == c) return e;
        return null;
    }

    /** strerror() for any errno value, as glibc prints it. */
    public static String strerror(int ret) {
        Errno e = fromReturn(ret);
        return e != null ? e.message : "Unknown error " + Math.abs(ret);
    }

    public int neg() {
        return -code;
    }
}
