package dev.klpsim.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Delta debugging: drops chunks of a failing sequence (halves, then quarters, down to single
 * elements) while it still fails, so what remains is a sequence none of whose elements can
 * be dropped alone. Used for random sessions (reliability tests) and explore's counterexamples.
 */
public final class Shrink {
    private Shrink() {}

    public static <T> List<T> shrink(List<T> failing, Predicate<List<T>> fails) {
        List<T> cur = new ArrayList<>(failing);
        for (int chunk = Math.max(1, cur.size() / 2); chunk >= 1; chunk /= 2) {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i + chunk <= cur.size(); i += chunk) {
                    List<T> cand = new ArrayList<>(cur.subList(0, i));
                    cand.addAll(cur.subList(i + chunk, cur.size()));
                    if (fails.test(cand)) {
                        cur = cand;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return cur;
    }
}
