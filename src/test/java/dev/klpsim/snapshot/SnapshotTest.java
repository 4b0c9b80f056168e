package dev.klpsim.snapshot;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Symbol;
import dev.klpsim.kernel.Task;
import dev.klpsim.livepatch.Transition;
import dev.klpsim.modules.BuiltinModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Snapshots taken on the real kernels of the oracle load with their tasks, comms and stacks intact. */
class SnapshotTest {
    static final Path DIR = Path.of("src/test/resources/snapshots");

    static Machine boot(String file) throws Exception {
        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, DIR.resolve(file).toString());
        Machine m = new Machine(o);
        BuiltinModules.registerAll(m);
        return m;
    }

    static List<String> snapshots() throws IOException {
        List<String> out = new ArrayList<>();
        try (var s = Files.list(DIR)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void theOracleSnapshotsAreThere() throws IOException {
        List<String> have = snapshots();
        for (String want : List.of("oracle-6.12-idle.snap", "oracle-6.12-busy.snap", "oracle-5.10-idle.snap", "oracle-5.10-busy.snap"))
            assertTrue(have.contains(want), "missing test data " + want + " (src/test/resources/snapshots/make-oracle-snapshots)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oracle-6.12-idle.snap", "oracle-6.12-busy.snap", "oracle-5.10-idle.snap", "oracle-5.10-busy.snap"})
    void tasksCommsAndStacksIntact(String file) throws Exception {
        if (!Files.exists(DIR.resolve(file))) return; // theOracleSnapshotsAreThere names the missing ones
        Snapshot s = Snapshots.read(DIR.resolve(file).toString());
        assertTrue(s.complete, file + " is complete");
        assertEquals(s.endTasks, s.tasks.size());
        assertTrue(s.warnings.isEmpty(), file + ": " + s.warnings);
        Machine m = boot(file);
        assertEquals(s.tasks.size(), m.tasks().size(), "task count");
        assertEquals(s.cpus, m.idleTasks().size(), "one idle task per CPU");
        for (Snapshot.HostTask ht : s.tasks) {
            Task t = m.task(ht.tid());
            assertNotNull(t, "task " + ht);
            assertEquals(HostBoot.taskComm(ht), t.comm);
            assertEquals(ht.kthread(), t.isKthread(), ht + " kthread");
            if (s.self != null && ht.tid() == s.self) {
                assertTrue(m.shell == t, "the snapshot's own task is the shell");
                continue;
            }
            // the klpsim stack is the captured one, outermost first, each frame in its object
            List<String> want = new ArrayList<>();
            for (Snapshot.Frame f : ht.stack()) want.add(0, f.toString());
            List<String> got = new ArrayList<>();
            for (Symbol sym : t.stack()) got.add(sym.toString());
            assertEquals(want, got, "stack of " + ht);
            for (Symbol sym : t.stack()) assertTrue(m.kallsyms.lookup(sym.owner, sym.name) != null, sym + " in kallsyms");
        }
        assertTrue(m.shell != null);
        assertEquals(s.release, m.release());
    }

    /** The kernel's own debug lines of that run: "klp_try_switch_task: COMM:PID is sleeping on function F". */
    static Set<String> realBlockers(String realTranscript) throws IOException {
        Set<String> out = new TreeSet<>();
        Matcher mt = Pattern.compile("livepatch: klp_(?:try_switch_task|check_stack): (\\S+:\\d+) is sleeping on function (\\S+)")
                .matcher(Files.readString(DIR.resolve(realTranscript)));
        while (mt.find()) out.add(mt.group(1) + " " + mt.group(2));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.12", "5.10"})
    void theStalledSnapshotNamesTheBlockerTheRealKernelNamed(String kernel) throws Exception {
        if (!Files.exists(DIR.resolve("oracle-" + kernel + "-busy.snap"))) return;
        Set<String> real = realBlockers("oracle-" + kernel + "-busy.real.klpt");
        assertFalse(real.isEmpty(), "the real run logged who blocked");
        Machine m = boot("oracle-" + kernel + "-busy.snap");
        assertNotNull(m.klp.transition.transitionPatch(), "the transition is in flight");
        assertEquals(Transition.KLP_TRANSITION_PATCHED, m.klp.transition.targetState());
        Set<String> sim = new TreeSet<>();
        for (Transition.Blocker b : m.klp.transition.blockers()) {
            assertEquals(Transition.Outcome.SLEEPING_ON, b.kind(), b.task() + " " + b.kind());
            sim.add(b.task().comm + ":" + b.task().pid + " " + b.func().oldName);
        }
        assertEquals(real, sim);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oracle-6.12-idle.snap", "oracle-5.10-idle.snap"})
    void funcsPatchBlocksExactlyTheTasksWhoseCapturedStackHasTheFunction(String file) throws Exception {
        if (!Files.exists(DIR.resolve(file))) return;
        Snapshot s = Snapshots.read(DIR.resolve(file).toString());
        Set<String> functions = new TreeSet<>();
        for (Snapshot.HostTask t : s.tasks) for (Snapshot.Frame f : t.stack()) if (f.module() == null) functions.add(f.name());
        int checked = 0;
        for (String fn : functions) {
            Machine m = boot(file);
            if (!m.kallsyms.lookup(null, fn).traceable) continue;
            Set<Integer> want = new TreeSet<>();
            for (Snapshot.HostTask t : Snapshots.tasksWith(Snapshots.of(m), fn))
                if (t.state() != 'R') want.add(t.tid());
            FuncsPatch fp = FuncsPatch.of(m, fn);
            m.registerSource(fp);
            assertEquals(0, m.modules.load(fp.instantiate(), List.of()), "load " + fn);
            Set<Integer> got = new TreeSet<>();
            if (m.klp.transition.transitionPatch() != null)
                for (Transition.Blocker b : m.klp.transition.blockers())
                    // the shell runs the load itself: its own stack is klpsim's, not the host's
                    if (b.kind() == Transition.Outcome.SLEEPING_ON && b.task() != m.shell) got.add(b.task().pid);
            assertEquals(want, got, fn);
            checked++;
        }
        assertTrue(checked > 10, "checked " + checked + " functions");
    }

    /** Issue #26: how many tasks were running is said once (the note), not as two different counts (the task that took it included in one). */
    @Test
    void theRunningCountIsSaidOnce(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // two tasks of the real snapshot made running, besides the task that took it (self, running too)
        String text = Files.readString(DIR.resolve("oracle-6.12-busy.snap"))
                .replace("task 1 1 S 1 4194560 init", "task 1 1 R 1 4194560 init")
                .replace("task 2 2 S 1 2129984 kthreadd", "task 2 2 R 1 2129984 kthreadd");
        Path f = dir.resolve("running.snap");
        Files.writeString(f, text);
        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, f.toString());
        Machine m = new Machine(o);
        List<String> info = Snapshots.summary(m);
        String all = String.join("\n", info);
        assertTrue(all.contains("58 tasks and 1 idle task"), all);
        assertEquals(1, info.stream().filter(l -> l.contains("running")).filter(l -> l.matches(".*\\d+ (tasks? )?(were |was )?running.*")).count(), all);
        assertTrue(all.contains("note: 2 tasks were running when the snapshot was taken"), all);
    }

    /**
     * issue 20: format 1 wrote an empty read of /proc/.../stack (status 0, no lines) as a task
     * with no stack line, and klpsim took it as an empty, switchable stack. Such a task (not a
     * zombie) is unreadable now, and a host that says it has no CONFIG_LIVEPATCH refuses every
     * livepatch load.
     */
    @Test
    void aTaskWithoutAStackLineIsUnreadableAndAHostWithoutLivepatchRefusesLoads() throws Exception {
        Snapshot s = Snapshot.parse("t", List.of("klp-snapshot 1", "release 6.12.107", "cpus 1 0", "self 5",
                "task 1 1 S -1 4194560 init", "task 2 2 Z -1 0 gone", "task 3 3 S -1 2129984 kworker/0:1", "stack [<0>] worker_thread+0x10/0x100",
                "task 5 5 R -1 4194560 bash", "stack [<0>] do_syscall_64+0x1/0x10", "host livepatch 0", "end 4 tasks, 0 errors"));
        assertEquals("empty", s.tasks.get(0).noStack());
        assertTrue(s.tasks.get(1).stackKnown(), "a zombie has no stack: empty, as the kernel sees it");
        assertTrue(s.tasks.get(2).stackKnown());
        assertEquals(List.of("no CONFIG_LIVEPATCH (no /sys/kernel/livepatch)"), s.livepatchRefusals().stream().map(Snapshot.HostRefusal::why).toList());
        MachineOptions o = new MachineOptions();
        o.host = new HostBoot(s);
        Machine m = new Machine(o);
        BuiltinModules.registerAll(m);
        assertTrue(m.task(1).unreliableStack, "init's stack could not be read");
        assertEquals(-2, m.modules.load(m.source("test_klp_livepatch").instantiate(), List.of()));
        assertTrue(m.printk.records().stream().anyMatch(r -> r.text().equals("test_klp_livepatch: Unknown symbol klp_enable_patch (err -2)")));
    }
}
