package dev.klpsim.cli;

import dev.klpsim.Main;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/klpsim-completion.bash (picocli AutoComplete) and docs/man/*.adoc (picocli's
 * ManPageGenerator) are generated from the klpsim command model; this fails when they are
 * stale. Regenerate with: mvn -B -q test -Dtest=GeneratedDocsTest -Dklpsim.updateDocs=true
 */
class GeneratedDocsTest {
    private static final Path DOCS = Path.of("docs");

    /** Every generated file, by its path under docs/. */
    static Map<Path, String> generate() {
        Map<Path, String> files = new LinkedHashMap<>();
        CommandLine cl = Main.commandLine();
        files.put(DOCS.resolve("klpsim-completion.bash"), AutoComplete.bash("klpsim", cl));
        addManPages(cl, files);
        return files;
    }

    private static void addManPages(CommandLine cl, Map<Path, String> files) {
        StringWriter w = new StringWriter();
        try (PrintWriter pw = new PrintWriter(w)) {
            ManPageGenerator.writeSingleManPage(pw, cl.getCommandSpec());
        }
        files.put(DOCS.resolve("man").resolve(cl.getCommandSpec().qualifiedName("-") + ".adoc"), w.toString().replace("\r\n", "\n"));
        for (CommandLine sub : cl.getSubcommands().values()) addManPages(sub, files);
    }

    @Test
    void generatedDocsAreCurrent() throws IOException {
        boolean update = Boolean.getBoolean("klpsim.updateDocs");
        for (Map.Entry<Path, String> f : generate().entrySet()) {
            if (update) {
                Files.createDirectories(f.getKey().getParent());
                Files.writeString(f.getKey(), f.getValue(), StandardCharsets.UTF_8);
                continue;
            }
            assertTrue(Files.exists(f.getKey()), f.getKey() + " is missing; regenerate: mvn -B -q test -Dtest=GeneratedDocsTest -Dklpsim.updateDocs=true");
            assertEquals(f.getValue(), Files.readString(f.getKey(), StandardCharsets.UTF_8),
                    f.getKey() + " is stale; regenerate: mvn -B -q test -Dtest=GeneratedDocsTest -Dklpsim.updateDocs=true");
        }
    }

    @Test
    void theCompletionScriptKnowsTheSubcommandsAndOptions() {
        String script = generate().get(DOCS.resolve("klpsim-completion.bash"));
        for (String word : new String[] {"verify", "bench", "run", "--module-path", "--no-reliable-stacks", "--quick"})
            assertTrue(script.contains(word), word);
    }
}
