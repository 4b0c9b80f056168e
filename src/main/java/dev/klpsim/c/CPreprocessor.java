package dev.klpsim.c;

import org.anarres.cpp.Feature;
import org.anarres.cpp.LexerException;
import org.anarres.cpp.Preprocessor;
import org.anarres.cpp.PreprocessorListener;
import org.anarres.cpp.Source;
import org.anarres.cpp.StringLexerSource;
import org.anarres.cpp.Token;
import org.anarres.cpp.VirtualFile;
import org.anarres.cpp.VirtualFileSystem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The C preprocessor for module sources: jcpp (org.anarres:jcpp) with {@code <linux/...>}
 * resolved against klpsim's own header (resources dev/klpsim/c/include), {@code "..."}
 * against the module's directory, and the macros a kernel build defines for a module of
 * x86_64 on the profile's kernel version.
 */
final class CPreprocessor {
    private CPreprocessor() {}

    /** Where the headers klpsim ships are found, as a path of the virtual file system. */
    static final String SYSTEM_DIR = "/klpsim-include";
    private static final String RESOURCES = "/dev/klpsim/c/include";

    /**
     * Preprocesses {@code text} (the file {@code path}, shown as {@code shown}) of module
     * {@code modname} for kernel {@code major.minor}.
     */
    static Preprocessed run(Path path, String shown, String text, String modname, int major, int minor) throws CError {
        String[] lines = text.split("\n", -1);
        Preprocessor pp = new Preprocessor();
        pp.addFeature(Feature.DIGRAPHS);
        pp.addFeature(Feature.LINEMARKERS);
        pp.setFileSystem(new Fs(path.toAbsolutePath().getParent()));
        pp.setSystemIncludePath(List.of(SYSTEM_DIR));
        pp.setQuoteIncludePath(List.of(path.toAbsolutePath().getParent().toString()));
        Deque<String> files = new ArrayDeque<>();
        String[] error = {null};
        pp.setListener(new PreprocessorListener() {
            @Override
            public void handleWarning(Source source, int line, int column, String msg) {
                // gcc's warnings do not stop a build; klpsim shows none
            }

            @Override
            public void handleError(Source source, int line, int column, String msg) {
                if (error[0] != null) return;
                String file = source == null || source.getName() == null || source.getName().equals(SOURCE_NAME) ? shown : source.getName();
                error[0] = file + ":" + line + ":" + (column + 1) + ": error: " + gccWording(msg);
            }

            @Override
            public void handleSourceChange(Source source, SourceChangeEvent event) {
                // only files: a macro's expansion is a source too (named as its file), not counted here
                if (!(source instanceof FileSource)) return;
                switch (event) {
                    case PUSH -> files.push(String.valueOf(source.getName()));
                    case POP -> { if (!files.isEmpty()) files.pop(); }
                    default -> { }
                }
            }
        });
        try {
            pp.addMacro("__KERNEL__");
            pp.addMacro("MODULE");
            pp.addMacro("__GNUC__", "12");
            pp.addMacro("__x86_64__");
            pp.addMacro("CONFIG_X86_64");
            pp.addMacro("CONFIG_X86");
            pp.addMacro("CONFIG_64BIT");
            pp.addMacro("CONFIG_LIVEPATCH");
            pp.addMacro("CONFIG_KPROBES");
            pp.addMacro("CONFIG_ARCH_HAS_SYSCALL_WRAPPER");
            pp.addMacro("LINUX_VERSION_CODE", String.valueOf((major << 16) + (minor << 8)));
            pp.addMacro("KBUILD_MODNAME", "\"" + modname + "\"");
            pp.addMacro("__klpsim__");
        } catch (LexerException e) {
            throw new IllegalStateException(e);
        }
        pp.addInput(new FileSource(text, SOURCE_NAME));
        StringBuilder out = new StringBuilder(text.length() * 2);
        int cap = 1024, n = 0;
        int[] offsets = new int[cap], ls = new int[cap], cs = new int[cap];
        int lastLine = 1, lastChar = 0, endLine = 0, endChar = 0;
        String prev1 = null, prev2 = null;
        try {
            for (;;) {
                Token t = pp.token();
                if (error[0] != null) break;
                int type = t.getType();
                if (type == Token.EOF) break;
                if (type == Token.P_LINE || type == Token.NL || type == Token.WHITESPACE || type == Token.CCOMMENT || type == Token.CPPCOMMENT) {
                    if (out.length() > 0 && out.charAt(out.length() - 1) != ' ') out.append(' ');
                    continue;
                }
                // a token of the module's file at its place there, else (headers, macro
                // bodies) the place of the last token the module's file had
                boolean own = files.size() == 1 && t.getLine() >= 1 && t.getLine() <= lines.length
                        && lines[t.getLine() - 1].startsWith(t.getText(), t.getColumn());
                if (own) {
                    lastLine = t.getLine();
                    lastChar = t.getColumn();
                    endLine = lastLine;
                    endChar = lastChar + t.getText().length();
                } else if (files.size() == 1 && endLine > 0) {
                    // a macro's expansion: jcpp places its tokens where the macro was
                    // defined; gcc places them where it is used, the first word after the
                    // module's last own token
                    int l = endLine, c = endChar;
                    while (l <= lines.length) {
                        String ln = lines[l - 1];
                        while (c < ln.length() && Character.isWhitespace(ln.charAt(c))) c++;
                        if (c < ln.length()) break;
                        l++;
                        c = 0;
                    }
                    if (l <= lines.length) {
                        lastLine = l;
                        lastChar = c;
                    }
                }
                if (n == cap) {
                    cap *= 2;
                    offsets = java.util.Arrays.copyOf(offsets, cap);
                    ls = java.util.Arrays.copyOf(ls, cap);
                    cs = java.util.Arrays.copyOf(cs, cap);
                }
                offsets[n] = out.length();
                ls[n] = lastLine;
                cs[n] = lastChar;
                n++;
                String text2 = t.getText();
                // the empty initializer `{ }` (GNU C, C23) is not in C.g4's C11: it is `{ 0 }`
                if (text2.equals("}") && "{".equals(prev1) && prev2 != null && (prev2.equals("=") || prev2.equals(",") || prev2.equals("{")))
                    out.append("0 ");
                out.append(text2);
                prev2 = prev1;
                prev1 = text2;
            }
        } catch (LexerException | IOException | RuntimeException e) {
            if (error[0] == null) error[0] = shown + ":" + lastLine + ":" + (lastChar + 1) + ": error: " + gccWording(String.valueOf(e.getMessage()));
        }
        if (error[0] != null) throw new CError(error[0]);
        return new Preprocessed(out.toString(), offsets, ls, cs, n);
    }

