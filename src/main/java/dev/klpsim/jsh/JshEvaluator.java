package dev.klpsim.jsh;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates Java source with the JDK's JShell API in this JVM: the snippet classes see
 * klpsim's own classes. Errors come back as {@code file:line: message} with the source line;
 * an exception thrown later by code from the source can be traced back to its line.
 */
public final class JshEvaluator implements AutoCloseable {
    /** A compile error or a top-level exception, already worded for the user. */
    public static final class SourceError extends Exception {
        public SourceError(String msg) {
            super(msg, null, false, false);
        }
    }

    private record Evaluated(int startLine, SourceCodeAnalysis.SnippetWrapper wrapper, String source) {}

    public static final String PRELUDE = "import dev.klpsim.api.*;\nimport dev.klpsim.kernel.*;\nimport dev.klpsim.livepatch.*;\nimport java.util.*;\n";

    private final JShell js;
    private final String file;
    private final List<String> lines;
    private final List<Evaluated> evaluated = new ArrayList<>();
    private final ByteArrayOutputStream snippetOut = new ByteArrayOutputStream();

    public JshEvaluator(String file, String source) {
        this.file = file;
        this.lines = List.of(source.split("\n", -1));
        PrintStream ps = new PrintStream(snippetOut, true, StandardCharsets.UTF_8);
        this.js = JShell.builder().executionEngine(new HostExecution(), java.util.Map.of()).out(ps).err(ps).build();
        js.addToClasspath(hostClasspath());
    }

    /** Where klpsim's classes are: the jar or target/classes. */
    static String hostClasspath() {
        try {
            return Path.of(JshEvaluator.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return System.getProperty("java.class.path");
        }
    }

    /** Runs code that is not from the file (imports, bindings). */
    public void prelude(String code) throws SourceError {
        run(code, 0, true);
    }

    /** Evaluates the whole file, snippet by snippet, in order. */
    public void evalFile(String source) throws SourceError {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String rest = source;
        int consumed = 0;
        while (!rest.isBlank()) {
            int lead = leadingBlank(rest);
            int startLine = lineOf(source, consumed + lead);
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            if (!ci.completeness().isComplete()) {
                if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
                // let javac say what is wrong with the unfinished statement, and where
                run(rest.substring(lead), startLine, false);
                throw new SourceError(file + ":" + startLine + ": error: incomplete statement at end of file\n" + context(startLine));
            }
            String snippet = ci.source();
            run(snippet.substring(leadingBlank(snippet)), startLine, false);
            int used = rest.length() - ci.remaining().length();
            consumed += used;
            rest = ci.remaining();
        }
    }

    private void run(String code, int startLine, boolean prelude) throws SourceError {
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
            String snippet = ci.completeness().isComplete() ? ci.source() : rest;
            for (SnippetEvent ev : js.eval(snippet)) {
                Snippet sn = ev.snippet();
                if (ev.status() == Snippet.Status.REJECTED) {
                    StringBuilder msg = new StringBuilder();
                    js.diagnostics(sn).forEach(d -> {
                        if (!d.isError()) return;
                        int line = prelude ? 0 : startLine + count(sn.source(), (int) Math.max(0, d.getStartPosition()));
                        if (msg.length() > 0) msg.append('\n');
                        msg.append(file).append(':').append(line).append(": error: ").append(d.getMessage(Locale.ROOT).split("\n")[0]);
                        if (!prelude) msg.append('\n').append(context(line));
                    });
                    if (msg.length() == 0) msg.append(file).append(':').append(startLine).append(": error: cannot evaluate this\n").append(context(startLine));
                    throw new SourceError(msg.toString());
                }
                if (ev.status().isActive() && !prelude) {
                    evaluated.add(new Evaluated(startLine, sca.wrapper(sn), sn.source()));
                }
                if (ev.exception() != null) {
                    Throwable t = ev.exception();
                    String what = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
                    String stop = stopped(what, t);
                    if (stop != null) throw new SourceError(file + ":" + locate(t, startLine) + ": " + stop + "\n" + context(locate(t, startLine)));
                    throw new SourceError(file + ":" + locate(t, startLine) + ": exception " + what + (t.getMessage() == null ? "" : ": " + t.getMessage())
                            + "\n" + context(locate(t, startLine)));
                }
            }
            rest = ci.completeness().isComplete() ? ci.remaining() : "";
        }
    }

