package dev.klpsim.snapshot;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** scripts/klp-snapshot on the machine the tests run on (any Linux), and klpsim loading what it wrote. */
class ScriptTest {
    @TempDir
    Path tmp;

    @Test
    void snapshotOfThisMachineLoads() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "a Linux /proc");
        Path out = tmp.resolve("this.snap");
        Process p = new ProcessBuilder("bash", "scripts/klp-snapshot", "-o", out.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script finishes");
        assertEquals(0, p.exitValue());
        Snapshot s = Snapshots.read(out.toString());
        assertTrue(s.complete, "an end line");
        // a live host may show stack entries klpsim cannot name (JIT code, BPF): those are
        // reported and left out; anything else the script writes must read back
        assertTrue(s.warnings.stream().allMatch(w -> w.contains("stack")), s.warnings.toString());
        assertEquals(s.endTasks, s.tasks.size());
        assertTrue(s.tasks.size() > 1, "tasks: " + s.tasks.size());
        assertNotNull(s.self);
        assertTrue(s.tasks.stream().anyMatch(t -> t.tid() == s.self), "the script's own task is listed");
        assertTrue(s.cpus >= 1);
        // every task's stack is either there or marked unreadable (issue 20: empty reads were neither)
        String text = Files.readString(out);
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++)
            if (lines[i].startsWith("task ") && !lines[i].split(" ")[3].matches("[ZX]"))
                assertTrue(i + 1 < lines.length && (lines[i + 1].startsWith("stack ") || lines[i + 1].startsWith("nostack ")), lines[i]);
        // and whether this host can load a livepatch is recorded
        for (String k : List.of("modules", "modules_disabled", "livepatch", "lockdown", "sig_enforce")) assertTrue(s.host.containsKey(k), k);
        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, out.toString());
        Machine m = new Machine(o);
        assertEquals(s.tasks.stream().filter(t -> t.state() != 'X').count(), m.tasks().size());
        assertEquals(s.self.intValue(), m.shell.pid);
    }

    @Test
    void refusesBadArguments() throws Exception {
        Process p = new ProcessBuilder("bash", "scripts/klp-snapshot", "--bogus").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertTrue(text.contains("klp-snapshot: unknown argument: --bogus"), text);
    }
}
