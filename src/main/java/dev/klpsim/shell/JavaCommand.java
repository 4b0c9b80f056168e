package dev.klpsim.shell;

import dev.klpsim.jsh.JshBridge;
import dev.klpsim.jsh.JshEvaluator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** java EXPR-OR-STATEMENT: Java against the live machine, for what no command shows. */
@Command(name = "java", description = "evaluate Java against the live machine (bound: machine)",
        footer = "Example: java machine.tasks().size()")
final class JavaCommand extends ShellCmd {
    @Parameters(arity = "1..*", paramLabel = "CODE", description = "a Java expression or statement; its words are joined with spaces")
    List<String> code;

    /** Java code is free text: "-1" or "--x" are code, not options (only a leading --help is). */
    @Override
    void configure(picocli.CommandLine cl) {
        cl.setUnmatchedOptionsArePositionalParams(true);
        cl.setStopAtPositional(true);
    }

    @Override
    public Integer call() {
        return run(inv, code);
    }

    /** One JShell per shell session, started on first use (JShell takes a moment to start). */
    static final class State implements AutoCloseable {
        JshEvaluator ev;

        @Override
        public void close() {
            if (ev != null) ev.close();
        }
    }

    /**
     * A JShell with the prelude evaluated, or a SourceError: never a half-started one (Ctrl-C
     * during the prelude would leave `machine` unset for the rest of the session).
     */
    private static JshEvaluator start() throws JshEvaluator.SourceError {
        JshEvaluator ev = new JshEvaluator("java", "");
        try {
            ev.prelude(JshEvaluator.PRELUDE + "Machine machine = dev.klpsim.jsh.JshBridge.machine();\n");
            return ev;
        } catch (JshEvaluator.SourceError | RuntimeException e) {
            ev.close();
            if (dev.klpsim.jsh.UserCode.interruptRequested()) throw new JshEvaluator.SourceError("java: stopped by Ctrl-C");
            throw e;
        }
    }

    static int run(Invocation inv, List<String> words) {
        String code = String.join(" ", words);
        State st = inv.shell.javaState();
        synchronized (JshBridge.class) {
            // snippets run in this JVM: what they print on System.out is the command's output
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            java.io.PrintStream realOut = System.out;
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                JshBridge.setMachine(inv.m);
                if (st.ev == null) st.ev = start();
                List<String> values = st.ev.evalLine(code);
                System.out.flush();
                inv.out(printed.toString(java.nio.charset.StandardCharsets.UTF_8) + st.ev.drainOutput());
                if (dev.klpsim.jsh.UserCode.stopPending()) {
                    // Ctrl-C cut a sleep or wait short and the snippet returned anyway: it was stopped all the same
                    dev.klpsim.jsh.UserCode.consumeUserStop();
                    inv.errln("java: stopped by Ctrl-C");
                    return 1;
                }
                for (String v : values) inv.println(v);
                return 0;
            } catch (JshEvaluator.SourceError e) {
                System.out.flush();
                inv.out(printed.toString(java.nio.charset.StandardCharsets.UTF_8) + (st.ev == null ? "" : st.ev.drainOutput()));
                inv.errln(e.getMessage());
                return 1;
            } finally {
                System.setOut(realOut);
            }
        }
    }
}
