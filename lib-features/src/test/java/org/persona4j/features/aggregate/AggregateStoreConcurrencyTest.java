package org.persona4j.features.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.testkit.TestSeeds;

/** Updates from several threads (same and different users) give the same aggregates as one thread. */
class AggregateStoreConcurrencyTest {
    @Test
    void concurrentUpdatesEqualSequential() throws Exception {
        long seed = TestSeeds.seed("AggregateStoreConcurrencyTest", System.nanoTime());
        Random r = new Random(seed);
        InMemoryCatalog cat = new InMemoryCatalog();
        for (int i = 0; i < 50; i++) {
            cat.put(new Item("i" + i, List.of("C" + (i % 4), "S" + (i % 7)), "B" + (i % 5), 1 + i, null, null, java.util.Map.of()));
        }
        List<BehaviorEvent> es = new ArrayList<>();
        for (int k = 0; k < 20_000; k++) {
            es.add(BehaviorEvent.of("u" + r.nextInt(30), "i" + r.nextInt(50), EventType.ofOrdinal(1 + r.nextInt(8)),
                    1_600_000_000_000L + r.nextInt(1_000_000_000)));
        }
        AggregateConfig cfg = AggregateConfig.defaults();
        ItemResolver res = new ItemResolver(cat, PriceQuantiles.fit(cat));
        AggregateStore seq = new AggregateStore(cfg, res);
        es.forEach(seq::update);
        AggregateStore par = new AggregateStore(cfg, res);
        List<BehaviorEvent> shuffled = new ArrayList<>(es);
        Collections.shuffle(shuffled, r);
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            int chunk = shuffled.size() / 4;
            for (int t = 0; t < 4; t++) {
                List<BehaviorEvent> part = shuffled.subList(t * chunk, t == 3 ? shuffled.size() : (t + 1) * chunk);
                fs.add(ex.submit(() -> part.forEach(par::update)));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdownNow();
        }
        long asOf = 1_601_000_000_000L;
        assertEquals(seq.size(), par.size());
        for (String u : seq.userIds()) {
            AggregateSnapshot a = seq.snapshot(u, asOf).orElseThrow();
            AggregateSnapshot b = par.snapshot(u, asOf).orElseThrow();
            String ctx = "seed " + seed + " user " + u;
            assertEquals(a.eventCount(), b.eventCount(), ctx);
            assertEquals(Arrays.toString(a.typeCounts()), Arrays.toString(b.typeCounts()), ctx);
            assertEquals(Arrays.toString(a.hourCounts()), Arrays.toString(b.hourCounts()), ctx);
            assertEquals(a.monetary(), b.monetary(), 1e-9 * Math.max(1, a.monetary()), ctx);
            assertEquals(a.decayedActivity(), b.decayedActivity(), 1e-9 * Math.max(1, a.decayedActivity()), ctx);
            assertEquals(a.topCategories().size(), b.topCategories().size(), ctx);
            for (int i = 0; i < a.topCategories().size(); i++) {
                assertEquals(a.topCategories().get(i).name(), b.topCategories().get(i).name(), ctx);
                assertEquals(a.topCategories().get(i).share(), b.topCategories().get(i).share(), 1e-9, ctx);
            }
        }
    }
}
