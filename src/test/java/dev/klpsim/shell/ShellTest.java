package dev.klpsim.shell;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's commands and their real tools' wording (user guide, "Commands"). */
class ShellTest {
    @Test
    void unknownCommandIs127() {
        Sim s = new Sim();
        assertEquals(List.of("bash: foo: command not found"), s.run("foo"));
        assertEquals(127, s.status);
        assertEquals(List.of("127"), s.run("echo $?"));
    }

    @Test
    void hostFilesAreNeverWritten() throws Exception {
        Sim s = new Sim();
        java.nio.file.Path tmp = java.nio.file.Files.createTempDirectory("klpsim");
        java.nio.file.Path target = tmp.resolve("out.txt");
        assertEquals(List.of("bash: " + target + ": Read-only file system"), s.run("echo hi > " + target));
        assertEquals(1, s.status);
        assertTrue(java.nio.file.Files.notExists(target));
        java.nio.file.Files.delete(tmp);
    }

    @Test
    void stderrCanBeRedirectedOrDropped() {
        Sim s = new Sim();
        assertEquals(List.of(), s.run("cat /nope 2>/dev/null"));
        assertEquals(1, s.status);
        assertEquals(List.of("cat: /nope: No such file or directory"), s.run("cat /nope 2>&1 | grep nope"));
    }

    @Test
    void kmodErrorsUseKmodsWording() {
        Sim s = new Sim();
        assertEquals(List.of("insmod: ERROR: could not load module nope.ko: No such file or directory"), s.run("insmod nope.ko"));
        assertEquals(List.of("modprobe: FATAL: Module nope not found in directory /lib/modules/spec-klpsim"), s.run("modprobe nope"));
        assertEquals(List.of("rmmod: ERROR: Module nope is not currently loaded"), s.run("rmmod nope"));
        assertEquals(List.of("insmod: ERROR: missing filename."), s.run("insmod"));
        s.ok("modprobe test_klp_callbacks_mod");
        assertEquals(List.of(), s.run("modprobe test_klp_callbacks_mod"), "modprobe of a loaded module does nothing");
        assertEquals(List.of("insmod: ERROR: could not insert module test_modules/test_klp_callbacks_mod.ko: File exists"),
                s.run("insmod test_modules/test_klp_callbacks_mod.ko"));
    }

    @Test
    void sysctlReadsWritesAndRefuses() {
        Sim s = new Sim();
        assertEquals(List.of("kernel.ftrace_enabled = 1"), s.ok("sysctl kernel.ftrace_enabled"));
        assertEquals(List.of("kernel.ftrace_enabled = 0"), s.ok("sysctl kernel.ftrace_enabled=0"));
        assertEquals(List.of("0"), s.ok("cat /proc/sys/kernel/ftrace_enabled"));
        assertEquals(List.of("sysctl: cannot stat /proc/sys/kernel/nope: No such file or directory"), s.run("sysctl kernel.nope"));
        assertEquals(List.of("sysctl: setting key \"kernel.ftrace_enabled\": Invalid argument"), s.run("sysctl -q kernel.ftrace_enabled=x"));
    }

    @Test
    void lsAndStatOnSysfs() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        assertEquals(List.of("enabled", "force", "replace", "stack_order", "transition", "vmlinux"), s.ok("ls /sys/kernel/livepatch/test_klp_livepatch"));
        assertEquals(List.of("--w------- /sys/kernel/livepatch/test_klp_livepatch/force"), s.ok("stat -c '%A %n' /sys/kernel/livepatch/test_klp_livepatch/force"));
        assertEquals(List.of("ls: cannot access '/x': No such file or directory"), s.run("ls /x"));
        assertEquals(2, s.status);
    }

    @Test
    void procPidFilesShowStackAndPatchState() {
        Sim s = new Sim();
        assertEquals(List.of("-1"), s.ok("cat /proc/1/patch_state"));
        List<String> stack = s.ok("cat /proc/1/stack");
        assertTrue(stack.get(0).matches("\\[<0>\\] schedule\\+0x[0-9a-f]+/0x[0-9a-f]+"), stack.get(0));
        assertTrue(stack.get(stack.size() - 1).startsWith("[<0>] entry_SYSCALL_64_after_hwframe+"));
    }

    @Test
    void helpComesFromTheCommandTable() {
        Sim s = new Sim();
        List<String> help = s.ok("help");
        assertTrue(help.contains("kernel-style commands:"));
        assertTrue(help.stream().anyMatch(l -> l.startsWith("  insmod ")));
        assertEquals("Usage: rmmod [-f] MODULE...", s.ok("rmmod --help").get(0));
        assertEquals("Usage: rmmod [-f] MODULE...", s.ok("help rmmod").get(0));
    }

    @Test
    void backgroundJobsGetPidsFrom1000AndCanBeKilled() {
        Sim s = new Sim();
        assertEquals(List.of("[1] 1000"), s.ok("./test_klp-call_getpid &"));
        assertEquals(List.of("[2] 1001"), s.ok("./test_klp-call_getpid &"));
        s.ok("kill 1000");
        assertEquals(List.of("bash: kill: (1000) - No such process"), s.run("kill 1000"));
        assertEquals(List.of("[1] 1002"), s.ok("./test_klp-call_getpid &"), "job 1 is free again");
    }

    @Test
    void unquotedPatternsExpandOverTheSimulatedTree() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko", "insmod test_modules/test_klp_atomic_replace.ko");
        assertEquals(List.of("/sys/kernel/livepatch/test_klp_atomic_replace", "/sys/kernel/livepatch/test_klp_livepatch"),
                s.ok("ls -d /sys/kernel/livepatch/*"));
        assertEquals(List.of("2"), s.ok("ls -d /sys/kernel/livepatch/* | wc -l"));
        assertEquals(List.of("/sys/kernel/livepatch/*"), s.ok("echo '/sys/kernel/livepatch/*'"), "quoted: no expansion");
        assertEquals(List.of("/none/*"), s.ok("echo /none/*"), "no match: the word stays");
        assertEquals(List.of("test_modules/test_klp_state2.ko test_modules/test_klp_state3.ko"), s.ok("echo test_modules/test_klp_state[23].ko"));
    }
}
