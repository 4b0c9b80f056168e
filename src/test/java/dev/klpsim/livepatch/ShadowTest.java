package dev.klpsim.livepatch;

import dev.klpsim.Sim;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** shadow.c (kernel/livepatch/shadow.c). */
class ShadowTest {
    private final Sim s = new Sim();
    private final Shadow sh = s.m.klp.shadow;

    private List<String> log() {
        List<String> out = new ArrayList<>();
        s.m.printk.records().forEach(r -> out.add(r.text()));
        return out;
    }

    @Test
    void allocZeroFillsAndKeysOnObjectIdentityAndId() {
        Object a = new Object(), b = new Object();
        Shadow.Data d = sh.klpShadowAlloc(a, 1, 8, null, null, "t");
        assertNotNull(d);
        assertEquals(8, d.size);
        assertEquals(0, d.bytes[0]);
        assertSame(d, sh.klpShadowGet(a, 1));
        assertNull(sh.klpShadowGet(a, 2));
        assertNull(sh.klpShadowGet(b, 1));
    }

    @Test
    void aDuplicateAllocWarnsAndReturnsNull() {
        Object a = new Object();
        sh.klpShadowAlloc(a, 0x1234, 8, null, null, "t");
        assertNull(sh.klpShadowAlloc(a, 0x1234, 8, null, null, "t"));
        List<String> log = log();
        assertTrue(log.contains("------------[ cut here ]------------"), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.matches("Duplicate shadow variable <[0-9a-f]{16}, 1234>")), log.toString());
    }

    @Test
    void getOrAllocReturnsTheExistingDataWithoutCallingTheCtor() {
        Object a = new Object();
        int[] calls = {0};
        Shadow.Ctor ctor = (obj, data, cd) -> {
            calls[0]++;
            return 0;
        };
        Shadow.Data d = sh.klpShadowGetOrAlloc(a, 1, 4, ctor, null, "t");
        assertSame(d, sh.klpShadowGetOrAlloc(a, 1, 4, ctor, null, "t"));
        assertEquals(1, calls[0]);
    }

    @Test
    void aFailingCtorLeavesNothingAndLogsTheError() {
        Object a = new Object();
        assertNull(sh.klpShadowAlloc(a, 5, 8, (obj, data, cd) -> -22, null, "t"));
        assertNull(sh.klpShadowGet(a, 5));
        assertTrue(log().stream().anyMatch(l -> l.matches("livepatch: Failed to construct shadow variable <[0-9a-f]{16}, 5> \\(-22\\)")));
    }

    @Test
    void freeAllRemovesEveryVariableWithTheIdWhateverTheObject() {
        Object a = new Object(), b = new Object();
        sh.klpShadowAlloc(a, 1, 8, null, null, "t");
        sh.klpShadowAlloc(b, 1, 8, null, null, "t");
        sh.klpShadowAlloc(b, 2, 8, null, null, "t");
        List<Object> destroyed = new ArrayList<>();
        sh.klpShadowFreeAll(1, (obj, data) -> destroyed.add(obj));
        assertEquals(List.of(a, b), destroyed);
        assertNull(sh.klpShadowGet(a, 1));
        assertNotNull(sh.klpShadowGet(b, 2));
        sh.klpShadowFree(b, 2, null);
        sh.klpShadowFree(b, 2, null);
        assertEquals(0, sh.live().size());
    }
}
