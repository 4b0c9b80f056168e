package dev.klpsim.reliability;

import dev.klpsim.Sim;
import dev.klpsim.explore.Invariants;
import dev.klpsim.explore.Shrink;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The kernel's invariants (Invariants) after every step of 1,000 random sessions of 50
 * commands. A failing session is shrunk to a short command list, printed as a transcript
 * to keep as a regression test. The same seed gives the same output, byte for byte.
 */
class PropertyTest {
    static final int SESSIONS = 1_000;
    static final int STEPS = 50;

    /** The first violation of a session, or null. */
    static String firstViolation(List<String> commands) {
        Sim s = new Sim();
        Invariants inv = new Invariants(s.m);
        for (int i = 0; i < commands.size(); i++) {
            s.run(commands.get(i));
            List<String> v = inv.check();
            if (!v.isEmpty()) return "after step " + (i + 1) + " (" + commands.get(i) + "): " + v.get(0);
        }
        return null;
    }

    /** Delta debugging (explore's shrinker): drop chunks of commands while the session still fails. */
    static List<String> shrink(List<String> failing) {
        return Shrink.shrink(failing, c -> firstViolation(c) != null);
    }

    @Test
    void invariantsHoldInRandomSessions() {
        for (long seed = 1; seed <= SESSIONS; seed++) {
            List<String> cmds = RandomSessions.session(seed, STEPS);
            String v = firstViolation(cmds);
            if (v != null) {
                List<String> small = shrink(cmds);
                StringBuilder t = new StringBuilder("# seed " + seed + ": " + firstViolation(small) + "\n");
                for (String c : small) t.append("% ").append(c).append('\n');
                fail("invariant broken in session " + seed + ": " + v + "\nshrunk to:\n" + t);
            }
        }
    }

    /** The checks can fail: each catches a machine broken on purpose. */
    @Test
    void theInvariantsCatchBrokenMachines() {
        Sim s = new Sim();
        Invariants inv = new Invariants(s.m);
        s.ok("insmod test_modules/test_klp_livepatch.ko");
        assertEquals(List.of(), inv.check());
        s.m.shell.patchState = 0;
        assertEquals(true, inv.check().stream().anyMatch(v -> v.contains("no transition but bash:412")));
        s.m.shell.patchState = -1;
        s.m.klp.core.klpPatches().get(0).enabled = false;
        assertEquals(true, inv.check().stream().anyMatch(v -> v.contains("disabled patch test_klp_livepatch is in klp_patches")));
        s.m.klp.core.klpPatches().get(0).enabled = true;
        s.m.klp.core.klpPatches().get(0).mod.refcnt = 0;
        assertEquals(true, inv.check().stream().anyMatch(v -> v.contains("has a live patch but refcnt 0")));
        s.m.klp.core.klpPatches().get(0).mod.refcnt = 1;
        s.m.klp.patch.allOps().get(0).funcStack().get(0).transition = true;
        assertEquals(true, inv.check().stream().anyMatch(v -> v.contains("has transition set")));
    }

    /**
     * An init that fails after klp_enable_patch succeeded: the kernel frees the module all the
     * same (do_init_module()'s failure path), leaving a patch live on freed code. The machine
     * does what the kernel does, and the invariants say what is wrong with it.
     */
    @Test
    void aPatchWhoseModuleFailedItsInitIsFlagged() {
        Sim s = new Sim();
        Invariants inv = new Invariants(s.m);
        s.run("insmod src/test/resources/jsh/init-fails-after-enable.jsh");
        assertEquals(null, s.m.modules.find("init_fails_after_enable"), "do_init_module() freed the module");
        assertEquals(true, inv.check().stream().anyMatch(v -> v.contains("patch init_fails_after_enable is registered but its module was freed")),
                inv.check().toString());
    }

    @Test
    void theSameSeedGivesTheSameOutputByteForByte() {
        for (long seed = 1; seed <= 20; seed++) {
            List<String> cmds = RandomSessions.session(seed, STEPS);
            assertEquals(transcript(cmds), transcript(cmds), "seed " + seed);
        }
    }

    private static String transcript(List<String> cmds) {
        Sim s = new Sim();
        StringBuilder out = new StringBuilder();
        for (String c : cmds) {
            out.append("% ").append(c).append('\n');
            for (String l : s.run(c)) out.append(l).append('\n');
        }
        for (var r : s.m.printk.records()) out.append(r.dmesgLine()).append('\n');
        return out.toString();
    }
}
