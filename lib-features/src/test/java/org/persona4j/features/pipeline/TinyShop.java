package org.persona4j.features.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.UserAttributes;

/** A small deterministic shop for pipeline tests (the real generator lives in lib-core's synth package). */
final class TinyShop {
    static final List<String> TOPS = List.of("Beauty", "Home", "Sports", "Books");
    static final long T0 = 1_700_000_000_000L;

    final InMemoryCatalog catalog = new InMemoryCatalog();
    final List<BehaviorEvent> events = new ArrayList<>();
    final Map<String, UserAttributes> users = new LinkedHashMap<>();
    final Map<String, String> favourite = new LinkedHashMap<>();

    TinyShop(long seed, int nUsers, int nItems) {
        Random r = new Random(seed);
        List<List<String>> itemsByTop = new ArrayList<>();
        for (int t = 0; t < TOPS.size(); t++) {
            itemsByTop.add(new ArrayList<>());
        }
        for (int i = 0; i < nItems; i++) {
            int t = i % TOPS.size();
            String top = TOPS.get(t);
            Item it = new Item("i" + i, List.of(top, top + " sub" + (i / TOPS.size()) % 3), "brand" + r.nextInt(6),
                    Math.round((5 + r.nextDouble() * 95) * 100) / 100.0, top + " item " + i, null, Map.of());
            catalog.put(it);
            itemsByTop.get(t).add(it.id());
        }
        String[] genders = {"F", "M", null};
        String[] queries = {"face cream", "retinol serum", "yoga mat", "running shoes", "cookbook", "口红推荐", "lamp"};
        for (int u = 0; u < nUsers; u++) {
            String id = "u" + u;
            int fav = r.nextInt(TOPS.size());
            favourite.put(id, TOPS.get(fav));
            users.put(id, new UserAttributes(id, r.nextInt(10) == 0 ? -1 : 16 + r.nextInt(60), genders[r.nextInt(3)],
                    "R" + r.nextInt(3), r.nextBoolean() ? "engineer" : "teacher", Map.of()));
            int n = 5 + r.nextInt(40);
            long t = T0 + r.nextInt(30) * 86_400_000L;
            int hourBias = r.nextInt(24);
            for (int k = 0; k < n; k++) {
                t += (long) (r.nextDouble() * 2 * 86_400_000L);
                long ts = t - Math.floorMod(t, 86_400_000L) + hourBias * 3_600_000L + r.nextInt(3_600_000);
                int cat = r.nextDouble() < 0.7 ? fav : r.nextInt(TOPS.size());
                List<String> pool = itemsByTop.get(cat);
                String item = pool.get(r.nextInt(pool.size()));
                double p = r.nextDouble();
                EventType type = p < 0.08 ? EventType.SEARCH : p < 0.75 ? EventType.VIEW : p < 0.9 ? EventType.ADD_TO_CART : EventType.PURCHASE;
                BehaviorEvent.Builder b = BehaviorEvent.builder(id, type == EventType.SEARCH ? null : item, type, ts);
                if (type == EventType.SEARCH) {
                    b.query(queries[r.nextInt(queries.length)]);
                }
                if (type == EventType.VIEW) {
                    b.dwellMillis(r.nextInt(120_000));
                }
                events.add(b.build());
            }
        }
        events.sort(Comparator.comparingLong(BehaviorEvent::timestampMillis));
    }

    List<BehaviorEvent> eventsOf(String user) {
        List<BehaviorEvent> out = new ArrayList<>();
        for (BehaviorEvent e : events) {
            if (e.userId().equals(user)) {
                out.add(e);
            }
        }
        return out;
    }
}
