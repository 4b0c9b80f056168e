package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.kernel.MachineOptions;
import dev.klpsim.kernel.Printk;
import dev.klpsim.modules.BuiltinModules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bash semantics that a transcript cannot show: which stream a line went to, and variables between lines. */
class InterpreterTest {
    private final StringBuilder out = new StringBuilder(), err = new StringBuilder();
    private final Shell sh;

    InterpreterTest() {
        Machine m = new Machine(new MachineOptions());
        BuiltinModules.registerAll(m);
        sh = new Shell(m, new Output() {
            public void stdout(String t) { out.append(t); }
            public void stderr(String t) { err.append(t); }
            public void kernel(Printk.Record r) { out.append(r.text()).append('\n'); }
        });
    }

    private String[] run(String line) {
        out.setLength(0);
        err.setLength(0);
        sh.execute(line);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void redirectionsApplyLeftToRightAsInBash() {
        // stdout goes where stderr pointed (the terminal's stderr), then stderr is dropped
        assertEquals("", run("echo hi >&2 2>/dev/null")[0]);
        assertEquals("hi\n", run("echo hi >&2 2>/dev/null")[1]);
        // stderr goes to the old stdout, then stdout is dropped
        assertEquals("cat: /nope: No such file or directory\n", run("cat /nope 2>&1 >/dev/null")[0]);
        assertEquals("", run("cat /nope >/dev/null 2>&1")[0] + run("cat /nope >/dev/null 2>&1")[1]);
        // both streams into one file in one write
        run("echo x &> /sys/kernel/livepatch/nope");
        assertEquals("bash: /sys/kernel/livepatch/nope: Permission denied\n", err.toString());
    }

    @Test
    void variablesHoldAcrossLinesAndPrefixAssignmentsDoNot() {
        run("A=1");
        assertEquals("1\n", run("echo $A")[0]);
        assertEquals("1\n", run("A=2 true; echo $A")[0]);
        assertEquals("bash: printenv_is_missing: command not found\n", run("A=2 printenv_is_missing")[1]);
    }

    @Test
    void backgroundPidAndStatus() {
        assertEquals("\n", run("echo $!")[0]);
        assertEquals("[1] 1000\n1000\n", run("./test_klp-call_getpid & echo $!")[0]);
        run("false");
        assertEquals("1\n", run("echo $?")[0]);
        assertEquals("0\n", run("X=$(true); echo $?")[0]);
        assertEquals("1\n", run("X=$(false); echo $?")[0]);
    }

    @Test
    void commandSubstitutionSplitsUnlessQuoted() {
        assertEquals("3\n", run("for w in $(echo 'a b  c'); do n=$((n+1)); done; echo $n")[0]);
        assertEquals("1\n", run("n=0; for w in \"$(echo 'a b  c')\"; do n=$((n+1)); done; echo $n")[0]);
    }

    @Test
    void breakOutsideALoopIsBashsWarning() {
        assertEquals("bash: break: only meaningful in a `for', `while', or `until' loop\n", run("break")[1]);
        // as bash 5.2 prints it: continue 2 goes on with the outer loop, so the break is never reached
        assertEquals("1\n2\n3\n", run("for a in 1 2 3; do for b in x y; do echo $a; continue 2; done; [ $a = 2 ] && break; done")[0]);
        assertEquals("1\n", run("for a in 1 2 3; do for b in x y; do echo $a; break 2; done; done")[0]);
    }

    @Test
    void setXTracesOnStderrAndSetEEndsTheShellOnAnUntestedFailure() {
        // bash 5.2: the trace goes to the shell's stderr, after expansion, even when the command's stderr is redirected
        run("set -x");
        String[] r = run("echo \"a b\" 2>/dev/null");
        assertEquals("a b\n", r[0]);
        assertEquals("+ echo 'a b'\n", r[1]);
        run("set +x");
        run("set -e");
        run("if false; then :; fi; false || true; ! true; false && true");
        assertEquals(false, sh.exitRequested());
        assertEquals("", run("false; echo not reached")[0]);
        assertEquals(true, sh.exitRequested());
        assertEquals(1, sh.status());
    }

    @Test
    void clearInAPipeWritesWhatNcursesClearWritesForTerm() {
        // /usr/bin/clear with TERM=xterm writes ESC[H ESC[2J ESC[3J (checked with od -c); unset TERM is its error
        assertEquals("TERM environment variable not set.\n", run("clear")[1]);
        run("export TERM=xterm");
        assertEquals("\u001b[H\u001b[2J\u001b[3J", run("clear")[0]);
        assertEquals(0, sh.status());
    }
}
