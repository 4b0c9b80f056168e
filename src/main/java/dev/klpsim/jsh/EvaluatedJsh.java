package dev.klpsim.jsh;

import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Machine;

/**
 * A module evaluated by JShell snippet by snippet on every load: the way for files the
 * one-class translation does not take (and the source of every compile error message).
 */
final class EvaluatedJsh implements JshModule {
    private final String source;

    EvaluatedJsh(String source) {
        this.source = source;
    }

    @Override
    public Instance instantiate(String file, ModuleBuilder b, Machine m) throws JshEvaluator.SourceError {
        JshEvaluator ev = JshLoader.evaluator(file, source);
        synchronized (JshBridge.class) {
            JshBridge.set(b, m);
            try {
                ev.prelude(JshEvaluator.PRELUDE + "ModuleBuilder m = dev.klpsim.jsh.JshBridge.builder();\nKernel k = m.kernel();\n");
                ev.evalFile(source);
            } finally {
                JshBridge.set(null, null);
                ev.close();
            }
        }
        return t -> ev.locate(t, 0);
    }
}
