package dev.klpsim.jsh;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;

import javax.lang.model.element.Modifier;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JDK's compiler (javax.tools), kept warm for the whole process: one file manager with
 * klpsim's classes on its class path, reused by every compilation. A .jsh module is parsed
 * once to classify its snippets and compiled in one invocation (see {@link JshTranslator}).
 */
final class JshCompiler {
    private static JshCompiler instance;

    private final JavaCompiler javac;
    private final StandardJavaFileManager files;

    private JshCompiler() throws IOException {
        javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) throw new IOException("no Java compiler in this runtime");
        files = javac.getStandardFileManager(null, Locale.ROOT, java.nio.charset.StandardCharsets.UTF_8);
        List<File> cp = new ArrayList<>();
        for (String p : JshEvaluator.hostClasspath().split(File.pathSeparator)) if (!p.isEmpty()) cp.add(new File(p));
        files.setLocation(StandardLocation.CLASS_PATH, cp);
    }

    /** The process's compiler; null when this runtime has none (a JRE): callers then use JShell. */
    static synchronized JshCompiler get() {
        if (instance == null) {
            try {
                instance = new JshCompiler();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return instance;
    }

    /** What a top-level snippet is, as JShell sees it: tried as a class member first, else a statement. */
    enum Kind { FIELD, METHOD, TYPE, STATEMENT }

    record Member(Kind kind, boolean isStatic) {}

    /**
     * Classifies snippets by parsing each one as the body of a class (one parser run for
     * all): a field, method or type declaration parses there; anything else is a statement.
     */
    synchronized List<Member> classify(List<String> snippets) {
        List<JavaFileObject> units = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) units.add(new Source("S" + i, "class S" + i + " {\n" + snippets.get(i) + "\n}\n"));
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(null, files, diags, List.of("-proc:none", "-Xlint:none", "-nowarn"), null, units);
        List<Member> out = new ArrayList<>();
        try {
            List<CompilationUnitTree> trees = new ArrayList<>();
            for (CompilationUnitTree t : task.parse()) trees.add(t);
            java.util.Set<Object> bad = new java.util.HashSet<>();
            for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics())
                if (d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null) bad.add(d.getSource().toUri());
            for (int i = 0; i < trees.size(); i++) {
                CompilationUnitTree cu = trees.get(i);
                Member m = new Member(Kind.STATEMENT, false);
                if (!bad.contains(cu.getSourceFile().toUri()) && cu.getTypeDecls().size() == 1
                        && cu.getTypeDecls().get(0) instanceof ClassTree c && c.getMembers().size() >= 1) {
                    Tree first = c.getMembers().get(0);
                    if (first instanceof VariableTree v) m = new Member(Kind.FIELD, isStatic(v.getModifiers()));
                    else if (first instanceof MethodTree mt) m = new Member(Kind.METHOD, isStatic(mt.getModifiers()));
                    else if (first instanceof ClassTree ct) m = new Member(Kind.TYPE, isStatic(ct.getModifiers()));
                    else if (first instanceof BlockTree) m = new Member(Kind.STATEMENT, false);
                }
                out.add(m);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out;
    }

    private static boolean isStatic(ModifiersTree m) {
        return m.getFlags().contains(Modifier.STATIC);
    }

    /** The result of one compilation: the classes, or the first error (for the record only). */
    record Output(Map<String, byte[]> classes, String error) {}

    /** Compiles one source in memory; nothing is written to disk. */
    synchronized Output compile(String className, String source) {
        Map<String, ByteArrayOutputStream> out = new LinkedHashMap<>();
        JavaFileManager fm = new ForwardingJavaFileManager<>(files) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location loc, String name, JavaFileObject.Kind kind, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + name.replace('.', '/') + ".class"), JavaFileObject.Kind.CLASS) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        out.put(name, b);
                        return b;
                    }
                };
            }
        };
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        String simple = className.substring(className.lastIndexOf('.') + 1);
        boolean ok;
        try {
            ok = javac.getTask(null, fm, diags, List.of("-proc:none", "-implicit:none", "-Xlint:none", "-nowarn"), null,
                    List.of(new Source(simple, source))).call();
        } catch (RuntimeException e) {
            return new Output(null, e.toString());
        }
        if (!ok) {
            String first = diags.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                    .map(d -> d.getLineNumber() + ": " + d.getMessage(Locale.ROOT)).findFirst().orElse("compilation failed");
            return new Output(null, first);
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        out.forEach((n, b) -> classes.put(n, b.toByteArray()));
        return new Output(classes, null);
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String simpleName, String code) {
            super(URI.create("string:///" + simpleName + ".java"), JavaFileObject.Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
