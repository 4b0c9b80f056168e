package dev.klpsim.snapshot;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots made to break the loader: huge, special, out-of-range values. Each loads or is refused with a message. */
class HostileSnapshotTest {
    @TempDir
    Path tmp;

    private Path write(List<String> lines) throws Exception {
        Path p = tmp.resolve("hostile.snap");
        Files.write(p, lines);
        return p;
    }

    private static Machine boot(Path p) throws Exception {
        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, p.toString());
        return new Machine(o);
    }

    private static String summary(Machine m) {
        return String.join("\n", Snapshots.summary(m));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) n++;
        return n;
    }

    @Test
    void aDeviceFifoOrDirectoryIsRefusedWithoutReading() throws Exception {
        Snapshots.Unusable e = assertThrows(Snapshots.Unusable.class, () -> Snapshots.read("/dev/zero"));
        assertEquals("/dev/zero: not a regular file", e.getMessage());
        Path fifo = tmp.resolve("fifo.snap");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(Snapshots.Unusable.class, () -> Snapshots.read(fifo.toString())));
        assertTrue(e.getMessage().endsWith(": not a regular file"), e.getMessage());
        e = assertThrows(Snapshots.Unusable.class, () -> Snapshots.read(tmp.toString()));
        assertTrue(e.getMessage().endsWith(": Is a directory"), e.getMessage());
    }

    @Test
    void aCpuCountOutOfRangeWarnsOnce() throws Exception {
        List<String> l = BadSnapshotTest.busy();
        l.set(BadSnapshotTest.lineOf(l, "cpus "), "cpus 1000000000 0");
        Machine m = boot(write(l));
        String s = summary(m);
        assertEquals(1, count(s, "CPU count"), s);
        assertEquals(0, count(s, "cpus' line"), s);
        assertTrue(s.contains("CPU count 1000000000 out of range (1 to 4096): 1 CPU assumed"), s);
        assertEquals(1, m.options.cpus);
    }

    @Test
    void anUptimeThatIsNoNumberOfSecondsIsIgnored() throws Exception {
        for (String u : List.of("NaN", "1e308", "-5", "Infinity")) {
            List<String> l = BadSnapshotTest.busy();
            l.set(BadSnapshotTest.lineOf(l, "uptime "), "uptime " + u);
            Path p = write(l);
            Snapshot snap = Snapshots.read(p.toString());
            assertEquals(-1, snap.uptime, u);
            assertTrue(String.join("\n", snap.warnings).contains("uptime '" + u + "' is not a number of seconds"), u);
            boot(p);
        }
    }

    /** One symbol per position up to old_sympos: 10^9 of them was 6 GB and an OutOfMemoryError. */
    @Test
    void aHugeSymposIsIgnoredWithAWarning() throws Exception {
        List<String> l = BadSnapshotTest.busy();
        int f = BadSnapshotTest.lineOf(l, "func ");
        l.set(f, "func test_klp_callbacks_demo test_klp_callbacks_busy busymod_work_func,1000000000");
        Machine m = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> boot(write(l)));
        assertTrue(summary(m).contains("sympos 1000000000 is more than " + Snapshot.MAX_SYMPOS), summary(m));
    }

    /** klp_transition_patch is one patch: of two, the newer is the one in transition. */
    @Test
    void twoPatchesInTransitionKeepTheNewerOne() throws Exception {
        List<String> l = BadSnapshotTest.busy();
        int lp = BadSnapshotTest.lineOf(l, "livepatch ");
        l.set(lp, "livepatch test_klp_callbacks_demo enabled=1 transition=1 replace=0 stack_order=2");
        l.add(lp, "livepatch older_patch enabled=1 transition=1 replace=0 stack_order=1");
        l.add(lp + 1, "object older_patch vmlinux patched=1");
        l.add(lp + 2, "func older_patch vmlinux cmdline_proc_show,1");
        l.add(lp, "module older_patch 16384 1 - Live 0xffffffffc0400000 (OEK)");
        Machine m = boot(write(l));
        String s = summary(m);
        assertTrue(s.contains("'older_patch' is in transition too, but only one transition can be in flight ('test_klp_callbacks_demo', the newer)"), s);
        assertEquals("test_klp_callbacks_demo", m.klp.transition.transitionPatch().name());
    }

    /** The duplicate-tid check was a scan of every task per task line: 80,000 tasks took 27 s. */
    @Test
    void manyTasksParseInLinearTime() throws Exception {
        List<String> l = new ArrayList<>(List.of("klp-snapshot 1", "release 6.12.0", "cpus 1 0"));
        int n = 200_000;
        for (int i = 1; i <= n; i++) {
            l.add("task " + i + " " + i + " S 1 0 t" + i);
            l.add("stack [<0>] do_wait+0x5d/0x100");
        }
        l.add("task 7 7 S 1 0 again");
        l.add("end " + (n + 1) + " tasks, 0 errors");
        Snapshot s = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Snapshot.parse("many", l));
        assertEquals(n, s.tasks.size());
        assertTrue(s.warnings.get(0).contains("task 7 appears again (first at line 16)"), s.warnings.toString());
    }
}
