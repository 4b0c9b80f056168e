package dev.klpsim.bench;

import dev.klpsim.jsh.JshLoader;
import dev.klpsim.kernel.Machine;
import dev.klpsim.modules.BuiltinModules;
import dev.klpsim.shell.Interactive;
import dev.klpsim.shell.Output;
import dev.klpsim.shell.Shell;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of scripts/klpsim's class-data sharing archive: touches what a session
 * loads (the shell and its commands, a livepatch transition, the JLine reader, the Java
 * compiler and JShell for .jsh modules and the java command), so that the archive holds
 * those classes already parsed and verified. Prints nothing; its results are thrown away.
 */
public final class CdsTraining {
    private CdsTraining() {}

    private static final String C_SAMPLE = "src/test/resources/c-modules/7.3/livepatch-sample.c";

    public static void main(String[] args) throws Exception {
        Output quiet = new Output() {
            public void stdout(String t) { }
            public void stderr(String t) { }
            public void kernel(dev.klpsim.kernel.Printk.Record r) { }
        };
        Machine m = new Machine();
        BuiltinModules.registerAll(m);
        Shell sh = new Shell(m, quiet);
        for (String c : new String[] {"help", "insmod test_modules/test_klp_livepatch.ko", "cat /proc/cmdline", "lsmod",
                "ls /sys/kernel/livepatch/test_klp_livepatch", "trace on", "echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled",
                "rmmod test_klp_livepatch", "modprobe test_klp_callbacks_demo", "klp status", "task list", "dmesg", "shadow list",
                "java machine.tasks().size()", "klp preview test_klp_livepatch"})
            sh.execute(c);
        // a .jsh module through the compiler (the cache would skip it) and one load of it
        Path sample = Path.of("docs/examples/livepatch-sample.jsh");
        if (Files.isRegularFile(sample)) JshLoader.compileForTraining("livepatch_sample", Files.readString(sample));
        sh.execute("insmod docs/examples/livepatch-sample.jsh");
        // a C module: the preprocessor, the generated parser and the interpreter's classes
        sh.execute("rmmod livepatch_sample");
        if (Files.isRegularFile(Path.of(C_SAMPLE))) sh.execute("insmod " + C_SAMPLE);
        sh.close();
        // the interactive reader: a line with a completion, as a user types it
        ByteArrayInputStream keys = new ByteArrayInputStream("insm\t test_modules/test_klp_st\t\r".getBytes(StandardCharsets.UTF_8));
        Terminal t = new ExternalTerminal("training", "xterm-256color", keys, new ByteArrayOutputStream(), StandardCharsets.UTF_8);
        t.setSize(new Size(120, 40));
        Shell ish = new Shell(new Machine(), quiet);
        try {
            Interactive.reader(t, ish, null).readLine("# ");
        } catch (RuntimeException e) {
            // end of the scripted keys
        }
        t.close();
        // the command line itself (picocli), on a short script; it exits
        Path script = Files.createTempFile("klpsim-cds", ".sh");
        script.toFile().deleteOnExit();
        Files.writeString(script, "insmod test_modules/test_klp_livepatch.ko\ncat /proc/cmdline\n");
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        dev.klpsim.Main.main(new String[] {"run", script.toString()});
        System.exit(0);
    }
}
