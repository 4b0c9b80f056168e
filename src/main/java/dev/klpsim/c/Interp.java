package dev.klpsim.c;

import dev.klpsim.c.Mem.CStruct;
import dev.klpsim.c.Mem.Foreign;
import dev.klpsim.c.Mem.Ptr;
import dev.klpsim.c.parser.CParser;
import dev.klpsim.c.parser.CParser.*;
import dev.klpsim.jsh.UserCode;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one load of a C module by walking its parse tree: the file's declarations (types,
 * enums, static data with its initializers, functions), then whatever function the kernel
 * calls. Values: integers are Long; pointers are {@link Ptr} (module memory), {@link Foreign}
 * (a kernel object), {@link Fn} or {@link Builtin} (functions), or null (NULL); a struct is a
 * {@link CStruct}. Every function entry and loop iteration polls Ctrl-C.
 */
final class Interp {
    final String file;
    final String[] lines;
    final CompilationUnitContext cu;
    final KernelApi api;

    final Map<String, CType> typedefs = new HashMap<>();
    final Map<String, CType.Struct> structs = new HashMap<>();
    final Map<String, Long> enums = new HashMap<>();
    final Map<String, Var> globals = new LinkedHashMap<>();
    final Map<String, Fn> functions = new LinkedHashMap<>();
    /** Function-local statics, one per declaration. */
    private final Map<ParserRuleContext, Var> statics = new IdentityHashMap<>();
    private final Map<ParserRuleContext, Ptr> literals = new IdentityHashMap<>();

    final Preprocessed pre;

    Interp(String file, String[] lines, Preprocessed pre, CompilationUnitContext cu, KernelApi api) {
        this.file = file;
        this.lines = lines;
        this.pre = pre;
        this.cu = cu;
        this.api = api;
    }

    /** The line in the module's file of a token of the preprocessed text. */
    int srcLine(Token t) {
        return pre.line(t.getStartIndex());
    }

    // ---- values --------------------------------------------------------------------------

    /** A variable: its type and its one slot. */
    static final class Var {
        final String name;
        final CType type;
        final Mem mem = new Mem(1, null);
        /** A module parameter's variable reads and writes the parameter. */
        dev.klpsim.api.Param param;

        Var(String name, CType type) {
            this.name = name;
            this.type = type;
        }
    }

    /** A function the module defines. */
    static final class Fn {
        final String name;
        final FunctionDefinitionContext def;
        final CType returns;
        final List<String> paramNames = new ArrayList<>();
        final List<CType> paramTypes = new ArrayList<>();
        final boolean isStatic;
        /** static inline: compiled into its callers, no symbol of its own */
        boolean isInline;
        /** A symbol of the module: a call of it goes through the kernel (ftrace, livepatch). */
        boolean symbol;

