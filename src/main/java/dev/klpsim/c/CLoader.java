package dev.klpsim.c;

import dev.klpsim.c.Interp.Fn;
import dev.klpsim.c.parser.CParser;
import dev.klpsim.c.parser.CParser.*;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a C source into what each load runs: preprocessed (jcpp) and parsed (ANTLR) once
 * per text, module name and kernel version in this process; a later load of the same file
 * reuses the tree, as a .jsh module reuses its compiled class.
 */
public final class CLoader {
    private CLoader() {}

    /**
     * The directory --c-modules DIR means for a profile: DIR/PROFILE when there is one (the
     * spec's kernel, 6.12's livepatch plus stack_order, takes DIR/6.12), else DIR.
     */
    public static Path sourceDir(Path dir, dev.klpsim.kernel.Profile profile) {
        Path sub = dir.resolve(profile == dev.klpsim.kernel.Profile.SPEC ? "6.12" : profile.option);
        return java.nio.file.Files.isDirectory(sub) ? sub : dir;
    }

    /**
     * Parses a small module on a daemon thread while the user reads the prompt: ANTLR builds
     * the C parser's prediction tables on its first parse (most of a first load's time), and
     * keeps them for every later parse. Best effort; stores nothing else.
     */
    public static void warmUpInBackground() {
        if ("off".equals(System.getenv("KLPSIM_C_WARMUP"))) return;
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(300);   // after the prompt is drawn
                if (parses.get() > 0) return;   // the user was first: the tables are built
                Path p = Path.of("warm-up.c");
                Preprocessed pre = CPreprocessor.run(p, "warm-up.c", WARM_UP, "warm_up", 6, 12);
                CSyntax.parse(pre, (line, ch, msg, fn, fixit) -> msg);
            } catch (InterruptedException | CError | RuntimeException | LinkageError e) {
                // warming is best effort
            }
        }, "klpsim-c-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** What a C livepatch looks like, for warming the parser: every construct the samples use. */
    private static final String WARM_UP = """
            #define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
            #include <linux/module.h>
            #include <linux/kernel.h>
            #include <linux/livepatch.h>
            #include <linux/seq_file.h>
            static int calls;
            module_param(calls, int, 0644);
            static int warm_show(struct seq_file *m, void *v)
            {
            	int i;
            	for (i = 0; i < 2; i++)
            		calls++;
            	seq_printf(m, "%s %d\\n", "warm", calls);
            	return 0;
            }
            static int warm_pre_patch(struct klp_object *obj)
            {
            	if (obj->mod)
            		pr_info("%s: %s\\n", __func__, obj->mod->name);
            	return 0;
            }
            static struct klp_func funcs[] = {
            	{ .old_name = "cmdline_proc_show", .new_func = warm_show, }, { }
            };
            static struct klp_object objs[] = {
            	{ .funcs = funcs, .callbacks = { .pre_patch = warm_pre_patch, }, }, { }
            };
            static struct klp_patch patch = { .mod = THIS_MODULE, .objs = objs, };
            static int warm_init(void)
            {
            	return klp_enable_patch(&patch);
            }
            module_init(warm_init);
            MODULE_LICENSE("GPL");
            MODULE_INFO(livepatch, "Y");
            """;

    /** NAME.c (or with dashes for underscores) in the module path, or null. */
    public static Path find(List<Path> dirs, String name) {
        for (Path d : dirs) {
            for (String f : new String[] {name + ".c", name.replace('_', '-') + ".c"}) {
                Path p = d.resolve(f);
                if (java.nio.file.Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    /** A parsed module source. */
    record Unit(Preprocessed pre, CompilationUnitContext cu, String[] lines, Interp.TokenPositions positions) {}

    private static final Map<String, Unit> memo = new ConcurrentHashMap<>();

    /** Loads of C modules in this process (each instantiate), for the tests and the bench. */
    public static final java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger(),
            parses = new java.util.concurrent.atomic.AtomicInteger();

    static Unit parse(Path path, String shown, String text, String modname, int major, int minor) throws CError {
        String key = shown + "\0" + modname + "\0" + major + "." + minor + "\0" + text;
        Unit u = memo.get(key);
        if (u != null) return u;
        parses.incrementAndGet();
        String[] lines = text.split("\n", -1);
        Preprocessed pre = CPreprocessor.run(path, shown, text, modname, major, minor);
        CompilationUnitContext cu = CSyntax.parse(pre, (line, ch, msg, fn, fixit) -> CError.format(shown, fn, lines, line, ch, msg, fixit));
        Interp.TokenPositions pos = (tok, msg) -> {
            int off = tok == null ? 0 : tok.getStartIndex();
            int line = pre.line(off);
            return CError.format(shown, functionAt(pre, cu, line), lines, line, pre.charIndex(off), msg, null);
        };
        u = new Unit(pre, cu, lines, pos);
        memo.put(key, u);
        return u;
    }

    /** The function whose body holds source line {@code line}, for gcc's "In function" line. */
    private static String functionAt(Preprocessed pre, CompilationUnitContext cu, int line) {
        if (cu == null || cu.translationUnit() == null) return null;
        for (ExternalDeclarationContext ed : cu.translationUnit().externalDeclaration()) {
            FunctionDefinitionContext fd = ed.functionDefinition();
            if (fd == null) continue;
            int from = pre.line(fd.compoundStatement().getStart().getStartIndex()), to = pre.line(fd.getStop().getStartIndex());
            if (line >= from && line <= to) return name(fd.declarator());
        }
        return null;
    }

    static String name(DeclaratorContext d) {
        DirectDeclaratorContext dd = d.directDeclarator();
        while (dd.Identifier() == null || dd.directDeclarator() != null) {
            if (dd.directDeclarator() != null) dd = dd.directDeclarator();
            else if (dd.declarator() != null) dd = dd.declarator().directDeclarator();
            else return "?";
        }
        return dd.Identifier().getText();
    }

    /**
     * The functions that become the module's symbols, as in a kernel build: every function
     * but a static inline one whose address is not taken (the header's list helpers, which
     * the compiler inlines). A livepatch may patch any of them, and a call between them goes
     * through the kernel (see Interp.callValue).
     */
    static List<Fn> moduleFunctions(Interp in) {
        Set<String> taken = new HashSet<>();
        collectAddressTaken(in.cu, in.functions.keySet(), taken);
        List<Fn> out = new ArrayList<>();
        for (Fn fn : in.functions.values()) if (taken.contains(fn.name) || !fn.isInline) {
            fn.symbol = true;
            out.add(fn);
        }
        return out;
    }

    private static void collectAddressTaken(ParseTree t, Set<String> fns, Set<String> out) {
        if (t instanceof PrimaryExpressionContext p && p.Identifier() != null && fns.contains(p.Identifier().getText())) {
            boolean called = p.getParent() instanceof PostfixExpressionContext pe && pe.getChildCount() > 1 && pe.getChild(1).getText().equals("(");
            if (!called) out.add(p.Identifier().getText());
        }
        for (int i = 0; i < t.getChildCount(); i++) collectAddressTaken(t.getChild(i), fns, out);
    }

    /**
     * What gcc finds before anything runs: a name used in a function that nothing declares
     * ("'x' undeclared"), a function called that neither the module nor klpsim's kernel has
     * (an implicit declaration, an error in a kernel build).
     */
    static void checkNames(Interp in, Unit unit) {
        checkSupported(in, in.cu);
        for (Fn fn : in.functions.values()) {
            Set<String> local = new LinkedHashSet<>(fn.paramNames);
            collectDeclared(fn.def.compoundStatement(), local);
            Set<String> reported = new HashSet<>();
            checkUses(in, fn.def.compoundStatement(), local, reported);
        }
    }

    /** Constructs C.g4 parses that klpsim does not run: refused at load, each named, where it is. */
    private static void checkSupported(Interp in, ParseTree t) {
        String what = null;
        if (t instanceof TypeSpecifierContext ts && ts.getChildCount() == 1 && ts.getChild(0) instanceof TerminalNode n) {
            String w = n.getText();
            if (w.equals("float") || w.equals("double")) what = "floating point type '" + w + "'";
            else if (w.startsWith("_Complex") || w.startsWith("__m128")) what = "type '" + w + "'";
        } else if (t instanceof AtomicTypeSpecifierContext) what = "'_Atomic'";
        else if (t instanceof PrimaryExpressionContext p && p.Constant() != null) {
            String c = p.Constant().getText().toLowerCase();
            if (!c.startsWith("'") && !c.startsWith("0x") && (c.contains(".") || c.contains("e"))) what = "floating constant '" + p.Constant().getText() + "'";
        } else if (t instanceof PrimaryExpressionContext p && p.genericSelection() != null) what = "'_Generic'";
        else if (t instanceof PrimaryExpressionContext p && p.getStart().getText().equals("__builtin_va_arg")) what = "'__builtin_va_arg'";
        else if (t instanceof StatementContext st && (st.getStart().getText().equals("__asm") || st.getStart().getText().equals("__asm__"))) what = "asm statement";
        else if (t instanceof GccDeclaratorExtensionContext g && g.getStart().getText().equals("__asm")) what = "asm label";
        else if (t instanceof UnaryExpressionContext u && u.getStart().getText().equals("&&")) what = "label address ('&&label')";
        else if (t instanceof PostfixExpressionContext pe && pe.typeName() != null) what = "compound literal";
        else if (t instanceof StructDeclaratorContext sd && sd.constantExpression() != null) what = "bit-field";
        else if (t instanceof DirectDeclaratorContext dd && dd.DigitSequence() != null) what = "bit-field";
        else if (t instanceof JumpStatementContext j && j.unaryExpression() != null) what = "computed goto";
        else if (t instanceof IterationStatementContext || t instanceof SelectionStatementContext) what = null;
        if (what != null) throw in.error((ParserRuleContext) t, "unsupported in klpsim: " + what);
        for (int i = 0; i < t.getChildCount(); i++) checkSupported(in, t.getChild(i));
    }

    private static void collectDeclared(ParseTree t, Set<String> out) {
        if (t instanceof DirectDeclaratorContext d && d.Identifier() != null) out.add(d.Identifier().getText());
        if (t instanceof TypedefNameContext n) out.add(n.getText());   // `int x;` parses x as a typedef name
        if (t instanceof LabeledStatementContext l && l.Identifier() != null) out.add(l.Identifier().getText());
        for (int i = 0; i < t.getChildCount(); i++) collectDeclared(t.getChild(i), out);
    }

    private static void checkUses(Interp in, ParseTree t, Set<String> local, Set<String> reported) {
        if (t instanceof PrimaryExpressionContext p && p.Identifier() != null) {
            String n = p.Identifier().getText();
            if (!local.contains(n) && !n.equals("__func__") && !n.equals("__FUNCTION__") && !in.globals.containsKey(n) && in.fn(n) == null && !in.enums.containsKey(n)
                    && !in.api.isKernelVariable(n) && !in.api.has(n) && !in.typedefs.containsKey(n) && reported.add(n)) {
                boolean called = p.getParent() instanceof PostfixExpressionContext pe && pe.getChildCount() > 1 && pe.getChild(1).getText().equals("(");
                if (called) throw in.error(p, "implicit declaration of function '" + n + "' [-Werror=implicit-function-declaration]");
                throw in.error(p, "'" + n + "' undeclared (first use in this function)");
            }
        }
        for (int i = 0; i < t.getChildCount(); i++) checkUses(in, t.getChild(i), local, reported);
    }

}