    /** For user code stopped by Ctrl-C or by its System.exit: the one line that says so; else null. */
    private static String stopped(String className, Throwable t) {
        if (className.equals(UserCode.Interrupted.class.getName()) || UserCode.stopPending()) {
            UserCode.consumeUserStop();
            return "stopped by Ctrl-C";
        }
        if (className.equals(UserCode.ExitCalled.class.getName())) return t.getMessage();
        return null;
    }

    /**
     * The line of this source a throwable came from: the innermost frame in a snippet
     * class, mapped back through JShell's wrapper. {@code fallback} when none is.
     */
    public int locate(Throwable t, int fallback) {
        StackTraceElement[] st = t instanceof EvalException ee ? ee.getStackTrace() : t.getStackTrace();
        for (StackTraceElement f : st) {
            for (Evaluated e : evaluated) {
                String cls = e.wrapper().fullClassName();
                if (!(f.getClassName().equals(cls) || f.getClassName().startsWith(cls + "$"))) continue;
                int pos = lineStart(e.wrapper().wrapped(), f.getLineNumber());
                if (pos < 0) continue;
                String wrapped = e.wrapper().wrapped();
                // skip indentation, then map the first real character back to the snippet
                while (pos < wrapped.length() && (wrapped.charAt(pos) == ' ' || wrapped.charAt(pos) == '\t')) pos++;
                int src = e.wrapper().wrappedToSourcePosition(pos);
                if (src >= 0) return e.startLine() + count(e.source(), src);
            }
        }
        return fallback;
    }

    public String context(int line) {
        if (line < 1 || line > lines.size()) return "";
        return "    " + lines.get(line - 1).stripTrailing();
    }

    public String file() {
        return file;
    }

    private static int lineStart(String text, int line) {
        if (line < 1) return -1;
        int pos = 0;
        for (int i = 1; i < line; i++) {
            pos = text.indexOf('\n', pos);
            if (pos < 0) return -1;
            pos++;
        }
        return pos;
    }

    private static int count(String s, int upTo) {
        int n = 0;
        for (int i = 0; i < Math.min(upTo, s.length()); i++) if (s.charAt(i) == '\n') n++;
        return n;
    }

    private static int lineOf(String s, int pos) {
        return 1 + count(s, pos);
    }

    /** Whitespace and comments before the next snippet, so that its line is where its code starts. */
    static int leadingBlank(String s) {
        return leadingBlank(s, 0);
    }

    /** The same from {@code from}: how many characters of blanks and comments start there. */
    static int leadingBlank(String s, int from) {
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) i++;
            else if (s.startsWith("//", i)) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
            } else break;
        }
        return i - from;
    }

    /** What snippets printed with System.out, for the `java` command. */
    public String drainOutput() {
        String s = snippetOut.toString(StandardCharsets.UTF_8);
        snippetOut.reset();
        return s;
    }

    /** Evaluates one line for the `java` command and returns the value of an expression, if any. */
    public List<String> evalLine(String code) throws SourceError {
        List<String> values = new ArrayList<>();
        SourceCodeAnalysis sca = js.sourceCodeAnalysis();
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            String snippet = ci.completeness().isComplete() ? ci.source() : rest;
            for (SnippetEvent ev : js.eval(snippet)) {
                if (ev.status() == Snippet.Status.REJECTED) {
                    StringBuilder msg = new StringBuilder();
                    for (Diag d : js.diagnostics(ev.snippet()).toList())
                        if (d.isError()) msg.append(msg.length() == 0 ? "" : "\n").append("java: error: ").append(d.getMessage(Locale.ROOT).split("\n")[0]);
                    throw new SourceError(msg.length() == 0 ? "java: error: cannot evaluate this" : msg.toString());
                }
                if (ev.exception() != null) {
                    Throwable t = ev.exception();
                    String what = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
                    String stop = stopped(what, t);
                    if (stop != null) throw new SourceError("java: " + stop);
                    throw new SourceError("java: exception " + what + (t.getMessage() == null ? "" : ": " + t.getMessage()));
                }
                if (ev.value() != null && ev.snippet().kind() == Snippet.Kind.EXPRESSION || ev.value() != null && ev.snippet().kind() == Snippet.Kind.VAR && ev.causeSnippet() == null)
                    values.add(ev.value());
            }
            rest = ci.completeness().isComplete() ? ci.remaining() : "";
        }
        return values;
    }

    @Override
    public void close() {
        js.close();
    }
}
