package dev.klpsim.c;

import dev.klpsim.Sim;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Profile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Livepatch modules loaded from C: the kernel's own sources print what the Java
 * translations print (which the oracle checked), errors read as gcc's, a bad access is an
 * oops the session survives.
 */
class CModuleTest {
    static final Path FIXTURES = Path.of("src/test/resources/c-modules");

    @Test
    void theKernelsSampleFromCPrintsWhatTheBuiltInModulePrints() {
        for (String v : List.of("5.10", "6.12", "7.3")) {
            MachineOptions o = new MachineOptions();
            o.profile = Profile.parse(v);
            Sim c = new Sim(o), java = new Sim(o.copy());
            List<String> fromC = c.run("insmod " + FIXTURES.resolve(v).resolve("livepatch-sample.c"));
            assertEquals(0, c.status, fromC.toString());
            assertEquals(java.run("insmod test_modules/livepatch-sample.ko"), fromC, v);
            assertEquals(List.of("this has been live patched"), c.run("cat /proc/cmdline"), v);
            assertEquals(java.run("echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled"), c.run("echo 0 > /sys/kernel/livepatch/livepatch_sample/enabled"), v);
            assertEquals(java.run("cat /proc/cmdline"), c.run("cat /proc/cmdline"), v);
        }
    }

    @Test
    void modprobeFindsNameDotCOnTheModulePath(@TempDir Path dir) throws Exception {
        Files.copy(FIXTURES.resolve("7.3/test_klp_livepatch.c"), dir.resolve("my-fix.c"));
        Sim s = new Sim();
        s.sh.modulePath().add(dir.toString());
        List<String> out = s.run("modprobe my_fix");
        assertEquals(0, s.status, out.toString());
        assertTrue(out.contains("livepatch: 'my_fix': patching complete"), out.toString());
        assertEquals(List.of("my_fix: this has been live patched"), s.run("cat /proc/cmdline"));
    }

    @Test
    void aMissingSemicolonIsGccsErrorAndNothingLoads(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("semi.c"), """
                #include <linux/module.h>
                static int semi_init(void)
                {
                \treturn 0
                }
                module_init(semi_init);
                MODULE_LICENSE("GPL");
                """);
        Sim s = new Sim();
        List<String> out = s.run("insmod " + dir.resolve("semi.c"));
        assertEquals(1, s.status);
        String f = dir.resolve("semi.c").toString();
        assertEquals(List.of(f + ": In function 'semi_init':",
                f + ":4:17: error: expected ';' before '}' token",
                "    4 |         return 0",
                "      |                 ^",
                "      |                 ;",
                "insmod: ERROR: could not insert module " + f + ": Invalid module format"), out);
        assertEquals(List.of("Module                  Size  Used by"), s.run("lsmod"));
    }

    @Test
    void anUnsupportedConstructNamesItself(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("asm.c"), """
                #include <linux/module.h>
                static int asm_init(void)
                {
                \tasm volatile("nop");
                \treturn 0;
                }
                module_init(asm_init);
                """);
        Sim s = new Sim();
        List<String> out = s.run("insmod " + dir.resolve("asm.c"));
        assertTrue(out.get(1).endsWith("asm.c:4:9: error: unsupported in klpsim: asm statement"), out.toString());
        assertEquals("insmod: ERROR: could not insert module " + dir.resolve("asm.c") + ": Invalid module format", out.get(out.size() - 1));
    }

    @Test
    void aNullDereferenceIsAnOopsNamingTheLineAndTheSessionGoesOnTainted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("oops.c"), """
                #include <linux/module.h>
                struct thing { int value; };
                static struct thing *find_thing(void) { return NULL; }
                static int oops_init(void)
                {
                \tstruct thing *t = find_thing();
                \treturn t->value;
                }
                module_init(oops_init);
                MODULE_LICENSE("GPL");
                """);
        Sim s = new Sim();
        List<String> out = s.run("insmod " + dir.resolve("oops.c"));
        assertTrue(out.contains("BUG: kernel NULL pointer dereference, address: 0000000000000000"), out.toString());
        assertTrue(out.contains("RIP: 0010:oops_init (" + dir.resolve("oops.c") + ":7) oops"), out.toString());
        long tainted = Long.parseLong(s.run("cat /proc/sys/kernel/tainted").get(0));
        assertNotEquals(0, tainted & dev.klpsim.kernel.Taint.DIE.bit());
        // the session goes on
        assertEquals(0, s.run("insmod " + FIXTURES.resolve("7.3/livepatch-sample.c")).isEmpty() ? 1 : s.status);
        assertEquals(List.of("this has been live patched"), s.run("cat /proc/cmdline"));
    }

    @Test
    void outOfBoundsIsAnOopsToo(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("oob.c"), """
                #include <linux/module.h>
                static int table[4];
                static int oob_init(void)
                {
                \tint i, sum = 0;
                \tfor (i = 0; i <= 4; i++)
                \t\tsum += table[i];
                \treturn sum;
                }
                module_init(oob_init);
                """);
        Sim s = new Sim();
        List<String> out = s.run("insmod " + dir.resolve("oob.c"));
        assertTrue(out.contains("RIP: 0010:oob_init (" + dir.resolve("oob.c") + ":7) oob"), out.toString());
        assertFalse(out.stream().anyMatch(l -> l.contains("Exception")), out.toString());
    }

    @Test
    void cModulesReplacesTheJavaTranslationOfABuiltInModule(@TempDir Path dir) throws Exception {
        // a changed copy of the kernel's module: what it prints shows which one ran
        String src = Files.readString(FIXTURES.resolve("7.3/test_klp_livepatch.c")).replace("this has been live patched", "loaded from C");
        Files.writeString(dir.resolve("test_klp_livepatch.c"), src);
        MachineOptions o = new MachineOptions();
        o.cModules = dir.toString();
        Sim s = new Sim(o);
        s.ok("modprobe test_klp_livepatch");
        assertEquals(List.of("test_klp_livepatch: loaded from C"), s.run("cat /proc/cmdline"));
        assertEquals("filename:       /root/test_modules/test_klp_livepatch.ko", s.run("modinfo test_klp_livepatch").get(0));
    }
}