        Fn(String name, FunctionDefinitionContext def, CType returns, boolean isStatic) {
            this.name = name;
            this.def = def;
            this.returns = returns;
            this.isStatic = isStatic;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A kernel function klpsim implements, as a value (a function pointer to it). */
    record Builtin(String name) {}

    /** container_of() of a pointer that is not inside a struct (a list's head): only its member can be reached. */
    record Outer(Ptr member) {}

    /** An assignable place. */
    interface LVal {
        Object get();

        void set(Object v);

        CType type();

        /** &place */
        Object address();
    }

    private final class Slot implements LVal {
        final Ptr p;
        final CType t;

        Slot(Ptr p, CType t) {
            this.p = p;
            this.t = t;
        }

        @Override
        public Object get() {
            return read(p, t);
        }

        @Override
        public void set(Object v) {
            write(p, t, v);
        }

        @Override
        public CType type() {
            return t;
        }

        @Override
        public Object address() {
            return p;
        }
    }

    /** The kernel object's member, through the kernel's Java object. */
    private final class ForeignMember implements LVal {
        final Foreign f;
        final String member;

        ForeignMember(Foreign f, String member) {
            this.f = f;
            this.member = member;
        }

        @Override
        public Object get() {
            return api.foreignGet(f, member);
        }

        @Override
        public void set(Object v) {
            api.foreignSet(f, member, v);
        }

        @Override
        public CType type() {
            return api.foreignType(f, member);
        }

        @Override
        public Object address() {
            throw oops("unsupported", "taking the address of a kernel object's member '" + member + "'");
        }
    }

    private final class ParamVar implements LVal {
        final Var v;

        ParamVar(Var v) {
            this.v = v;
        }

        @Override
        public Object get() {
            return api.paramGet(v);
        }

        @Override
        public void set(Object x) {
            api.paramSet(v, x);
        }

        @Override
        public CType type() {
            return v.type;
        }

        @Override
        public Object address() {
            return v.mem.ptr(0);
        }
    }

    Object read(Ptr p, CType t) {
        check(p);
        Object v = p.mem.slots[p.idx];
        if (v == null) {
            if (t == null) return null;
            switch (t.kind) {
                case INT:
                    return 0L;
                case STRUCT: {
                    CStruct s = new CStruct(t.struct);
                    s.home = p;
                    p.mem.slots[p.idx] = s;
                    return s;
                }
                case ARRAY: {
                    Mem m = new Mem(Math.max(1, t.length), null);
                    p.mem.slots[p.idx] = m;
                    return m;
                }
                default:
                    return null;
            }
        }
        if (t != null && t.kind == CType.Kind.STRUCT && v instanceof CStruct s && s.home == null) s.home = p;
        return v;
    }

    void write(Ptr p, CType t, Object v) {
        check(p);
        if (t != null && t.kind == CType.Kind.STRUCT && v instanceof CStruct s) {
            CStruct dst = (CStruct) read(p, t);
            if (dst != s) System.arraycopy(copy(s).fields.slots, 0, dst.fields.slots, 0, dst.fields.slots.length);
            return;
        }
        p.mem.slots[p.idx] = t == null ? v : t.convert(v);
    }

    private static CStruct copy(CStruct s) {
        CStruct c = new CStruct(s.type);
        for (int i = 0; i < s.fields.slots.length; i++) {
            Object v = s.fields.slots[i];
            c.fields.slots[i] = v instanceof CStruct inner ? copy(inner) : v;
        }
        return c;
    }

    private void check(Ptr p) {
        if (p.mem.freed) throw oops("use-after-free", null);
        if (!p.inBounds()) throw oops("out-of-bounds", null);
    }

    // ---- errors --------------------------------------------------------------------------

    /** The line of the statement running now, for oops and Ctrl-C messages. */
    int line;
    /** The function running now. */
    String function = "";

    /** A fault in module code: a NULL dereference, out-of-bounds or use after free, or an unsupported construct. */
    static final class Fault extends RuntimeException {
        final String kind;
        final String function;
        final int line;

        Fault(String kind, String detail, String function, int line) {
            super(detail, null, false, false);
            this.kind = kind;
            this.function = function;
            this.line = line;
        }
    }

    Fault oops(String kind, String detail) {
        return new Fault(kind, detail, function, line);
    }

    private static final class Jump extends RuntimeException {
        Jump() {
            super(null, null, false, false);
        }
    }

    private static final class Return extends RuntimeException {
        Object value;

        Return() {
            super(null, null, false, false);
        }
    }

    private static final class Goto extends RuntimeException {
        final String label;

        Goto(String label) {
            super(null, null, false, false);
            this.label = label;
        }
    }

    private static final Jump BREAK = new Jump(), CONTINUE = new Jump();

    // ---- scopes --------------------------------------------------------------------------

    private ArrayDeque<Map<String, Var>> scopes = new ArrayDeque<>();

    private Var lookup(String name) {
        for (Map<String, Var> s : scopes) {
            Var v = s.get(name);
            if (v != null) return v;
        }
        return globals.get(name);
    }

    // ---- the file's declarations ---------------------------------------------------------

    /** Declares everything at file scope and initializes the static data, in file order. */
    void load() {
        TranslationUnitContext tu = cu.translationUnit();
        if (tu == null) return;
        for (ExternalDeclarationContext ed : tu.externalDeclaration())
            if (ed.functionDefinition() != null) definitions.put(CLoader.name(ed.functionDefinition().declarator()), ed.functionDefinition());
        for (ExternalDeclarationContext ed : tu.externalDeclaration()) {
            line = srcLine(ed.getStart());
            if (ed.functionDefinition() != null) defineFunction(ed.functionDefinition());
            else if (ed.declaration() != null) declare(ed.declaration(), true);
        }
    }

    private void defineFunction(FunctionDefinitionContext fd) {
        Spec spec = specifiers(fd.declarationSpecifiers() == null ? List.of() : fd.declarationSpecifiers().declarationSpecifier());
        Decl d = declarator(fd.declarator(), spec.type);
        if (d.type.kind != CType.Kind.FUNC) throw unsupported(fd, "function definition");
        Fn fn = functions.get(d.name);
        if (fn != null) {
            // defined early, for a use before its definition: keep its place in file order
            functions.remove(d.name);
            functions.put(d.name, fn);
            return;
        }
        fn = new Fn(d.name, fd, d.type.target, spec.isStatic);
        for (DeclarationSpecifierContext ds : fd.declarationSpecifiers() == null ? List.<DeclarationSpecifierContext>of() : fd.declarationSpecifiers().declarationSpecifier())
            if (ds.functionSpecifier() != null && ds.functionSpecifier().getText().startsWith("inline") || ds.getText().startsWith("__inline")) fn.isInline = true;
        fn.paramNames.addAll(d.paramNames);
        fn.paramTypes.addAll(d.paramTypes);
        functions.put(d.name, fn);
    }

    /** What the specifiers of a declaration say. */
    private record Spec(CType type, boolean isTypedef, boolean isStatic, boolean isExtern, String stray) {}

    private Spec specifiers(List<? extends ParserRuleContext> specs) {
        boolean isTypedef = false, isStatic = false, isExtern = false, unsigned = false, signed = false;
        int longs = 0;
        String base = null;
        CType type = null;
        String stray = null;
        for (int i = 0; i < specs.size(); i++) {
            ParserRuleContext s = specs.get(i);
            StorageClassSpecifierContext sc = s.getRuleContext(StorageClassSpecifierContext.class, 0);
            TypeSpecifierContext ts = s instanceof TypeSpecifierContext t ? t : s.getRuleContext(TypeSpecifierContext.class, 0);
            if (sc != null) {
                String w = sc.getText();
                if (w.equals("typedef")) isTypedef = true;
                else if (w.equals("static")) isStatic = true;
                else if (w.equals("extern")) isExtern = true;
                continue;
            }
            if (ts == null) continue;   // qualifiers, inline, attributes
            if (ts.typedefName() != null) {
                String n = ts.typedefName().getText();
                // C.g4 cannot tell a typedef name from the declarator's name: a name that is
                // no typedef, or comes after a type, is the declarator's
                if (typedefs.containsKey(n) && type == null && base == null && !unsigned && !signed && longs == 0) type = typedefs.get(n);
                else stray = n;
                continue;
            }
            if (ts.structOrUnionSpecifier() != null) type = CType.struct(structSpecifier(ts.structOrUnionSpecifier()));
            else if (ts.enumSpecifier() != null) {
                enumSpecifier(ts.enumSpecifier());
                type = CType.UINT;
            } else if (ts.getStart().getText().equals("__typeof__")) type = typeOfExpr(ts.constantExpression());
            else {
                String w = ts.getText();
                switch (w) {
                    case "unsigned" -> unsigned = true;
                    case "signed" -> signed = true;
                    case "long" -> longs++;
                    case "void", "char", "short", "int", "_Bool", "float", "double" -> base = w;
                    default -> throw unsupported(ts, "type '" + w + "'");
                }
            }
        }
        if (type == null) {
            if ("void".equals(base)) type = CType.VOID;
            else if ("_Bool".equals(base)) type = CType.BOOL;
            else if ("char".equals(base)) type = CType.integer(1, unsigned);
            else if ("short".equals(base)) type = CType.integer(2, unsigned);
            else if ("float".equals(base) || "double".equals(base)) throw unsupported(specs.get(0), "floating point");
            else if (longs > 0) type = CType.integer(8, unsigned);
            else type = CType.integer(4, unsigned);
        }
        return new Spec(type, isTypedef, isStatic, isExtern, stray);
    }

    private CType.Struct structSpecifier(StructOrUnionSpecifierContext s) {
        boolean union = s.structOrUnion().getText().equals("union");
        String tag = s.Identifier() != null ? s.Identifier().getText() : "<anonymous>";
        CType.Struct st = s.Identifier() != null ? structs.get(tag) : null;
        if (st == null) {
            st = new CType.Struct(tag, union);
            if (s.Identifier() != null) structs.put(tag, st);
        }
        if (s.structDeclarationList() != null) {
            if (st.complete) {
                st = new CType.Struct(tag, union);
                structs.put(tag, st);
            }
            for (StructDeclarationContext d : s.structDeclarationList().structDeclaration()) {
                if (d.specifierQualifierList() == null) continue;
                List<ParserRuleContext> specs = new ArrayList<>();
                for (SpecifierQualifierListContext l = d.specifierQualifierList(); l != null; l = l.specifierQualifierList()) {
                    if (l.typeSpecifier() != null) specs.add(l.typeSpecifier());
                }
                Spec spec = specifiers(specs);
                if (d.structDeclaratorList() == null) {
                    if (spec.stray != null) st.add(spec.stray, spec.type);
                    else if (spec.type.kind == CType.Kind.STRUCT) {
                        // an anonymous struct or union member: its members are the outer one's
                        for (int i = 0; i < spec.type.struct.names.size(); i++) st.add(spec.type.struct.names.get(i), spec.type.struct.types.get(i));
                    }
                    continue;
                }
                for (StructDeclaratorContext sd : d.structDeclaratorList().structDeclarator()) {
                    if (sd.declarator() == null) continue;
                    Decl dd = declarator(sd.declarator(), spec.type);
                    st.add(dd.name, dd.type);
                }
            }
            st.complete = true;
        }
        return st;
    }

    private void enumSpecifier(EnumSpecifierContext e) {
        if (e.enumeratorList() == null) return;
        long next = 0;
        for (EnumeratorContext en : e.enumeratorList().enumerator()) {
            if (en.constantExpression() != null) next = toLong(eval(en.constantExpression()));
            enums.put(en.enumerationConstant().getText(), next++);
        }
    }

    /** A declarator's name and type, and for a function its parameters. */
    private static final class Decl {
        String name;
        CType type;
        final List<String> paramNames = new ArrayList<>();
        final List<CType> paramTypes = new ArrayList<>();
        boolean varargs;
    }

    private Decl declarator(DeclaratorContext dc, CType base) {
        Decl d = new Decl();
        CType t = pointers(dc.pointer(), base);
        directDeclarator(dc.directDeclarator(), t, d);
        return d;
    }

    private static CType pointers(PointerContext p, CType base) {
        if (p == null) return base;
        CType t = base;
        for (ParseTree c : p.children) if (c instanceof TerminalNode n && (n.getText().equals("*") || n.getText().equals("^"))) t = CType.pointer(t);
        return t;
    }

    private void directDeclarator(DirectDeclaratorContext dd, CType t, Decl d) {
        if (dd.Identifier() != null && dd.directDeclarator() == null) {
            d.name = dd.Identifier().getText();
            d.type = t;
            return;
        }
        if (dd.declarator() != null && dd.directDeclarator() == null) {
            // ( declarator ): a pointer to a function or array, as in (*fn)(args)
            DeclaratorContext inner = dd.declarator();
            Decl holder = new Decl();
            directDeclarator(inner.directDeclarator(), pointers(inner.pointer(), t), holder);
            d.name = holder.name;
            d.type = holder.type;
            return;
        }
        String open = dd.getChild(1).getText();
        if (open.equals("[")) {
            int n = -1;
            if (dd.assignmentExpression() != null) n = (int) toLong(eval(dd.assignmentExpression()));
            directDeclarator(dd.directDeclarator(), CType.array(t, n), d);
            return;
        }
        if (open.equals("(")) {
            Decl params = new Decl();
            if (dd.parameterTypeList() != null) {
                params.varargs = dd.parameterTypeList().getChildCount() > 1;
                for (ParameterDeclarationContext pd : dd.parameterTypeList().parameterList().parameterDeclaration()) {
                    Spec spec = specifiers(pd.declarationSpecifiers() != null ? pd.declarationSpecifiers().declarationSpecifier() : pd.declarationSpecifiers2().declarationSpecifier());
                    if (pd.declarator() != null) {
                        Decl p = declarator(pd.declarator(), spec.type);
                        params.paramNames.add(p.name);
                        params.paramTypes.add(decay(p.type));
                    } else {
                        CType pt = spec.type;
                        if (pd.abstractDeclarator() != null) pt = abstractDeclarator(pd.abstractDeclarator(), pt);
                        if (pt.kind == CType.Kind.VOID && spec.stray == null) continue;   // (void)
                        params.paramNames.add(spec.stray);
                        params.paramTypes.add(decay(pt));
                    }
                }
            }
            // the innermost declarator names the function: keep the parameters of the first list
            if (d.paramNames.isEmpty()) {
                d.paramNames.addAll(params.paramNames);
                d.paramTypes.addAll(params.paramTypes);
                d.varargs = params.varargs;
            }
            directDeclarator(dd.directDeclarator(), CType.function(t), d);
            return;
        }
        throw unsupported(dd, "declarator");
    }

    private static CType decay(CType t) {
        if (t.kind == CType.Kind.ARRAY) return CType.pointer(t.target);
        if (t.kind == CType.Kind.FUNC) return CType.pointer(t);
        return t;
    }

    private CType abstractDeclarator(AbstractDeclaratorContext a, CType base) {
        CType t = pointers(a.pointer(), base);
        if (a.directAbstractDeclarator() != null) {
            String text = a.directAbstractDeclarator().getText();
            if (text.startsWith("[")) t = CType.array(t, -1);
            else t = CType.pointer(CType.function(t));
        }
        return t;
    }

    CType typeName(TypeNameContext tn) {
        List<ParserRuleContext> specs = new ArrayList<>();
        for (SpecifierQualifierListContext l = tn.specifierQualifierList(); l != null; l = l.specifierQualifierList())
            if (l.typeSpecifier() != null) specs.add(l.typeSpecifier());
        Spec s = specifiers(specs);
        CType t = s.type;
        if (s.stray != null) {
            // sizeof(name) parses as a type name: it is the variable's type
            Var v = lookup(s.stray);
            if (v != null) return v.type;
            CType k = api.kernelType(s.stray);
            if (k != null) return k;
            throw error(tn, "unknown type name '" + s.stray + "'");
        }
        if (tn.abstractDeclarator() != null) t = abstractDeclarator(tn.abstractDeclarator(), t);
        return t;
    }

    /** A declaration, at file scope ({@code global}) or in a block. */
    private void declare(DeclarationContext dc, boolean global) {
        if (dc.staticAssertDeclaration() != null) return;
        Spec spec = specifiers(dc.declarationSpecifiers().declarationSpecifier());
        List<InitDeclaratorContext> inits = dc.initDeclaratorList() == null ? List.of() : dc.initDeclaratorList().initDeclarator();
        if (inits.isEmpty() && spec.stray != null) {
            // `static int x;` parses with x as a typedef name
            declareVar(spec, spec.stray, spec.type, null, global, dc);
            return;
        }
        for (InitDeclaratorContext id : inits) {
            Decl d = declarator(id.declarator(), spec.type);
            if (spec.isTypedef) {
                typedefs.put(d.name, d.type);
                continue;
            }
            if (d.type.kind == CType.Kind.FUNC) continue;   // a prototype
            declareVar(spec, d.name, d.type, id.initializer(), global, dc);
        }
    }

    private void declareVar(Spec spec, String name, CType type, InitializerContext init, boolean global, ParserRuleContext at) {
        if (spec.isTypedef) {
            typedefs.put(name, type);
            return;
        }
        if (spec.isExtern || (global && api.isKernelVariable(name))) return;   // the kernel's (jiffies, current, __this_module)
        if (type.kind == CType.Kind.ARRAY && type.length < 0 && init != null && init.initializerList() != null)
            type = CType.array(type.target, arrayLength(init.initializerList()));
        if (type.kind == CType.Kind.ARRAY && type.length < 0 && init != null && init.assignmentExpression() != null)
            type = CType.array(type.target, stringLength(init.assignmentExpression()) + 1);
        if (!global && spec.isStatic) {
            Var v = statics.get(at);
            if (v == null) {
                v = new Var(name, type);
                statics.put(at, v);
                scopes.peek().put(name, v);
                if (init != null) initialize(new Slot(v.mem.ptr(0), type), init);
            } else scopes.peek().put(name, v);
            return;
        }
        Var v = global ? globals.get(name) : null;
        // a tentative definition (`static struct klp_patch patch;`) and the definition are one object
        if (v == null || v.type.kind != type.kind || v.param != null) {
            v = new Var(name, type);
            if (global) globals.put(name, v);
            else scopes.peek().put(name, v);
        }
        if (init != null) initialize(new Slot(v.mem.ptr(0), type), init);
    }

    private int stringLength(AssignmentExpressionContext a) {
        Object v = eval(a);
        if (v instanceof Ptr p) return cString(p).length();
        return 0;
    }

    private int arrayLength(InitializerListContext l) {
        int n = 0, max = 0;
        for (int i = 0; i < l.initializer().size(); i++) {
            DesignationContext des = designationOf(l, i);
            if (des != null && des.designatorList().designator(0).constantExpression() != null)
                n = (int) toLong(eval(des.designatorList().designator(0).constantExpression()));
            n++;
            max = Math.max(max, n);
        }
        return max;
    }

    /** The designation before the {@code i}-th initializer of a list, or null. */
    private static DesignationContext designationOf(InitializerListContext l, int i) {
        InitializerContext target = l.initializer(i);
        DesignationContext last = null;
        for (ParseTree c : l.children) {
            if (c == target) return last;
            if (c instanceof DesignationContext d) last = d;
            else if (c instanceof InitializerContext) last = null;
        }
        return null;
    }

    private void initialize(LVal target, InitializerContext init) {
        CType t = target.type();
        if (init.assignmentExpression() != null) {
            if (t.kind == CType.Kind.ARRAY) {
                Object v = eval(init.assignmentExpression());
                Mem dst = (Mem) target.get();
                if (v instanceof Ptr p) {
                    String s = cString(p);
                    for (int i = 0; i < s.length() && i < dst.slots.length; i++) dst.slots[i] = (long) s.charAt(i);
                }
                return;
            }
            target.set(convert(eval(init.assignmentExpression()), t));
            return;
        }
        InitializerListContext list = init.initializerList();
        if (t.kind == CType.Kind.STRUCT) {
            CStruct s = (CStruct) target.get();
            int next = 0;
            for (int i = 0; i < list.initializer().size(); i++) {
                DesignationContext des = designationOf(list, i);
                if (des != null) {
                    String member = des.designatorList().designator(0).Identifier().getText();
                    Integer idx = s.type.index.get(member);
                    if (idx == null) throw error(des, "'" + s.type.display() + "' has no member named '" + member + "'");
                    next = idx;
                    if (des.designatorList().designator().size() > 1) throw unsupported(des, "nested designator");
                }
                if (next >= s.type.names.size()) break;
                initialize(new Slot(s.fields.ptr(s.type.union ? 0 : next), s.type.types.get(next)), list.initializer(i));
                next++;
            }
            return;
        }
        if (t.kind == CType.Kind.ARRAY) {
            Mem m = (Mem) target.get();
            int next = 0;
            for (int i = 0; i < list.initializer().size(); i++) {
                DesignationContext des = designationOf(list, i);
                if (des != null) next = (int) toLong(eval(des.designatorList().designator(0).constantExpression()));
                if (next >= m.slots.length) throw error(list.initializer(i), "excess elements in array initializer");
                initialize(new Slot(m.ptr(next), t.target), list.initializer(i));
                next++;
            }
            return;
        }
        // a scalar in braces: { 0 }
        if (!list.initializer().isEmpty()) initialize(target, list.initializer(0));
    }

    // ---- conversions ---------------------------------------------------------------------

    Object convert(Object v, CType t) {
        if (t == null) return v;
        if (t.kind == CType.Kind.INT) return t.convert(v);
        if (t.kind == CType.Kind.PTR && v instanceof Long l && l == 0) return null;
        return v;
    }

    static long toLong(Object v) {
        if (v instanceof Long l) return l;
        if (v == null) return 0;
        if (v instanceof Boolean b) return b ? 1 : 0;
        return System.identityHashCode(v) | 0xffff888000000000L;   // a pointer's value as an integer
    }

    static boolean truth(Object v) {
        if (v instanceof Long l) return l != 0;
        return v != null;
    }

    String cString(Object v) {
        if (v == null) return null;
        if (v instanceof Ptr p) {
            StringBuilder b = new StringBuilder();
            for (int i = p.idx; i < p.mem.slots.length; i++) {
                Object c = p.mem.slots[i];
                long ch = c instanceof Long l ? l : 0;
                if (ch == 0) break;
                b.append((char) (ch & 0xff));
            }
            return b.toString();
        }
        if (v instanceof Mem m) return cString(m.ptr(0));
        return String.valueOf(v);
    }

    /** A C string in module memory (a string literal, a kernel object's name). */
    Ptr newString(String s) {
        Mem m = new Mem(s.length() + 1, null);
        for (int i = 0; i < s.length(); i++) m.slots[i] = (long) s.charAt(i);
        m.slots[s.length()] = 0L;
        return m.ptr(0);
    }

    // ---- calls ---------------------------------------------------------------------------

    /** Calls a function of the module with C values; returns its C value. */
    Object call(Fn fn, Object... args) {
        UserCode.check();
        ArrayDeque<Map<String, Var>> saved = scopes;
        String savedFn = function;
        int savedLine = line;
        scopes = new ArrayDeque<>();
        scopes.push(new HashMap<>());
        function = fn.name;
        try {
            for (int i = 0; i < fn.paramNames.size(); i++) {
                String n = fn.paramNames.get(i);
                if (n == null) continue;
                Var v = new Var(n, fn.paramTypes.get(i));
                v.mem.slots[0] = convert(i < args.length ? args[i] : null, v.type);
                scopes.peek().put(n, v);
            }
            Object ret;
            try {
                compound(fn.def.compoundStatement(), api.call != null);
                ret = fn.returns.kind == CType.Kind.VOID ? null : convert(0L, fn.returns);
            } catch (Suspended z) {
                // asleep: the rest runs when the task wakes; the kernel's call is over
                ret = fn.returns.kind == CType.Kind.VOID ? null : convert(0L, fn.returns);
            } catch (Return r) {
                ret = fn.returns.kind == CType.Kind.VOID ? null : convert(r.value, fn.returns);
            } catch (Goto g) {
                throw error(fn.def, "label '" + g.label + "' used but not defined");
            }
            // only a call that returns gives the caller its place back: a fault or Ctrl-C
            // is reported where it happened
            function = savedFn;
            line = savedLine;
            return ret;
        } finally {
            scopes = saved;
        }
    }

    Object callValue(Object f, Object[] args, ParserRuleContext at) {
        if (f instanceof Fn fn) {
            // a function the kernel knows by name is called as the kernel calls it: through
            // ftrace, so that a livepatch of it (of this module's own code) takes the call
            if (fn.symbol && api.call != null) return api.callSymbol(fn.name, args);
            return call(fn, args);
        }
        if (f instanceof Builtin b) return api.call(this, b.name(), args, at);
        if (f == null) throw oops("null-call", null);
        throw oops("bad-call", String.valueOf(f));
    }

    // ---- statements ----------------------------------------------------------------------

    private void compound(CompoundStatementContext c) {
        compound(c, false);
    }

    /** {@code body}: the function's own block, where a sleep may end the call and the rest run when it wakes. */
    private void compound(CompoundStatementContext c, boolean body) {
        if (c.blockItemList() == null) return;
        scopes.push(new HashMap<>());
        try {
            runItems(c.blockItemList().blockItem(), 0, body);
        } finally {
            scopes.pop();
        }
    }

    private void runItems(List<BlockItemContext> items, int from, boolean body) {
        int i = from;
        while (i < items.size()) {
            try {
                for (; i < items.size(); i++) {
                    if (body && sleepAt(items, i)) throw SUSPENDED;
                    blockItem(items.get(i));
                }
            } catch (Goto g) {
                int target = findLabel(items, g.label);
                if (target < 0) throw g;
                i = target;
            }
        }
    }

    /** The call ended in a sleep: the rest of the function runs when the task wakes. */
    private static final class Suspended extends RuntimeException {
        Suspended() {
            super(null, null, false, false);
        }
    }

    private static final Suspended SUSPENDED = new Suspended();

    /** Wraps code run later (the rest of a function after a sleep) as the module's other code is. */
    interface Later {
        void run(String what, Runnable code);
    }

    Later later = (what, code) -> code.run();

    /**
     * The kernel's way to wait in a work function, {@code msleep(N);} or
     * {@code while (COND) msleep(N);}, in the function's own block: the task sleeps in
     * msleep (klpsim's sleeping model: the machine wakes it when COND no longer holds,
     * checked every N ms) and the statements after it run when it wakes. Returns whether
     * item {@code i} was such a sleep (it is then armed).
     */
    private boolean sleepAt(List<BlockItemContext> items, int i) {
        StatementContext st = items.get(i).statement();
        if (st == null) return false;
        ParserRuleContext msleepArg;
        ExpressionContext cond = null;
        if (st.expressionStatement() != null) msleepArg = msleepCall(st.expressionStatement().expression());
        else if (st.iterationStatement() != null && st.iterationStatement().getStart().getText().equals("while")) {
            StatementContext loopBody = st.iterationStatement().statement();
            if (loopBody.compoundStatement() != null && loopBody.compoundStatement().blockItemList() != null
                    && loopBody.compoundStatement().blockItemList().blockItem().size() == 1)
                loopBody = loopBody.compoundStatement().blockItemList().blockItem(0).statement();
            msleepArg = loopBody != null && loopBody.expressionStatement() != null ? msleepCall(loopBody.expressionStatement().expression()) : null;
            cond = st.iterationStatement().expression();
        } else msleepArg = null;
        if (msleepArg == null) return false;
        line = srcLine(st.getStart());
        long ms = Math.max(1, toLong(eval(msleepArg)));
        ArrayDeque<Map<String, Var>> at = new ArrayDeque<>(scopes);
        String fnName = function;
        Object call = api.call;
        java.util.function.BooleanSupplier holds;
        if (cond == null) {
            long until = api.now() + ms * 1_000_000L;
            holds = () -> api.now() < until;
        } else {
            ExpressionContext c = cond;
            holds = () -> inScope(at, fnName, () -> truth(eval(c)));
        }
        api.sleep(holds, ms * 1_000_000L, () -> later.run(fnName + "()", () -> inScope(at, fnName, () -> {
            Object saved = api.call;
            api.call = (dev.klpsim.kernel.Call) call;
            try {
                runItems(items, i + 1, true);
            } catch (Return | Suspended r) {
                // the function ended, or slept again
            } finally {
                api.call = (dev.klpsim.kernel.Call) saved;
            }
            return true;
        })));
        return true;
    }

    private <T> T inScope(ArrayDeque<Map<String, Var>> at, String fn, java.util.function.Supplier<T> code) {
        ArrayDeque<Map<String, Var>> saved = scopes;
        String savedFn = function;
        scopes = new ArrayDeque<>(at);
        function = fn;
        try {
            return code.get();
        } finally {
            scopes = saved;
            function = savedFn;
        }
    }

    /** N when {@code e} is {@code msleep(N)}, else null. */
    private static ParserRuleContext msleepCall(ExpressionContext e) {
        if (e == null || e.assignmentExpression().size() != 1) return null;
        ParserRuleContext c = e.assignmentExpression(0);
        while (!(c instanceof PostfixExpressionContext)) {
            if (c.getChildCount() != 1 || !(c.getChild(0) instanceof ParserRuleContext inner)) return null;
            c = inner;
        }
        PostfixExpressionContext p = (PostfixExpressionContext) c;
        if (p.getChildCount() != 4 || p.primaryExpression() == null || p.primaryExpression().Identifier() == null
                || !p.primaryExpression().Identifier().getText().equals("msleep")) return null;
        if (!(p.getChild(2) instanceof ArgumentExpressionListContext args) || args.assignmentExpression().size() != 1) return null;
        return args.assignmentExpression(0);
    }

    private static int findLabel(List<BlockItemContext> items, String label) {
        for (int i = 0; i < items.size(); i++) {
            StatementContext s = items.get(i).statement();
            while (s != null && s.labeledStatement() != null) {
                LabeledStatementContext l = s.labeledStatement();
                if (l.Identifier() != null && l.Identifier().getText().equals(label)) return i;
                s = l.statement();
            }
        }
        return -1;
    }

    private void blockItem(BlockItemContext b) {
        if (b.declaration() != null) {
            line = srcLine(b.getStart());
            declare(b.declaration(), false);
        } else statement(b.statement());
    }

    private void statement(StatementContext s) {
        if (s == null) return;
        line = srcLine(s.getStart());
        if (s.expressionStatement() != null) {
            if (s.expressionStatement().expression() != null) eval(s.expressionStatement().expression());
        } else if (s.compoundStatement() != null) compound(s.compoundStatement());
        else if (s.selectionStatement() != null) selection(s.selectionStatement());
        else if (s.iterationStatement() != null) iteration(s.iterationStatement());
        else if (s.jumpStatement() != null) jump(s.jumpStatement());
        else if (s.labeledStatement() != null) {
            LabeledStatementContext l = s.labeledStatement();
            statement(l.statement());
        } else throw unsupported(s, "asm statement");
    }

    private void selection(SelectionStatementContext s) {
        if (s.getStart().getText().equals("if")) {
            if (truth(eval(s.expression()))) statement(s.statement(0));
            else if (s.statement().size() > 1) statement(s.statement(1));
            return;
        }
        long v = toLong(eval(s.expression()));
        StatementContext body = s.statement(0);
        if (body.compoundStatement() == null || body.compoundStatement().blockItemList() == null) return;
        List<BlockItemContext> items = body.compoundStatement().blockItemList().blockItem();
        int start = -1, dflt = -1;
        for (int i = 0; i < items.size() && start < 0; i++) {
            StatementContext st = items.get(i).statement();
            while (st != null && st.labeledStatement() != null) {
                LabeledStatementContext l = st.labeledStatement();
                if (l.getStart().getText().equals("case") && toLong(eval(l.constantExpression())) == v) {
                    start = i;
                    break;
                }
                if (l.getStart().getText().equals("default")) dflt = i;
                st = l.statement();
            }
        }
        if (start < 0) start = dflt;
        if (start < 0) return;
        scopes.push(new HashMap<>());
        try {
            for (int i = start; i < items.size(); i++) blockItem(items.get(i));
        } catch (Jump j) {
            if (j != BREAK) throw j;
        } finally {
            scopes.pop();
        }
    }

    private void iteration(IterationStatementContext it) {
        String kw = it.getStart().getText();
        if (kw.equals("while")) {
            while (truth(eval(it.expression()))) {
                UserCode.check();
                try {
                    statement(it.statement());
                } catch (Jump j) {
                    if (j == BREAK) break;
                }
            }
            return;
        }
        if (kw.equals("do")) {
            do {
                UserCode.check();
                try {
                    statement(it.statement());
                } catch (Jump j) {
                    if (j == BREAK) break;
                }
            } while (truth(eval(it.expression())));
            return;
        }
        ForConditionContext fc = it.forCondition();
        scopes.push(new HashMap<>());
        try {
            if (fc.forDeclaration() != null) {
                ForDeclarationContext fd = fc.forDeclaration();
                Spec spec = specifiers(fd.declarationSpecifiers().declarationSpecifier());
                if (fd.initDeclaratorList() != null) for (InitDeclaratorContext id : fd.initDeclaratorList().initDeclarator()) {
                    Decl d = declarator(id.declarator(), spec.type);
                    declareVar(spec, d.name, d.type, id.initializer(), false, id);
                }
            } else if (fc.expression() != null) eval(fc.expression());
            ForExpressionContext cond = null, step = null;
            // for ( init ; cond? ; step? ): which of the optional parts is there
            int semis = 0;
            for (ParseTree c : fc.children) {
                if (c instanceof TerminalNode n && n.getText().equals(";")) semis++;
                else if (c instanceof ForExpressionContext fe) {
                    if (semis == 1) cond = fe;
                    else step = fe;
                }
            }
            for (;;) {
                UserCode.check();
                if (cond != null && !truth(forExpr(cond))) break;
                try {
                    statement(it.statement());
                } catch (Jump j) {
                    if (j == BREAK) break;
                }
                if (step != null) forExpr(step);
            }
        } finally {
            scopes.pop();
        }
    }

    private Object forExpr(ForExpressionContext fe) {
        Object v = null;
        for (AssignmentExpressionContext a : fe.assignmentExpression()) v = eval(a);
        return v;
    }

    private void jump(JumpStatementContext j) {
        String kw = j.getStart().getText();
        switch (kw) {
            case "break" -> throw BREAK;
            case "continue" -> throw CONTINUE;
            case "goto" -> {
                if (j.Identifier() == null) throw unsupported(j, "computed goto");
                throw new Goto(j.Identifier().getText());
            }
            default -> {
                Return r = new Return();
                r.value = j.expression() == null ? null : eval(j.expression());
                throw r;
            }
        }
    }

    // ---- expressions ---------------------------------------------------------------------

    Object eval(ParserRuleContext e) {
        if (e instanceof ExpressionContext x) {
            Object v = null;
            for (AssignmentExpressionContext a : x.assignmentExpression()) v = eval(a);
            return v;
        }
        if (e instanceof AssignmentExpressionContext a) return assignment(a);
        if (e instanceof ConstantExpressionContext c) return eval(c.conditionalExpression());
        if (e instanceof ConditionalExpressionContext c) {
            Object v = eval(c.logicalOrExpression());
            if (c.expression() == null) return v;
            return truth(v) ? eval(c.expression()) : eval(c.conditionalExpression());
        }
        if (e instanceof LogicalOrExpressionContext c) {
            if (c.logicalAndExpression().size() == 1) return eval(c.logicalAndExpression(0));
            for (LogicalAndExpressionContext x : c.logicalAndExpression()) if (truth(eval(x))) return 1L;
            return 0L;
        }
        if (e instanceof LogicalAndExpressionContext c) {
            if (c.inclusiveOrExpression().size() == 1) return eval(c.inclusiveOrExpression(0));
            for (InclusiveOrExpressionContext x : c.inclusiveOrExpression()) if (!truth(eval(x))) return 0L;
            return 1L;
        }
        if (e instanceof CastExpressionContext c) return cast(c);
        if (e instanceof UnaryExpressionContext u) return unary(u);
        if (e instanceof PostfixExpressionContext p) return postfix(p, false) instanceof LVal l ? rvalue(l) : postfix(p, false);
        if (e instanceof PrimaryExpressionContext p) return primary(p);
        if (e instanceof InitializerContext i && i.assignmentExpression() != null) return eval(i.assignmentExpression());
        // the binary operator levels: operand (op operand)*
        if (e.getChildCount() == 1) return eval((ParserRuleContext) e.getChild(0));
        Object acc = eval((ParserRuleContext) e.getChild(0));
        for (int i = 1; i + 1 < e.getChildCount(); i += 2) {
            String op = e.getChild(i).getText();
            Object rhs = eval((ParserRuleContext) e.getChild(i + 1));
            acc = binary(op, acc, rhs, e);
        }
        return acc;
    }

    private Object rvalue(LVal l) {
        Object v = l.get();
        // an array decays to a pointer to its first element
        if (v instanceof Mem m) return m.ptr(0);
        return v;
    }

    Object binary(String op, Object a, Object b, ParserRuleContext at) {
        switch (op) {
            case "==":
                return eq(a, b) ? 1L : 0L;
            case "!=":
                return eq(a, b) ? 0L : 1L;
            case "+":
                if (a instanceof Ptr p) return p.plus(toLong(b));
                if (b instanceof Ptr p) return p.plus(toLong(a));
                break;
            case "-":
                if (a instanceof Ptr p && b instanceof Ptr q) return (long) (p.idx - q.idx);
                if (a instanceof Ptr p) return p.plus(-toLong(b));
                break;
            default:
                break;
        }
        if ((a != null && !(a instanceof Long)) || (b != null && !(b instanceof Long))) {
            if (op.equals("<") || op.equals(">") || op.equals("<=") || op.equals(">=")) {
                if (a instanceof Ptr p && b instanceof Ptr q) return cmp(op, p.idx, q.idx) ? 1L : 0L;
            }
            if (op.equals("&") || op.equals("|")) return toLong(a);
            throw unsupported(at, "operator '" + op + "' on pointers");
        }
        long x = toLong(a), y = toLong(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "/" -> {
                if (y == 0) throw oops("divide-error", null);
                yield x / y;
            }
            case "%" -> {
                if (y == 0) throw oops("divide-error", null);
                yield x % y;
            }
            case "<<" -> x << y;
            case ">>" -> x >> y;
            case "&" -> x & y;
            case "|" -> x | y;
            case "^" -> x ^ y;
            case "<", ">", "<=", ">=" -> cmp(op, x, y) ? 1L : 0L;
            default -> throw unsupported(at, "operator '" + op + "'");
        };
    }

    private static boolean cmp(String op, long x, long y) {
        return switch (op) {
            case "<" -> x < y;
            case ">" -> x > y;
            case "<=" -> x <= y;
            default -> x >= y;
        };
    }

    private static boolean eq(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) return x.longValue() == y.longValue();
        if (a instanceof Long x && x == 0) return b == null;
        if (b instanceof Long y && y == 0) return a == null;
        if (a == null || b == null) return a == b;
        if (a instanceof Outer o) a = o;
        return a.equals(b);
    }

