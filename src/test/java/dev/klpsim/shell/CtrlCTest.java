package dev.klpsim.shell;

import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C on the real interactive loop (JLine reader, terminal signal handler): runaway user
 * code in a module's init, in a `java` snippet and a shell loop is stopped, each reported in
 * one line, and the session goes on to the next command and ends with Ctrl-D, writing the
 * open recording.
 */
@org.junit.jupiter.api.Timeout(value = 600, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class CtrlCTest {
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private PipedOutputStream keyboard;

    private String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
        }
    }

    private void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until the screen shows {@code text} {@code times} times. */
    private void await(String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (screen().split(java.util.regex.Pattern.quote(text), -1).length - 1 < times) {
            if (System.nanoTime() > deadline) throw new AssertionError("no '" + text + "' on the screen:\n" + screen());
            Thread.sleep(20);
        }
    }

    /** The interactive loop on a terminal fed from {@link #keyboard}; returns its thread. */
    private Thread startSession(int[] status) throws IOException {
        keyboard = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keyboard, 1 << 16);
        Terminal t = new ExternalTerminal("test", "xterm-256color", in, new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (screen) {
                    screen.write(b);
                }
            }
        }, StandardCharsets.UTF_8);
        t.setSize(new Size(200, 40));
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        Thread session = new Thread(() -> {
            try {
                status[0] = new Interactive(m, false, List.of()).run(t, null);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        session.start();
        return session;
    }

    /**
     * User code blocked in a JDK call that honours interrupts (Thread.sleep here) returns when
     * Ctrl-C is pressed, not when the call would have ended (1000 s on): in a module's init
     * (which turns the InterruptedException into a RuntimeException) and in a `java` snippet
     * (which lets it out, or catches it and returns). Each is reported as stopped by Ctrl-C,
     * and the next command runs with no interrupt left over.
     */
    @Test
    void ctrlCInterruptsUserCodeBlockedInASleep(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("nap.jsh"), """
                m.description("init sleeps for 1000 s");
                m.init(() -> {
                    k.prInfo("sleeping in init");
                    try {
                        Thread.sleep(1_000_000);
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    return 0;
                });
                """);
        int[] status = {-1};
        Thread session = startSession(status);
        type("insmod " + dir.resolve("nap.jsh") + "\r");
        await("sleeping in init", 1);
        Thread.sleep(300); // into the sleep
        long t0 = System.nanoTime();
        type("\u0003");
        await("module_init stopped by Ctrl-C", 1);
        long initMs = (System.nanoTime() - t0) / 1_000_000;

        // one snippet (JShell compiles and runs each statement of a line in turn): the line, then the sleep
        type("java 'if (true) { machine.printk.log(6, \"sleeping in \" + \"java\"); Thread.sleep(1_000_000); }'\r");
        await("sleeping in java", 1);
        Thread.sleep(300);
        t0 = System.nanoTime();
        type("\u0003");
        await("java: stopped by Ctrl-C", 1);
        long javaMs = (System.nanoTime() - t0) / 1_000_000;

        type("java 'if (true) { machine.printk.log(6, \"napping \" + \"again\"); try { Thread.sleep(1_000_000); } catch (InterruptedException e) { System.out.println(\"woke\" + \"n\"); } }'\r");
        await("napping again", 1);
        Thread.sleep(300);
        type("\u0003");
        await("java: stopped by Ctrl-C", 2);

        // no interrupt is left over for the next command: this sleep ends by itself
        type("java 'Thread.sleep(10); System.out.println(\"slept \" + \"fine\")'\r");
        await("slept fine", 1);
        type("\u0004");
        session.join(30_000);
        String s = screen();
        assertEquals(false, session.isAlive(), s);
        assertTrue(s.contains("nap: module_init stopped by Ctrl-C at " + dir.resolve("nap.jsh") + ":7 (returning -EINVAL)"), s);
        assertTrue(s.contains("insmod: ERROR: could not insert module " + dir.resolve("nap.jsh") + ": Invalid parameters"), s);
        assertTrue(s.contains("^Cwoken"), s); // the snippet caught the InterruptedException and returned
        System.out.println("CtrlCTest: Ctrl-C ended a Thread.sleep in a module init after " + initMs + " ms, in a java snippet after " + javaMs + " ms");
    }

    /**
     * Ctrl-C while the first `java` command starts JShell (its prelude binds `machine`): the
     * command is stopped, and the next `java` starts afresh instead of using a JShell whose
     * `machine` was never set. (The key is pressed as the command is dispatched, past the
     * shell's own check between commands, so that it is deterministic.)
     */
    @Test
    void ctrlCWhileJShellStartsLeavesNoHalfStartedOne() {
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        dev.klpsim.transcript.CapturingOutput out = new dev.klpsim.transcript.CapturingOutput();
        Shell sh = new Shell(m, out);
        try {
            Fds f = sh.interpreter().terminal();
            dev.klpsim.jsh.UserCode.requestInterrupt();
            int st = sh.dispatch(new Invocation(sh, List.of("java", "40+2"), f.in, f.out, f.err, f), false);
            assertEquals(List.of("java: stopped by Ctrl-C"), out.drainLines());
            assertEquals(1, st);
            dev.klpsim.jsh.UserCode.clearInterrupt();
            sh.execute("java machine.tasks().isEmpty()");
            assertEquals(List.of("false"), out.drainLines());
        } finally {
            dev.klpsim.jsh.UserCode.clearInterrupt();
            sh.close();
        }
    }

    @Test
    void ctrlCStopsRunawayCodeAndTheSessionGoesOn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("spin.jsh"), """
                m.description("init loops forever");
                m.init(() -> {
                    k.prInfo("spinning in init");
                    long n = 0;
                    while (true) n++;
                });
                """);
        Path rec = dir.resolve("session.klpt");
        int[] status = {-1};
        Thread session = startSession(status);
        type("record " + rec + "\r");
        await("recording to", 1);

        type("insmod " + dir.resolve("spin.jsh") + "\r");
        await("spinning in init", 1);
        long t0 = System.nanoTime();
        type("\u0003");
        await("module_init stopped by Ctrl-C", 1);
        long stopMs = (System.nanoTime() - t0) / 1_000_000;

        type("java 'machine.printk.log(6, \"spinning in \" + \"java\"); while (true) { try { Thread.sleep(1); } catch (Throwable e) { } }'\r");
        await("spinning in java", 1); // the kernel line (the command line reads differently)
        type("\u0003");
        await("java: stopped by Ctrl-C", 1);

        type("while true; do :; done; echo not reached\r");
        await("while true; do :; done; echo not reached", 1);
        Thread.sleep(300);
        type("\u0003");
        type("echo after=$?\r");
        await("after=130", 1);

        type("\u0004");
        session.join(30_000);
        String s = screen();
        assertEquals(false, session.isAlive(), s);
        assertTrue(s.contains("spin: module_init stopped by Ctrl-C at " + dir.resolve("spin.jsh") + ":5 (returning -EINVAL)"), s);
        assertTrue(s.contains("insmod: ERROR: could not insert module " + dir.resolve("spin.jsh") + ": Invalid parameters"), s);
        assertTrue(!s.contains("not reached\n"), s);
        assertTrue(s.contains("record: wrote " + rec), s);
        String written = Files.readString(rec);
        assertTrue(written.contains("% echo after=$?\nafter=130\n"), written);
        // what only Ctrl-C ended is not replayed (verify would spin forever): a comment, not a command
        assertTrue(written.contains("#   % insmod " + dir.resolve("spin.jsh") + "\n"), written);
        assertTrue(s.contains("record: 3 commands were stopped by Ctrl-C: written as comments, not replayed"), s);
        List<String> replayed = dev.klpsim.transcript.Transcript.parse(written).steps.stream().map(dev.klpsim.transcript.Transcript.Step::command).toList();
        assertEquals(List.of("echo after=$?"), replayed, written);
        // a figure, not a timed assertion (the docs quote it): how long the spinning init ran on after ^C
        System.out.println("CtrlCTest: Ctrl-C stopped the spinning module init " + stopMs + " ms after the ^C byte");
    }

    /** A runaway loop in a C module's init stops on Ctrl-C: the interpreter polls at every iteration. */
    @Test
    void ctrlCStopsARunawayLoopInModuleC(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("spin.c"), """
                #include <linux/module.h>
                static int spin_init(void)
                {
                \tunsigned long n = 0;
                \tpr_info("spinning in C\\n");
                \tfor (;;)
                \t\tn++;
                \treturn 0;
                }
                module_init(spin_init);
                MODULE_LICENSE("GPL");
                """);
        int[] status = {-1};
        Thread session = startSession(status);
        type("insmod " + dir.resolve("spin.c") + "\r");
        await("spinning in C", 1);
        long t0 = System.nanoTime();
        type("\u0003");
        await("module_init stopped by Ctrl-C", 1);
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        type("cat /proc/cmdline\r");
        await("BOOT_IMAGE=", 1);
        type("\u0004");
        session.join(30_000);
        String s = screen();
        assertEquals(false, session.isAlive(), s);
        assertTrue(s.contains("spin: module_init stopped by Ctrl-C at " + dir.resolve("spin.c") + ":7 (returning -EINVAL)"), s);
        assertTrue(s.contains("insmod: ERROR: could not insert module " + dir.resolve("spin.c") + ": Invalid parameters"), s);
        System.out.println("CtrlCTest: Ctrl-C stopped the spinning C module init " + stopMs + " ms after the ^C byte");
    }
}
