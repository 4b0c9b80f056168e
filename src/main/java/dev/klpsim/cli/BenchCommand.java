package dev.klpsim.cli;

import dev.klpsim.bench.Bench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/** klpsim bench: the performance rows (docs/PERFORMANCE.md). */
@Command(name = "bench", description = "measure startup, transcript replay, transitions, dispatch, shadow variables and .jsh loading",
        exitCodeListHeading = "%nExit status:%n", exitCodeList = {"0:the rows were measured and printed"},
        footer = {"%nExample:", "  klpsim bench --quick startup"})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "smaller machines and fewer rounds; still over a minute on 2 busy CPUs (docs/PERFORMANCE.md has the measured time)")
    boolean quick;

    @Parameters(paramLabel = "SECTION", arity = "0..*", completionCandidates = Bench.SectionNames.class,
            description = "measure only these sections: ${COMPLETION-CANDIDATES} (default: all)")
    List<Bench.Section> sections = List.of();

    @Override
    public Integer call() {
        return Bench.run(quick, sections.isEmpty() ? List.of(Bench.Section.values()) : sections,
                new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8));
    }
}