    private Object assignment(AssignmentExpressionContext a) {
        if (a.conditionalExpression() != null) return eval(a.conditionalExpression());
        if (a.unaryExpression() == null) throw unsupported(a, "expression");
        LVal target = lvalue(a.unaryExpression());
        String op = a.assignmentOperator().getText();
        Object rhs = eval(a.assignmentExpression());
        Object v = op.equals("=") ? rhs : binary(op.substring(0, op.length() - 1), rvalue(target), rhs, a);
        v = convert(v, target.type());
        target.set(v);
        return target.get() instanceof CStruct s ? s : convert(v, target.type());
    }

    private Object cast(CastExpressionContext c) {
        if (c.unaryExpression() != null) return unary(c.unaryExpression());
        if (c.typeName() == null) throw unsupported(c, "expression");
        String lone = loneName(c.typeName());
        if (lone != null && !typedefs.containsKey(lone)) {
            // C.g4 reads `(a) - b` as a cast of -b to type a: it is a subtraction
            Object left = variableOrConstant(lone, c.typeName());
            UnaryExpressionContext u = c.castExpression().unaryExpression();
            if (u != null && u.unaryOperator() != null) {
                String op = u.unaryOperator().getText();
                Object right = eval(u.castExpression());
                return binary(op.equals("*") ? "*" : op, left, right, c);
            }
            throw error(c.typeName(), "unknown type name '" + lone + "'");
        }
        CType t = typeName(c.typeName());
        Object v = eval(c.castExpression());
        if (t.kind == CType.Kind.VOID) return null;
        return convert(v, t);
    }

