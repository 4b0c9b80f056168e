package dev.klpsim.cli;

import dev.klpsim.transcript.Verify;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/** klpsim verify: replay transcripts and compare. */
@Command(name = "verify", description = {"replay .klpt transcripts and report ok, or FAIL with a diff",
        "Each transcript runs on a freshly booted machine; its #! line gives the machine options (the same as klpsim's)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:all passed", "1:a transcript failed", "2:a file could not be read or parsed"},
        footer = {"%nExample:", "  klpsim verify src/test/resources/transcripts/kselftest"})
public final class VerifyCommand implements Callable<Integer> {
    @picocli.CommandLine.Option(names = "--c-modules", paramLabel = "DIR", description = "every transcript's machine loads the built-in modules whose NAME.c is in DIR (or DIR/PROFILE, by the transcript's kernel) from that C source")
    java.io.File cModules;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "transcripts, or directories searched for *.klpt")
    List<java.io.File> files; // host files: typed File so that the generated bash completion completes file names

    @Override
    public Integer call() {
        Verify v = new Verify(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8));
        if (cModules != null) {
            if (!cModules.isDirectory()) {
                System.err.println("klpsim verify: --c-modules " + cModules + ": No such directory");
                return 2;
            }
            v.cModules(cModules.getPath());
        }
        return v.run(files.stream().map(java.io.File::getPath).toList());
    }
}