    static final String SOURCE_NAME = "<klpsim-module>";


    /** jcpp's messages in gcc's words, where gcc has its own. */
    private static String gccWording(String msg) {
        if (msg.startsWith("File not found: ")) {
            String f = msg.substring("File not found: ".length()).replaceAll("^[<\"]|[>\"]$", "");
            return f + ": No such file or directory";
        }
        if (msg.startsWith("#error")) return msg;
        return msg;
    }

    /** A file's text as jcpp reads it (the module's own, or a header): macro expansions are other sources. */
    private static final class FileSource extends StringLexerSource {
        private final String name;

        FileSource(String text, String name) {
            super(text, true);
            this.name = name;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getPath() {
            return name;
        }
    }

    /** The host file system, and klpsim's headers under {@link #SYSTEM_DIR}. */
    private static final class Fs implements VirtualFileSystem {
        private final Path base;

        Fs(Path base) {
            this.base = base;
        }

        @Override
        public VirtualFile getFile(String path) {
            return new File(path);
        }

        @Override
        public VirtualFile getFile(String dir, String name) {
            return new File(dir + "/" + name);
        }

        private final class File implements VirtualFile {
            private final String path;

            File(String path) {
                this.path = path.replace("//", "/");
            }

            private boolean resource() {
                return path.startsWith(SYSTEM_DIR + "/");
            }

            private String resourceName() {
                return RESOURCES + path.substring(SYSTEM_DIR.length());
            }

            @Override
            public boolean isFile() {
                if (resource()) return CPreprocessor.class.getResource(resourceName()) != null;
                return Files.isRegularFile(Path.of(path));
            }

            @Override
            public String getPath() {
                return path;
            }

            @Override
            public String getName() {
                return path.substring(path.lastIndexOf('/') + 1);
            }

            @Override
            public VirtualFile getParentFile() {
                int i = path.lastIndexOf('/');
                return i <= 0 ? null : new File(path.substring(0, i));
            }

            @Override
            public VirtualFile getChildFile(String name) {
                return new File(path + "/" + name);
            }

            @Override
            public Source getSource() throws IOException {
                String text;
                if (resource()) {
                    try (InputStream in = CPreprocessor.class.getResourceAsStream(resourceName())) {
                        if (in == null) throw new IOException("No such file or directory: " + path);
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                } else text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
                String name = resource() ? path.substring(SYSTEM_DIR.length() + 1) : path;
                return new FileSource(text, name);
            }
        }
    }
}