    /** The typedef-name of a type name that is only a name, or null. */
    private static String loneName(TypeNameContext tn) {
        if (tn.abstractDeclarator() != null) return null;
        SpecifierQualifierListContext l = tn.specifierQualifierList();
        if (l.specifierQualifierList() != null || l.typeSpecifier() == null || l.typeSpecifier().typedefName() == null) return null;
        return l.typeSpecifier().typedefName().getText();
    }

    private Object variableOrConstant(String name, ParserRuleContext at) {
        Var v = lookup(name);
        if (v != null) return rvalue(varLVal(v));
        Long e = enums.get(name);
        if (e != null) return e;
        throw error(at, "'" + name + "' undeclared");
    }

    private Object unary(UnaryExpressionContext u) {
        // ('++' | '--' | 'sizeof')* then the operand
        int prefixes = 0;
        while (prefixes < u.getChildCount() && u.getChild(prefixes) instanceof TerminalNode t
                && (t.getText().equals("++") || t.getText().equals("--") || t.getText().equals("sizeof"))
                && !(prefixes + 1 < u.getChildCount() && u.getChild(prefixes + 1) instanceof TerminalNode n2 && n2.getText().equals("(") && u.typeName() != null && prefixes == u.getChildCount() - 4)) prefixes++;
        if (prefixes > 0) {
            String op = u.getChild(0).getText();
            if (op.equals("sizeof")) return (long) sizeofUnary(u, 1);
            LVal l = lvalueOfUnaryRest(u, 1);
            Object v = rvalue(l);
            Object nv = v instanceof Ptr p ? p.plus(op.equals("++") ? 1 : -1) : convert(toLong(v) + (op.equals("++") ? 1 : -1), l.type());
            l.set(nv);
            return nv;
        }
        if (u.postfixExpression() != null) {
            Object r = postfix(u.postfixExpression(), false);
            return r instanceof LVal l ? rvalue(l) : r;
        }
        if (u.typeName() != null) {
            String kw = u.getStart().getText();
            if (kw.equals("sizeof")) return (long) typeName(u.typeName()).sizeof();
            return 8L;
        }
        if (u.unaryOperator() != null) {
            String op = u.unaryOperator().getText();
            CastExpressionContext operand = u.castExpression();
            switch (op) {
                case "&":
                    return addressOf(operand);
                case "*": {
                    LVal l = deref(eval(operand), typeOf(operand));
                    return rvalue(l);
                }
                case "-":
                    return -toLong(eval(operand));
                case "+":
                    return toLong(eval(operand));
                case "~":
                    return ~toLong(eval(operand));
                case "!":
                    return truth(eval(operand)) ? 0L : 1L;
                default:
                    break;
            }
        }
        throw unsupported(u, "'&&' label address");
    }

