package dev.klpsim.jsh;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites a user class (a .jsh module's or a {@code java} snippet's) as it is loaded: a call
 * to {@link UserCode#check} at the start of every method and before every backward branch,
 * so that Ctrl-C stops a runaway loop or recursion within one iteration, and calls to
 * System.exit, Runtime.exit and Runtime.halt go to {@link UserCode#exit} instead. The same
 * idea as JShell's own LocalExecutionControl since JDK 21 (which needs the ClassFile API
 * of JDK 22+); ASM does it on Java 17 too, and without Thread.stop, which JDK 20+ refuses.
 * The inserted call takes and leaves nothing on the stack, so stack map frames stay valid.
 */
final class Instrument {
    private Instrument() {}

    private static final String USER_CODE = "dev/klpsim/jsh/UserCode";

    static byte[] apply(byte[] classFile) {
        ClassReader cr = new ClassReader(classFile);
        ClassWriter cw = new ClassWriter(cr, 0);
        cr.accept(new ClassVisitor(Opcodes.ASM9, cw) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
                return mv == null ? null : new Checks(mv);
            }
        }, 0);
        return cw.toByteArray();
    }

    private static final class Checks extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        Checks(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, USER_CODE, "check", "()V", false);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) check();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            if (backward(dflt, labels)) check();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            if (backward(dflt, labels)) check();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        private boolean backward(Label dflt, Label[] labels) {
            if (seen.contains(dflt)) return true;
            for (Label l : labels) if (seen.contains(l)) return true;
            return false;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System") && name.equals("exit") && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, USER_CODE, "exit", "(I)V", false);
                return;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime") && (name.equals("exit") || name.equals("halt")) && desc.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, USER_CODE, "exit", "(Ljava/lang/Runtime;I)V", false);
                return;
            }
            super.visitMethodInsn(opcode, owner, name, desc, itf);
        }
    }
}
