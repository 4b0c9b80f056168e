package dev.klpsim.shell;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and malformed lines never crash the shell, never show a Java exception, and
 * rejected writes leave the machine as it was.
 */
class HostileInputTest {
    private static final String[] WORDS = {
        "echo", "cat", "ls", "insmod", "modprobe", "rmmod", "sysctl", "sleep", "grep", "stat", "test", "kill", "task",
        "ps", "dmesg", "lsmod", "modinfo", "cd", "wc", "head", "help", "getconf", "uname", "[",
        "test_modules/test_klp_livepatch.ko", "test_klp_callbacks_demo", "/sys/kernel/livepatch", "/sys/kernel/livepatch/test_klp_livepatch/enabled",
        "/sys/kernel/livepatch/test_klp_livepatch/force", "/proc/cmdline", "/proc/1/stack", "..", "/", "-1", "0", "1", "2", "y", "off",
        ">", ">>", "2>", "|", "&&", "||", ";", "&", "'", "\"", "\\", "$?", "$X", "9999999999999999999999", "-n", "-c", "-e", "-q",
        "pre_patch_ret=-19", "replace=1", "block_transition=Y", "\u00e9\u00e8", "\u0001", "\t", "%A", "*", "-", "--help", "spawn", "--stack"
    };

    @Test
    void twoThousandRandomLinesLeaveTheShellRunning() {
        Random r = new Random(20261201);
        Sim s = new Sim();
        for (int i = 0; i < 2000; i++) {
            StringBuilder line = new StringBuilder();
            int n = 1 + r.nextInt(6);
            for (int j = 0; j < n; j++) line.append(WORDS[r.nextInt(WORDS.length)]).append(r.nextInt(4) == 0 ? "" : " ");
            if (r.nextInt(50) == 0) line.append("x".repeat(10_000));
            List<String> out = s.run(line.toString());
            for (String l : out) {
                assertFalse(l.contains("Exception") || l.contains("internal error") || l.contains("\tat "), line + " -> " + l);
            }
        }
        // the shell still works
        assertTrue(s.run("echo alive").contains("alive"));
    }

    @Test
    void aRejectedSysfsWriteChangesNothing() {
        Sim s = new Sim();
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        for (String v : new String[] {"2", "abc", "", "1", "yes", "\\t"}) {
            s.run("echo " + v + " > /sys/kernel/livepatch/test_klp_livepatch/enabled");
            assertTrue(s.status != 0);
            assertTrue(s.ok("cat /sys/kernel/livepatch/test_klp_livepatch/enabled").equals(List.of("1")));
            assertTrue(s.m.klp.transition.transitionPatch() == null);
        }
    }
}