    private int sizeofUnary(UnaryExpressionContext u, int from) {
        if (u.typeName() != null) return typeName(u.typeName()).sizeof();
        CType t = u.postfixExpression() != null ? typeOf(u.postfixExpression()) : u.castExpression() != null ? typeOfUnaryOp(u) : null;
        if (t == null) throw unsupported(u, "sizeof of this expression");
        return t.sizeof();
    }

    private CType typeOfUnaryOp(UnaryExpressionContext u) {
        String op = u.unaryOperator().getText();
        CType t = typeOf(u.castExpression());
        if (t == null) return null;
        if (op.equals("*")) return t.target;
        if (op.equals("&")) return CType.pointer(t);
        return t;
    }

    private LVal lvalueOfUnaryRest(UnaryExpressionContext u, int from) {
        if (u.postfixExpression() != null && postfix(u.postfixExpression(), true) instanceof LVal l) return l;
        if (u.unaryOperator() != null && u.unaryOperator().getText().equals("*")) return deref(eval(u.castExpression()), typeOf(u.castExpression()));
        throw error(u, "lvalue required as increment operand");
    }

    private Object addressOf(CastExpressionContext operand) {
        if (operand.unaryExpression() != null) {
            UnaryExpressionContext u = operand.unaryExpression();
            if (u.postfixExpression() != null) {
                PostfixExpressionContext p = u.postfixExpression();
                if (p.getChildCount() == 1 && p.primaryExpression() != null && p.primaryExpression().Identifier() != null) {
                    String n = p.primaryExpression().Identifier().getText();
                    Fn fn = fn(n);
                    if (fn != null && lookup(n) == null) return fn;
                    if (api.isKernelVariable(n) && lookup(n) == null) return api.kernelVariableAddress(this, n);
                }
                Object r = postfix(p, true);
                if (r instanceof LVal l) return l.address();
                return r;
            }
            if (u.unaryOperator() != null && u.unaryOperator().getText().equals("*")) return eval(u.castExpression());
        }
        throw error(operand, "lvalue required as unary '&' operand");
    }

