package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.api.Param;
import dev.klpsim.kernel.Errno;

/**
 * test_modules/test_klp_syscall.c: patches the getpid system call and counts the listed
 * pids that have called the new version (/sys/kernel/test_klp_syscall/npids). Its init
 * creates that kobject before klp_enable_patch() and, on 6.12, leaves it when the enable
 * fails.
 */
public final class TestKlpSyscall extends BuiltinModule {
    public TestKlpSyscall() {
        super("test_klp_syscall", true);
    }

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: syscall transition").author("Marcos Paulo de Souza <mpdesouza@suse.com>");
        Param klpPids = m.paramIntArray("klp_pids", 0, 4096, "Array of pids to be transitioned to livepatched state.");
        int[] pending = new int[1];
        m.function("lp_sys_getpid", c -> {
            int[] pids = klpPids.intArray();
            if (pending[0] > 0) {
                for (int i = 0; i < klpPids.count(); i++) {
                    if (c.task.pid == pids[i]) {
                        pids[i] = 0;
                        pending[0]--;
                        break;
                    }
                }
            }
            return c.task.pid;
        });
        m.init(() -> {
            if (!k.kobjectCreateAndAdd("test_klp_syscall", "livepatch_init+0x1d/0xee0 [test_klp_syscall]")) return Errno.ENOMEM.neg();
            k.sysfsCreateFileIn("test_klp_syscall", "npids", 0444, () -> pending[0] + "\n");
            pending[0] = klpPids.count();
            int ret = k.klpEnablePatch(k.patch().object(null).func("__x64_sys_getpid", "lp_sys_getpid").build());
            // 6.12 returns klp_enable_patch()'s error as it is: the kobject, and with it
            // /sys/kernel/test_klp_syscall, is never put; 7.3 puts it
            if (ret != 0 && k.profile().syscallInitCleansUp()) k.kobjectPut("test_klp_syscall");
            return ret;
        });
        m.exit(() -> k.kobjectPut("test_klp_syscall"));
    }
}
