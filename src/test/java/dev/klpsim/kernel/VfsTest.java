package dev.klpsim.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VfsTest {
    @Test
    void normalizeResolvesDotsAndRelativePaths() {
        Vfs v = new Vfs();
        assertEquals("/root/test_modules/x.ko", v.normalize("test_modules/x.ko"));
        assertEquals("/sys/kernel", v.normalize("/sys//kernel/livepatch/../"));
        assertEquals("/", v.normalize("/../.."));
    }

    @Test
    void resolveReportsTheKernelsErrors() {
        Machine m = new Machine();
        assertEquals(Errno.ENOENT, assertThrows(KernelError.class, () -> m.vfs.resolve("/sys/kernel/nope")).errno);
        assertEquals(Errno.ENOTDIR, assertThrows(KernelError.class, () -> m.vfs.resolve("/proc/cmdline/x")).errno);
        assertEquals(Errno.ENOTDIR, assertThrows(KernelError.class, () -> m.vfs.resolve("/proc/cmdline/")).errno);
        assertTrue(m.vfs.resolve("/sys/kernel/livepatch").isDir());
    }

    @Test
    void modesPrintLikeStat() {
        assertEquals("-rw-r--r--", new Vfs.File(0644, () -> "", null).modeString());
        assertEquals("--w-------", new Vfs.File(0200, null, (d, a) -> 0).modeString());
        assertEquals("drwxr-xr-x", new Vfs.Dir(0755).modeString());
    }

    @Test
    void onlyTheSimulatedTreeIsVirtual() {
        Machine m = new Machine();
        assertTrue(m.vfs.isVirtual("/sys/kernel"));
        assertTrue(m.vfs.isVirtual("test_modules/a.ko"));
        assertFalse(m.vfs.isVirtual("/tmp/x"));
        assertFalse(m.vfs.isVirtual("/etc/passwd"));
    }

    @Test
    void aWriteOnlyFileCannotBeRead() {
        Vfs.File f = new Vfs.File(0200, null, (d, a) -> 0);
        assertEquals(Errno.EACCES, assertThrows(KernelError.class, f::read).errno);
        Vfs.File ro = new Vfs.File(0444, () -> "1\n", null);
        assertEquals(Errno.EACCES.neg(), ro.write("1", false));
    }
}