    /** *p as a place. */
    LVal deref(Object p, CType ptrType) {
        CType t = ptrType != null && (ptrType.kind == CType.Kind.PTR || ptrType.kind == CType.Kind.ARRAY) ? ptrType.target : null;
        if (p == null || (p instanceof Long l && l == 0)) throw oops("null", null);
        if (p instanceof Ptr q) return new Slot(q, t);
        if (p instanceof Foreign f) return new ForeignMember(f, "*");
        if (p instanceof Outer o) return new Slot(o.member(), t);
        if (p instanceof Long l) throw oops("bad-address", Long.toHexString(l));
        throw unsupported(null, "dereferencing a function " + p);
    }

    /** The static type of an expression, as far as klpsim needs it (member access, sizeof), or null. */
    CType typeOf(ParserRuleContext e) {
        if (e == null) return null;
        if (e instanceof PostfixExpressionContext p) {
            CType t = p.primaryExpression() != null ? typeOf(p.primaryExpression()) : p.typeName() != null ? typeName(p.typeName()) : null;
            for (int i = 1; i < p.getChildCount() && t != null; i++) {
                String s = p.getChild(i).getText();
                switch (s) {
                    case "[" -> {
                        t = t.target;
                        i += 2;
                    }
                    case "(" -> {
                        CType f = t.kind == CType.Kind.PTR ? t.target : t;
                        t = f.kind == CType.Kind.FUNC ? f.target : null;
                        while (i < p.getChildCount() && !p.getChild(i).getText().equals(")")) i++;
                    }
                    case ".", "->" -> {
                        CType st = s.equals("->") ? t.target : t;
                        String member = p.getChild(i + 1).getText();
                        i++;
                        if (st == null || st.kind != CType.Kind.STRUCT) return api.foreignMemberType(member);
                        Integer idx = st.struct.index.get(member);
                        t = idx == null ? null : st.struct.types.get(idx);
                    }
                    default -> { }
                }
            }
            return t;
        }
        if (e instanceof PrimaryExpressionContext p) {
            if (p.Identifier() != null) {
                String n = p.Identifier().getText();
                Var v = lookup(n);
                if (v != null) return v.type;
                Fn fn = fn(n);
                if (fn != null) return CType.function(fn.returns);
                return api.kernelType(n);
            }
            if (p.expression() != null) return typeOf(p.expression());
            if (!p.StringLiteral().isEmpty()) return CType.pointer(CType.CHAR);
            if (p.compoundStatement() != null) return null;
            return CType.INT;
        }
        if (e instanceof CastExpressionContext c) {
            if (c.typeName() != null && (loneName(c.typeName()) == null || typedefs.containsKey(loneName(c.typeName())))) return typeName(c.typeName());
            return c.unaryExpression() != null ? typeOf(c.unaryExpression()) : c.castExpression() != null ? typeOf(c.castExpression()) : null;
        }
        if (e instanceof UnaryExpressionContext u) {
            if (u.postfixExpression() != null && u.getChildCount() == 1) return typeOf(u.postfixExpression());
            if (u.unaryOperator() != null) return typeOfUnaryOp(u);
            return CType.LONG;
        }
        if (e instanceof ExpressionContext x) return typeOf(x.assignmentExpression(x.assignmentExpression().size() - 1));
        if (e instanceof AssignmentExpressionContext a) return a.conditionalExpression() != null ? typeOf(a.conditionalExpression()) : typeOf(a.unaryExpression());
        if (e instanceof ConditionalExpressionContext c && c.expression() != null) return typeOf(c.expression());
        if (e.getChildCount() == 1 && e.getChild(0) instanceof ParserRuleContext inner) return typeOf(inner);
        if (e.getChildCount() >= 3 && e.getChild(0) instanceof ParserRuleContext first) {
            CType t = typeOf(first);
            if (t != null && t.kind == CType.Kind.PTR) return t;
            return CType.LONG;
        }
        return null;
    }

