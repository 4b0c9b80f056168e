package dev.klpsim.livepatch;

import java.util.ArrayList;
import java.util.List;

/**
 * The shadow variable hash table: (obj, id) -> variable, obj compared by identity as the
 * kernel compares pointers (shadow.c hashes the obj pointer into klp_shadow_hash). Open
 * addressing with linear probing on one flat array, so a lookup touches the object's
 * header (its identity hash) and one slot: with a million live variables the cost is
 * those two cache misses, not pointer chasing. The id sits in the slot boxed: ids are
 * small numbers in practice and small Longs are shared instances, so comparing it stays
 * within cache. Removal shifts the following entries back (no tombstones), and growing
 * rehashes from the stored hashes without touching the objects. Only the table: who
 * allocated what is {@link Shadow}'s.
 */
final class ShadowTable {
    private static final int STRIDE = 5;
    /**
     * Per slot: the obj (null: empty slot), the id (a Long), the variable, its data and the
     * module that used it last: a get by that module reads this slot and no other memory.
     */
    private Object[] refs;
    /** Per slot: its full hash (read only to grow and to remove). */
    private int[] hashes;
    private int mask;
    private int size;

    ShadowTable() {
        allocate(64);
    }

    private void allocate(int slots) {
        refs = new Object[STRIDE * slots];
        hashes = new int[slots];
        mask = slots - 1;
    }

    int size() {
        return size;
    }

    private static int hash(Object obj, long id) {
        int h = System.identityHashCode(obj) * 0x9E3779B9 + (int) (id ^ (id >>> 32)) * 0x85EBCA6B;
        return h ^ (h >>> 15);
    }

    /** The slot of (obj, id), or -1. */
    private int slot(Object obj, long id) {
        Object[] r = refs;
        int m = mask;
        for (int i = hash(obj, id) & m; ; i = (i + 1) & m) {
            Object o = r[STRIDE * i];
            if (o == obj && (Long) r[STRIDE * i + 1] == id) return i;
            if (o == null) return -1;
        }
    }

    Shadow.Var get(Object obj, long id) {
        int i = slot(obj, id);
        return i < 0 ? null : (Shadow.Var) refs[STRIDE * i + 2];
    }

    /**
     * klp_shadow_get()'s lookup: the data of (obj, id), or null; a {@code caller} other than
     * the variable's last user is told to the variable's ledger.
     */
    Shadow.Data getData(Object obj, long id, String caller) {
        int i = slot(obj, id);
        if (i < 0) return null;
        int k = STRIDE * i;
        if (caller != null && caller != refs[k + 4]) {
            ((Shadow.Var) refs[k + 2]).use(caller, false);
            refs[k + 4] = caller;
        }
        return (Shadow.Data) refs[k + 3];
    }

    /** Adds a variable whose (obj, id) is not in the table. */
    void add(Shadow.Var v) {
        if (2 * (size + 1) > mask + 1) grow();
        place(hash(v.obj(), v.id()), v.obj(), Long.valueOf(v.id()), v, v.data(), v.allocatedBy());
        size++;
    }

    private void place(int h, Object obj, Object id, Object v, Object data, Object lastUser) {
        int i = h & mask;
        while (refs[STRIDE * i] != null) i = (i + 1) & mask;
        refs[STRIDE * i] = obj;
        refs[STRIDE * i + 1] = id;
        refs[STRIDE * i + 2] = v;
        refs[STRIDE * i + 3] = data;
        refs[STRIDE * i + 4] = lastUser;
        hashes[i] = h;
    }

    private void grow() {
        Object[] old = refs;
        int[] oldHashes = hashes;
        allocate(2 * (mask + 1));
        for (int i = 0; i < oldHashes.length; i++) {
            int k = STRIDE * i;
            if (old[k] != null) place(oldHashes[i], old[k], old[k + 1], old[k + 2], old[k + 3], old[k + 4]);
        }
    }

    /** Removes (obj, id) and returns its variable, or null when there is none. */
    Shadow.Var remove(Object obj, long id) {
        int i = slot(obj, id);
        if (i < 0) return null;
        Shadow.Var v = (Shadow.Var) refs[STRIDE * i + 2];
        // backward shift: move each following entry of the run into the hole if its home allows
        int hole = i;
        for (int j = (i + 1) & mask; refs[STRIDE * j] != null; j = (j + 1) & mask) {
            int home = hashes[j] & mask;
            // the entry at j may fill the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (stays) continue;
            System.arraycopy(refs, STRIDE * j, refs, STRIDE * hole, STRIDE);
            hashes[hole] = hashes[j];
            hole = j;
        }
        java.util.Arrays.fill(refs, STRIDE * hole, STRIDE * hole + STRIDE, null);
        size--;
        return v;
    }

    /** Every variable, in table order (callers sort). */
    List<Shadow.Var> values() {
        List<Shadow.Var> out = new ArrayList<>(size);
        for (int i = 0; i <= mask; i++) if (refs[STRIDE * i] != null) out.add((Shadow.Var) refs[STRIDE * i + 2]);
        return out;
    }
}
