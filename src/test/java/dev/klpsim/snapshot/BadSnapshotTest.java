package dev.klpsim.snapshot;

import dev.klpsim.Sim;
import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Profile;
import dev.klpsim.livepatch.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated, edited and odd snapshots: a message naming the line, and the machine loads what it can. */
class BadSnapshotTest {
    @TempDir
    Path tmp;

    static List<String> busy() throws Exception {
        return new ArrayList<>(Files.readAllLines(SnapshotTest.DIR.resolve("oracle-6.12-busy.snap")));
    }

    Path write(List<String> lines) throws Exception {
        Path p = tmp.resolve("edited.snap");
        Files.write(p, lines);
        return p;
    }

    static Machine boot(Path p) throws Exception {
        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, p.toString());
        return new Machine(o);
    }

    static String summary(Machine m) {
        return String.join("\n", Snapshots.summary(m));
    }

    static int lineOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no line " + prefix);
    }

    @Test
    void truncatedFileLoadsTheTasksItHas() throws Exception {
        List<String> l = busy();
        int cut = lineOf(l, "task 30 ");
        Path p = write(l.subList(0, cut));
        Machine m = boot(p);
        assertTrue(summary(m).contains("the file ends without its 'end' line (after line " + cut + "): it is truncated"), summary(m));
        long tasksBefore = l.subList(0, cut).stream().filter(x -> x.startsWith("task ")).count();
        assertEquals(tasksBefore + 1, m.tasks().size(), "the tasks before the cut, and a shell for klpsim's commands");
        assertNull(m.klp.transition.transitionPatch(), "the livepatch lines were cut off");
    }

    @Test
    void editedTaskLineIsNamedAndLeftOut() throws Exception {
        List<String> l = busy();
        int i = lineOf(l, "task 18 ");
        l.set(i, "task 18 eighteen S 1 2129984 ksoftirqd/0");
        Machine m = boot(write(l));
        assertTrue(summary(m).contains("warning: line " + (i + 1) + ": unreadable task line"), summary(m));
        assertNull(m.task(18));
        assertTrue(summary(m).contains("the 'end' line counts 58 tasks but the file has 57"), summary(m));
    }

    @Test
    void unknownAndHiddenStackLinesAreNamed() throws Exception {
        List<String> l = busy();
        int i = lineOf(l, "stack [<0>] busymod_work_func");
        l.add(i, "stack [<0>] 0xffffffffc0a1b2c3");
        l.add(i, "stack ??? what is this");
        Machine m = boot(write(l));
        String s = summary(m);
        assertTrue(s.contains("line " + (i + 1) + ": unknown stack line '??? what is this' of kworker/0:1+events:10"), s);
        assertTrue(s.contains("line " + (i + 2) + ": stack entry '[<0>] 0xffffffffc0a1b2c3' of kworker/0:1+events:10 has no symbol name"), s);
        // the rest of the stack is there, and the stall is still explained
        assertEquals(1, m.klp.transition.blockers().size());
        assertEquals(10, m.klp.transition.blockers().get(0).task().pid);
    }

    @Test
    void unreadableStackBlocksAsUnknown() throws Exception {
        List<String> l = busy();
        int i = lineOf(l, "task 10 ");
        while (l.get(i + 1).startsWith("stack ")) l.remove(i + 1);
        l.add(i + 1, "nostack permission-denied");
        Sim sim = simOn(write(l));
        assertTrue(String.join("\n", sim.run("snapshot info")).contains("1 task's stack could not be read"));
        List<Transition.Blocker> bs = sim.m.klp.transition.blockers();
        assertEquals(1, bs.size());
        assertEquals(Transition.Outcome.UNRELIABLE_STACK, bs.get(0).kind());
        assertTrue(String.join("\n", sim.run("klp blocking")).contains("kworker/0:1:10  its stack could not be read on the host"));
    }

    @Test
    void unreadablePatchStatesAreTakenAsNotSwitched() throws Exception {
        List<String> l = busy();
        // what a snapshot taken without root says: no patch_state (and here still every stack)
        l.replaceAll(x -> x.startsWith("task ") ? x.replaceFirst("^(task \\d+ \\d+ \\S) (-?\\d+) ", "$1 - ") : x);
        Machine m = boot(write(l));
        assertTrue(summary(m).contains("58 tasks' patch_state could not be read: taken as not yet switched"), summary(m));
        long unswitched = m.tasks().stream().filter(t -> t.patchState != m.klp.transition.targetState()).count();
        assertEquals(58, unswitched);
        // only the worker in busymod_work_func fails the stack check; the rest switch at the next attempt
        List<Transition.Blocker> sleeping = m.klp.transition.blockers().stream().filter(b -> b.kind() == Transition.Outcome.SLEEPING_ON).toList();
        assertEquals(1, sleeping.size());
        assertEquals(10, sleeping.get(0).task().pid);
    }

    static Sim simOn(Path p) throws Exception {
        MachineOptions o = new MachineOptions();
        Snapshots.attach(o, p.toString());
        return new Sim(o);
    }

    @Test
    void olderKernelUsesTheOldestProfileAndSaysSo() throws Exception {
        List<String> l = busy();
        l.set(lineOf(l, "release "), "release 4.19.0-27-amd64");
        Machine m = boot(write(l));
        assertEquals(Profile.V5_10, m.options.profile);
        assertTrue(summary(m).contains("Linux 4.19.0-27-amd64 is older than klpsim's oldest profile (5.10)"), summary(m));
        assertEquals("4.19.0-27-amd64", m.release());
    }

    @Test
    void notASnapshotIsRefusedWithItsLine() throws Exception {
        Path p = tmp.resolve("x.txt");
        Files.writeString(p, "hello\n");
        var e = assertThrows(Snapshots.Unusable.class, () -> Snapshots.attach(new MachineOptions(), p.toString()));
        assertTrue(e.getMessage().contains("line 1: not a klp-snapshot file (it starts with 'hello'"), e.getMessage());
        var missing = assertThrows(Snapshots.Unusable.class, () -> Snapshots.attach(new MachineOptions(), tmp.resolve("nope").toString()));
        assertTrue(missing.getMessage().endsWith("nope: No such file or directory"));
    }

    @Test
    void snapshotLoadOfABadFileChangesNothing() throws Exception {
        Sim sim = new Sim();
        Machine before = sim.m;
        List<String> out = sim.run("snapshot load " + tmp.resolve("nope"));
        assertEquals(1, sim.status);
        assertTrue(out.get(0).startsWith("snapshot: "), out.toString());
        assertTrue(sim.sh.machine() == before);
    }

    @Test
    void previewOnASnapshotReplaysFromTheSnapshot() throws Exception {
        Sim sim = new Sim();
        sim.ok("snapshot load " + SnapshotTest.DIR.resolve("oracle-6.12-busy.snap"));
        assertNotEquals(sim.m, sim.sh.machine());
        // the host's transition is in flight: a new patch cannot start (klp_enable_patch: -EBUSY)
        List<String> out = sim.run("klp preview --funcs msleep");
        assertTrue(String.join("\n", out).contains("could not insert 'klp_preview_funcs': Device or resource busy"), out.toString());
        // force ends the host's transition; then the preview of msleep names the one task in it
        sim.ok("klp force", "sleep 1");
        out = sim.run("klp preview --funcs msleep");
        String s = String.join("\n", out);
        assertTrue(s.contains("msleep (vmlinux): 1 task: kworker/0:1:10"), s);
        assertTrue(s.contains("kworker/0:1:10  is sleeping on function msleep"), s);
        assertNull(sim.sh.machine().source(FuncsPatch.NAME), "the preview registers nothing here");
    }
}