    private CType typeOfExpr(ConstantExpressionContext c) {
        CType t = typeOf(c);
        if (t == null) throw unsupported(c, "__typeof__ of this expression");
        return t;
    }

    /**
     * A postfix expression: its value, or (when it designates an object, or {@code wantPlace})
     * its place.
     */
    private Object postfix(PostfixExpressionContext p, boolean wantPlace) {
        if (p.primaryExpression() == null) throw unsupported(p, "compound literal");
        int n = p.getChildCount();
        if (n == 1) return primaryPlace(p.primaryExpression());
        Object cur = primaryPlace(p.primaryExpression());
        CType curType = null;
        for (int i = 1; i < n; i++) {
            String s = p.getChild(i).getText();
            line = ((p.getChild(i) instanceof TerminalNode t) ? srcLine(t.getSymbol()) : line);
            switch (s) {
                case "[" -> {
                    ExpressionContext idx = (ExpressionContext) p.getChild(i + 1);
                    CType t = cur instanceof LVal l ? l.type() : curType;
                    Object base = cur instanceof LVal l ? rvalue(l) : cur;
                    long k = toLong(eval(idx));
                    if (!(base instanceof Ptr q)) throw base == null ? oops("null", null) : unsupported(p, "indexing this value");
                    CType elem = t == null ? null : t.target;
                    Ptr at = q.plus(k);
                    if (!at.inBounds()) throw oops("out-of-bounds", "index " + k);
                    cur = new Slot(at, elem);
                    i += 2;
                }
                case "(" -> {
                    List<AssignmentExpressionContext> argExprs = new ArrayList<>();
                    int j = i + 1;
                    if (p.getChild(j) instanceof ArgumentExpressionListContext al) {
                        argExprs = al.assignmentExpression();
                        j++;
                    }
                    Object[] args = new Object[argExprs.size()];
                    for (int k = 0; k < args.length; k++) args[k] = eval(argExprs.get(k));
                    Object f = cur instanceof LVal l ? rvalue(l) : cur;
                    if (f instanceof Unresolved u) {
                        if (!api.has(u.name)) throw error(u.at, "implicit declaration of function '" + u.name + "'");
                        f = new Builtin(u.name);
                    }
                    int callLine = line;
                    Object ret = callValue(f, args, p);
                    line = callLine;
                    CType rt = f instanceof Fn fn ? fn.returns : api.returnType(f instanceof Builtin b ? b.name() : null);
                    cur = ret;
                    curType = rt;
                    i = j;
                }
                case ".", "->" -> {
                    String member = p.getChild(i + 1).getText();
                    Object base;
                    CType st;
                    if (s.equals("->")) {
                        Object ptr = cur instanceof LVal l ? rvalue(l) : cur;
                        CType pt = cur instanceof LVal l ? l.type() : curType;
                        if (ptr instanceof Foreign f) {
                            cur = new ForeignMember(f, member);
                            i++;
                            continue;
                        }
                        if (ptr instanceof Outer o) {
                            // list_for_each_entry() at the list's head: pos->member is the head itself
                            cur = new Slot(o.member(), null);
                            i++;
                            continue;
                        }
                        LVal target = deref(ptr, pt);
                        base = target.get();
                        st = target.type();
                        if (base == null && ptr instanceof Ptr q && st == null) throw unsupported(p, "member access through an untyped pointer");
                    } else {
                        if (cur instanceof ForeignMember fm) {
                            Object inner = fm.get();
                            if (inner instanceof Foreign f) {
                                cur = new ForeignMember(f, member);
                                i++;
                                continue;
                            }
                        }
                        base = cur instanceof LVal l ? l.get() : cur;
                        st = cur instanceof LVal l ? l.type() : curType;
                    }
                    if (base instanceof Foreign f) {
                        cur = new ForeignMember(f, member);
                        i++;
                        continue;
                    }
                    if (!(base instanceof CStruct cs)) throw unsupported(p, "member access on a non-struct");
                    Integer idx = cs.type.index.get(member);
                    if (idx == null) throw error(p.getChild(i + 1) instanceof TerminalNode t ? t.getSymbol() : p.getStart(), "'" + cs.type.display() + "' has no member named '" + member + "'");
                    if (member.equals("enabled") && cs.type.tag.equals("klp_patch")) {
                        // the kernel keeps it: what klp_enable_patch() made of this struct says
                        long on = api.patchEnabled(cs.home) ? 1L : 0L;
                        cs.fields.slots[idx] = on;
                    }
                    cur = new Slot(cs.fields.ptr(cs.type.union ? 0 : idx), cs.type.types.get(idx));
                    i++;
                }
                case "++", "--" -> {
                    if (!(cur instanceof LVal l)) throw error(p, "lvalue required as increment operand");
                    Object v = rvalue(l);
                    l.set(v instanceof Ptr q ? q.plus(s.equals("++") ? 1 : -1) : convert(toLong(v) + (s.equals("++") ? 1 : -1), l.type()));
                    cur = v;
                }
                default -> throw unsupported(p, "'" + s + "'");
            }
        }
        return cur;
    }

