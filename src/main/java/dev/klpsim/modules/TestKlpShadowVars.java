package dev.klpsim.modules;

import dev.klpsim.api.BuiltinModule;
import dev.klpsim.api.Kernel;
import dev.klpsim.api.ModuleBuilder;
import dev.klpsim.kernel.Errno;
import dev.klpsim.livepatch.Shadow;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * test_modules/test_klp_shadow_vars.c: exercises the shadow variable API from its init.
 * Pointers print as PTRn, numbered in the order they are first seen (ptr_id()).
 */
public final class TestKlpShadowVars extends BuiltinModule {
    private static final long SV_ID1 = 0x1234;
    private static final long SV_ID2 = 0x1235;
    private static final int NUM_OBJS = 3;

    public TestKlpShadowVars() {
        super("test_klp_shadow_vars", false);
    }

    /** A named stand-in for a C object whose address the test prints. */
    private record Obj(String what) {}

    @Override
    protected void define(ModuleBuilder m) {
        Kernel k = m.kernel();
        m.description("Livepatch test: shadow variables").author("Joe Lawrence <joe.lawrence@redhat.com>");
        Map<Object, Integer> ids = new IdentityHashMap<>();
        Object nullPtr = new Obj("NULL");
        java.util.function.Function<Object, Integer> ptrId = p -> ids.computeIfAbsent(p == null ? nullPtr : p, x -> ids.size());

        Obj ctorFn = new Obj("shadow_ctor");
        Obj dtorFn = new Obj("shadow_dtor");
        Shadow.Ctor shadowCtor = (obj, data, ctorData) -> {
            Object[] var = (Object[]) ctorData;
            if (var == null) return Errno.EINVAL.neg();
            data.ptr = var[0];
            k.prInfo("shadow_ctor: PTR" + ptrId.apply(data) + " -> PTR" + ptrId.apply(data.ptr));
            return 0;
        };
        Shadow.Dtor shadowDtor = (obj, data) ->
                k.prInfo("shadow_dtor(obj=PTR" + ptrId.apply(obj) + ", shadow_data=PTR" + ptrId.apply(data) + ")");

        m.init(() -> {
            ptrId.apply(null);
            Obj[] objs = new Obj[NUM_OBJS];
            Obj[] nfields1 = new Obj[NUM_OBJS];
            Obj[] nfields2 = new Obj[NUM_OBJS];
            Object[][] pnfields1 = new Object[NUM_OBJS][];
            Object[][] pnfields2 = new Object[NUM_OBJS][];
            Shadow.Data[] sv1 = new Shadow.Data[NUM_OBJS];
            Shadow.Data[] sv2 = new Shadow.Data[NUM_OBJS];
            for (int i = 0; i < NUM_OBJS; i++) {
                objs[i] = new Obj("objs[" + i + "]");
                nfields1[i] = new Obj("nfields1[" + i + "]");
                nfields2[i] = new Obj("nfields2[" + i + "]");
            }

            class Calls {
                Shadow.Data get(Object obj, long id) {
                    Shadow.Data ret = k.klpShadowGet(obj, id);
                    k.prInfo(String.format("klp_shadow_get(obj=PTR%d, id=0x%x) = PTR%d", ptrId.apply(obj), id, ptrId.apply(ret)));
                    return ret;
                }

                Shadow.Data alloc(Object obj, long id, Object[] ctorData, boolean orGet) {
                    Shadow.Data ret = orGet
                            ? k.klpShadowGetOrAlloc(obj, id, 8, Kernel.GFP_KERNEL, shadowCtor, ctorData)
                            : k.klpShadowAlloc(obj, id, 8, Kernel.GFP_KERNEL, shadowCtor, ctorData);
                    k.prInfo(String.format("klp_shadow_%s(obj=PTR%d, id=0x%x, size=%x, gfp_flags=GFP_KERNEL), ctor=PTR%d, ctor_data=PTR%d = PTR%d",
                            orGet ? "get_or_alloc" : "alloc", ptrId.apply(obj), id, 8, ptrId.apply(ctorFn),
                            ptrId.apply(ctorData[0]), ptrId.apply(ret)));
                    return ret;
                }

                void free(Object obj, long id) {
                    k.klpShadowFree(obj, id, shadowDtor);
                    k.prInfo(String.format("klp_shadow_free(obj=PTR%d, id=0x%x, dtor=PTR%d)", ptrId.apply(obj), id, ptrId.apply(dtorFn)));
                }

                void freeAll(long id) {
                    k.klpShadowFreeAll(id, null);
                    k.prInfo(String.format("klp_shadow_free_all(id=0x%x, dtor=PTR%d)", id, ptrId.apply(null)));
                }

                void expect(Shadow.Data sv, Object field) {
                    if (sv != null && sv.ptr == field)
                        k.prInfo("  got expected PTR" + ptrId.apply(sv) + " -> PTR" + ptrId.apply(sv.ptr) + " result");
                }

                void expectNull(Shadow.Data sv) {
                    if (sv == null) k.prInfo("  got expected NULL result");
                }
            }
            Calls t = new Calls();

            t.expectNull(t.get(objs[0], SV_ID1));
            // pass 1: a char and an int shadow variable for each object
            for (int i = 0; i < NUM_OBJS; i++) {
                pnfields1[i] = new Object[] {nfields1[i]};
                ptrId.apply(nfields1[i]);
                sv1[i] = t.alloc(objs[i], SV_ID1, pnfields1[i], i % 2 == 0);
                if (sv1[i] == null) return Errno.ENOMEM.neg();
                pnfields2[i] = new Object[] {nfields2[i]};
                ptrId.apply(nfields2[i]);
                sv2[i] = t.alloc(objs[i], SV_ID2, pnfields2[i], false);
                if (sv2[i] == null) return Errno.ENOMEM.neg();
            }
            // pass 2: they can be found again
            for (int i = 0; i < NUM_OBJS; i++) {
                Shadow.Data r = t.get(objs[i], SV_ID1);
                if (r == sv1[i]) t.expect(sv1[i], nfields1[i]);
                r = t.get(objs[i], SV_ID2);
                if (r == sv2[i]) t.expect(sv2[i], nfields2[i]);
            }
            // pass 3: get_or_alloc returns the existing ones
            for (int i = 0; i < NUM_OBJS; i++) {
                Shadow.Data r = t.alloc(objs[i], SV_ID1, pnfields1[i], true);
                if (r == sv1[i]) t.expect(sv1[i], nfields1[i]);
            }
            // pass 4: free the char ones
            for (int i = 0; i < NUM_OBJS; i++) {
                t.free(objs[i], SV_ID1);
                t.expectNull(t.get(objs[i], SV_ID1));
            }
            // pass 5: the int ones are still there
            for (int i = 0; i < NUM_OBJS; i++) {
                Shadow.Data r = t.get(objs[i], SV_ID2);
                if (r == sv2[i]) t.expect(sv2[i], nfields2[i]);
            }
            // pass 6: free them all
            t.freeAll(SV_ID2);
            for (int i = 0; i < NUM_OBJS; i++) t.expectNull(t.get(objs[i], SV_ID2));
            return 0;
        });
    }
}
