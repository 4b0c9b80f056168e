package dev.klpsim.shell;

import dev.klpsim.jsh.JshBridge;
import dev.klpsim.jsh.JshEvaluator;

import java.util.List;

/** java EXPR-OR-STATEMENT: Java against the live machine, for what no command shows. */
final class JavaCommand {
    private JavaCommand() {}

    /** One JShell per shell session, started on first use (JShell takes a moment to start). */
    static final class State implements AutoCloseable {
        JshEvaluator ev;

        @Override
        public void close() {
            if (ev != null) ev.close();
        }
    }

    static int run(Invocation inv) {
        List<String> a = inv.operands();
        if (a.isEmpty()) {
            inv.errln("usage: java EXPRESSION-OR-STATEMENT   (bound: machine; e.g. java machine.tasks().size())");
            return 2;
        }
        String code = String.join(" ", a);
        State st = inv.shell.javaState();
        synchronized (JshBridge.class) {
            // snippets run in this JVM: what they print on System.out is the command's output
            java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
            java.io.PrintStream realOut = System.out;
            System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                JshBridge.setMachine(inv.m);
                if (st.ev == null) {
                    st.ev = new JshEvaluator("java", "");
                    st.ev.prelude(JshEvaluator.PRELUDE + "Machine machine = dev.klpsim.jsh.JshBridge.machine();\n");
                }
                List<String> values = st.ev.evalLine(code);
                System.out.flush();
                inv.out(printed.toString(java.nio.charset.StandardCharsets.UTF_8) + st.ev.drainOutput());
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