    /** A name not declared in the module: a kernel function klpsim may implement. */
    private record Unresolved(String name, ParserRuleContext at) {}

    private Object primaryPlace(PrimaryExpressionContext p) {
        if (p.Identifier() != null) {
            String n = p.Identifier().getText();
            if ((n.equals("__func__") || n.equals("__FUNCTION__")) && lookup(n) == null) return funcName();
            Var v = lookup(n);
            if (v != null) return varLVal(v);
            Fn fn = fn(n);
            if (fn != null) return fn;
            Long e = enums.get(n);
            if (e != null) return e;
            if (api.isKernelVariable(n)) return api.kernelVariable(this, n);
            if (api.has(n)) return new Builtin(n);
            if (p.getParent() instanceof PostfixExpressionContext pe && pe.getChildCount() > 1 && pe.getChild(1).getText().equals("("))
                return new Unresolved(n, p);
            throw error(p, "'" + n + "' undeclared (first use in this function)");
        }
        if (p.expression() != null) {
            // (x), (*p), (a->b): still the object, for & and assignment
            LVal l = placeOf(p.expression());
            if (l != null) return l;
        }
        return primary(p);
    }

    /** The object an expression designates when it is a plain lvalue (a name, *p, a member, an element), else null. */
    private LVal placeOf(ParserRuleContext e) {
        ParserRuleContext c = e;
        while (!(c instanceof UnaryExpressionContext)) {
            if (c.getChildCount() != 1 || !(c.getChild(0) instanceof ParserRuleContext inner)) return null;
            if (c instanceof PrimaryExpressionContext) return null;
            c = inner;
        }
        UnaryExpressionContext u = (UnaryExpressionContext) c;
        if (u.getChildCount() == 1 && u.postfixExpression() != null) {
            Object r = postfix(u.postfixExpression(), true);
            return r instanceof LVal l ? l : null;
        }
        if (u.unaryOperator() != null && u.unaryOperator().getText().equals("*")) return deref(eval(u.castExpression()), typeOf(u.castExpression()));
        return null;
    }

    private final Map<String, Ptr> funcNames = new HashMap<>();

    /** __func__: the name of the function running, a static char array. */
    private Ptr funcName() {
        return funcNames.computeIfAbsent(function, this::newString);
    }

    /** The function {@code name} the file defines, also when its definition comes later in the file. */
    Fn fn(String name) {
        Fn f = functions.get(name);
        if (f == null && definitions.containsKey(name)) {
            defineFunction(definitions.get(name));
            f = functions.get(name);
        }
        return f;
    }

    private final Map<String, FunctionDefinitionContext> definitions = new HashMap<>();

    private LVal varLVal(Var v) {
        return v.param != null ? new ParamVar(v) : new Slot(v.mem.ptr(0), v.type);
    }

    private Object primary(PrimaryExpressionContext p) {
        if (p.Identifier() != null) {
            Object r = primaryPlace(p);
            return r instanceof LVal l ? rvalue(l) : r;
        }
        if (p.Constant() != null) return constant(p.Constant().getText(), p);
        if (!p.StringLiteral().isEmpty()) {
            Ptr s = literals.get(p);
            if (s == null) {
                StringBuilder b = new StringBuilder();
                for (TerminalNode t : p.StringLiteral()) b.append(unescape(t.getText(), t.getText().indexOf('"') + 1, t.getText().length() - 1));
                literals.put(p, s = newString(b.toString()));
            }
            return s;
        }
        if (p.expression() != null) return eval(p.expression());
        if (p.compoundStatement() != null) {
            // GCC statement expression: the value of its last expression statement
            CompoundStatementContext c = p.compoundStatement();
            if (c.blockItemList() == null) return null;
            scopes.push(new HashMap<>());
            try {
                List<BlockItemContext> items = c.blockItemList().blockItem();
                for (int i = 0; i < items.size() - 1; i++) blockItem(items.get(i));
                BlockItemContext last = items.get(items.size() - 1);
                if (last.statement() != null && last.statement().expressionStatement() != null && last.statement().expressionStatement().expression() != null)
                    return eval(last.statement().expressionStatement().expression());
                blockItem(last);
                return null;
            } finally {
                scopes.pop();
            }
        }
        String kw = p.getStart().getText();
        if (kw.equals("__builtin_offsetof")) return 0L;
        throw unsupported(p, "'" + kw + "'");
    }

    private Object constant(String t, ParserRuleContext at) {
        if (t.startsWith("'") || t.startsWith("L'")) {
            String s = unescape(t, t.indexOf('\'') + 1, t.length() - 1);
            return s.isEmpty() ? 0L : (long) s.charAt(0);
        }
        String s = t.toLowerCase().replaceAll("[ul]+$", "");
        try {
            if (s.startsWith("0x")) return Long.parseUnsignedLong(s.substring(2), 16);
            if (s.startsWith("0b")) return Long.parseLong(s.substring(2), 2);
            if (s.length() > 1 && s.startsWith("0") && s.chars().allMatch(Character::isDigit)) return Long.parseLong(s.substring(1), 8);
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw unsupported(at, "floating constant");
        }
    }

    static String unescape(String t, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c != '\\' || i + 1 >= to) {
                b.append(c);
                continue;
            }
            char n = t.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'a' -> b.append((char) 7);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'v' -> b.append((char) 11);
                case 'x' -> {
                    int j = i + 1, v = 0;
                    while (j < to && Character.digit(t.charAt(j), 16) >= 0) v = v * 16 + Character.digit(t.charAt(j++), 16);
                    b.append((char) (v & 0xff));
                    i = j - 1;
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int j = i, v = 0;
                        while (j < to && j < i + 3 && t.charAt(j) >= '0' && t.charAt(j) <= '7') v = v * 8 + (t.charAt(j++) - '0');
                        b.append((char) v);
                        i = j - 1;
                    } else b.append(n);
                }
            }
        }
        return b.toString();
    }

    /** Where an LVal for expression {@code e} is, for assignment targets. */
    private LVal lvalue(UnaryExpressionContext u) {
        if (u.postfixExpression() != null && u.getChildCount() == 1) {
            Object r = postfix(u.postfixExpression(), true);
            if (r instanceof LVal l) return l;
            throw error(u, "lvalue required as left operand of assignment");
        }
        if (u.unaryOperator() != null && u.unaryOperator().getText().equals("*")) return deref(eval(u.castExpression()), typeOf(u.castExpression()));
        throw error(u, "lvalue required as left operand of assignment");
    }

    // ---- errors found while running (gcc would have found them while compiling) -----------

    /** An error gcc reports, found when the code first runs. */
    static final class CompileError extends RuntimeException {
        CompileError(String msg) {
            super(msg, null, false, true);
        }
    }

    CompileError error(ParserRuleContext at, String message) {
        return error(at == null ? null : at.getStart(), message);
    }

    CompileError error(Token at, String message) {
        return new CompileError(positions.error(at, message));
    }

    CompileError unsupported(ParserRuleContext at, String what) {
        return error(at, "unsupported in klpsim: " + what);
    }

    /** Turns a token of the preprocessed text into a gcc diagnostic. */
    interface TokenPositions {
        String error(Token at, String message);
    }

    TokenPositions positions;
}
