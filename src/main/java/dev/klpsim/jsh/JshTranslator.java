package dev.klpsim.jsh;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a .jsh file into one Java class that does what JShell does with it, so that the
 * whole file compiles in one javac invocation instead of one per snippet:
 * <ul>
 * <li>the file is cut into snippets by JShell itself ({@code analyzeCompletion}), and each
 * snippet is classified as JShell does: a declaration if it parses as a class member, else
 * a statement;</li>
 * <li>declarations become static members (JShell keeps them as static members of its
 * wrapper classes), statements become static {@code do_it$N()} methods called from a static
 * initializer, in file order (JShell calls its wrappers' {@code do_it$} in order), so
 * lambdas are static as under JShell and state lives in the class: a fresh class loader per
 * load gives a fresh module;</li>
 * <li>every snippet stays on its own line: the header goes before line 1, imports are moved
 * there and blanked, so javac's line numbers are the file's.</li>
 * </ul>
 * Anything this does not handle (an incomplete snippet, a trailing comment that would hide
 * the wrapper) returns null, and the caller evaluates the file with JShell as before.
 */
final class JshTranslator {
    private JshTranslator() {}

    private static JShell analysis;

    /** One JShell for cutting files into snippets; it never evaluates anything. */
    private static synchronized SourceCodeAnalysis analysis() {
        if (analysis == null) analysis = JShell.builder().executionEngine(new HostExecution(), Map.of()).build();
        return analysis.sourceCodeAnalysis();
    }

    record Snippet(int start, int end, String text, boolean needsSemi) {}

    /** The Java source of class {@code packageName.simpleName} for this file, or null. */
    static String translate(String packageName, String simpleName, String source, JshCompiler javac) {
        List<Snippet> snippets = split(source);
        if (snippets == null) return null;
        List<String> texts = new ArrayList<>();
        for (Snippet s : snippets) texts.add(s.text + (s.needsSemi ? ";" : ""));
        List<JshCompiler.Member> kinds = new ArrayList<>();
        StringBuilder imports = new StringBuilder();
        List<Boolean> isImport = new ArrayList<>();
        List<String> toParse = new ArrayList<>();
        for (String t : texts) {
            boolean imp = t.startsWith("import ") || t.startsWith("import\t") || t.startsWith("import\n");
            isImport.add(imp);
            if (imp) imports.append(t.replace('\n', ' ').replace('\r', ' ')).append(' ');
            else toParse.add(t);
        }
        List<JshCompiler.Member> parsed = toParse.isEmpty() ? List.of() : javac.classify(toParse);
        if (parsed == null) return null;
        int p = 0;
        for (boolean imp : isImport) kinds.add(imp ? null : parsed.get(p++));

        StringBuilder out = new StringBuilder();
        out.append("package ").append(packageName).append("; ")
                .append(JshEvaluator.PRELUDE.replace('\n', ' ')).append(imports)
                .append("public final class ").append(simpleName).append(" { ")
                .append("static ModuleBuilder m = dev.klpsim.jsh.JshBridge.builder(); static Kernel k = m.kernel(); ");
        int pos = 0;
        for (int i = 0; i < snippets.size(); i++) {
            Snippet s = snippets.get(i);
            out.append(source, pos, s.start);
            pos = s.end;
            String text = texts.get(i);
            JshCompiler.Member k = kinds.get(i);
            if (k == null) {
                out.append(blank(s.text));
                continue;
            }
            boolean last = i == snippets.size() - 1;
            String lastLine = text.substring(text.lastIndexOf('\n') + 1);
            // a line comment at the end would swallow the wrapper's closing text
            String sep = lastLine.contains("//") ? "\n" : " ";
            if (sep.equals("\n") && !last) return null;
            switch (k.kind()) {
                case FIELD, METHOD, TYPE -> out.append(k.isStatic() ? "" : "static ").append(text);
                case STATEMENT -> {
                    String body = text.strip();
                    boolean ends = body.endsWith(";") || body.endsWith("}");
                    out.append("static void do_it$").append(i).append("() throws Throwable { ").append(text)
                            .append(ends ? "" : sep + ";").append(sep).append("} static { try { do_it$").append(i)
                            .append("(); } catch (Throwable t$) { throw dev.klpsim.jsh.JshBridge.rethrow(t$); } }");
                }
            }
        }
        out.append(source, pos, source.length()).append("\n}\n");
        return out.toString();
    }

    /** The first window {@link #split} hands JShell, in characters; doubled until a snippet fits. */
    static int firstWindow = 8192;

    /**
     * Cuts the file into snippets where JShell would; null when a snippet is incomplete.
     * JShell's {@code analyzeCompletion} reads its whole input (it masks comments in all of
     * it) to find where the first snippet ends, so handing it the rest of the file for each
     * snippet was quadratic. It gets a window of whole lines instead, doubled until the
     * snippet ends inside it with more text after it in the window: what decides where a
     * snippet ends is its own text and the token after it, both inside the window then.
     */
    static List<Snippet> split(String source) {
        SourceCodeAnalysis sca = analysis();
        List<Snippet> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            int start = pos + JshEvaluator.leadingBlank(source, pos);
            if (start >= source.length()) return out;
            SourceCodeAnalysis.CompletionInfo ci;
            String rest;
            for (int window = firstWindow; ; window *= 2) {
                if (UserCode.interruptRequested()) throw new UserCode.Interrupted();
                int end = windowEnd(source, start, window);
                rest = source.substring(start, end);
                synchronized (JshTranslator.class) {
                    ci = sca.analyzeCompletion(rest);
                }
                if (end == source.length() || endsInside(ci)) break;
            }
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY) return out;
            if (!ci.completeness().isComplete()) return null;
            int used = rest.length() - ci.remaining().length();
            if (used <= 0) return null;
            String text = rest.substring(0, used);
            boolean semi = ci.completeness() == SourceCodeAnalysis.Completeness.COMPLETE_WITH_SEMI;
            out.add(new Snippet(start, start + used, text, semi));
            pos = start + used;
        }
    }

    /** The end of a window of about {@code size} characters from {@code start}, on a line break. */
    private static int windowEnd(String s, int start, int size) {
        if ((long) start + size >= s.length()) return s.length();
        int nl = s.indexOf('\n', start + size);
        return nl < 0 ? s.length() : nl + 1;
    }

    /**
     * Whether the snippet JShell found ended inside the window, followed by a token that is
     * whole in it: the remaining text holds something besides blanks, and not a comment or
     * text block the window cut open.
     */
    private static boolean endsInside(SourceCodeAnalysis.CompletionInfo ci) {
        if (!ci.completeness().isComplete()) return false;
        String r = ci.remaining().strip();
        if (r.isEmpty()) return false;
        if (r.startsWith("/*") && !r.contains("*/")) return false;
        if (r.startsWith("//") && r.indexOf('\n') < 0) return false;
        // the next snippet must itself start whole: at least one full line after the snippet
        return r.indexOf('\n') > 0 && !r.contains("\"\"\"");
    }

    /** The same text with everything but line breaks turned into spaces. */
    private static String blank(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c == '\n' || c == '\r' ? c : ' ');
        }
        return b.toString();
    }
}
