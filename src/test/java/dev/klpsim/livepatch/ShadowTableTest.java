package dev.klpsim.livepatch;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The open-addressing table against a plain identity map, through every kind of operation. */
class ShadowTableTest {
    @Test
    void behavesAsAnIdentityMapOfIdsUnderRandomOperations() {
        ShadowTable t = new ShadowTable();
        Map<Object, Map<Long, Shadow.Var>> model = new IdentityHashMap<>();
        Random r = new Random(13);
        // equal but distinct objects: the table must tell them apart by identity
        Object[] objs = new Object[3_000];
        for (int i = 0; i < objs.length; i++) objs[i] = i % 2 == 0 ? new String("same") : new Object();
        long seq = 0;
        for (int step = 0; step < 300_000; step++) {
            Object o = objs[r.nextInt(objs.length)];
            long id = r.nextInt(4) == 0 ? (long) r.nextInt(3) << 40 : r.nextInt(5);
            Map<Long, Shadow.Var> ids = model.computeIfAbsent(o, k -> new TreeMap<>());
            Shadow.Var want = ids.get(id);
            switch (r.nextInt(3)) {
                case 0 -> {
                    assertSame(want, t.get(o, id));
                }
                case 1 -> {
                    if (want == null) {
                        Shadow.Var v = new Shadow.Var(o, id, new Shadow.Data(8), "t", null, 0, seq++);
                        t.add(v);
                        ids.put(id, v);
                    }
                }
                default -> {
                    assertSame(want, t.remove(o, id));
                    ids.remove(id);
                    assertNull(t.get(o, id));
                }
            }
        }
        List<Shadow.Var> all = new ArrayList<>();
        model.values().forEach(m -> all.addAll(m.values()));
        all.sort(Comparator.comparingLong(Shadow.Var::seq));
        List<Shadow.Var> got = t.values();
        got.sort(Comparator.comparingLong(Shadow.Var::seq));
        assertEquals(all, got);
        assertEquals(all.size(), t.size());
        for (Shadow.Var v : all) assertSame(v, t.get(v.obj(), v.id()));
    }

    /** The lookup klp_shadow_get() makes tells the ledger each module that reads the variable. */
    @Test
    void aGetTellsTheLedgerWhoRead() {
        ShadowTable t = new ShadowTable();
        Object o = new Object();
        Shadow.Var v = new Shadow.Var(o, 7, new Shadow.Data(8), "fix1", null, 0, 0);
        t.add(v);
        assertSame(v.data(), t.getData(o, 7, "fix1"));
        assertEquals(List.of(), v.users());
        assertSame(v.data(), t.getData(o, 7, "fix2"));
        t.getData(o, 7, "fix1");
        t.getData(o, 7, "fix3");
        t.getData(o, 7, "fix2");
        assertEquals(List.of("fix2", "fix3"), v.users());
        assertNull(t.getData(o, 8, "fix2"));
        assertNull(t.getData(new Object(), 7, "fix2"));
    }
}
