package org.persona4j.features.aggregate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/**
 * Must-show: on a generated shop with planted personas, the top time-decayed top-level category
 * affinity equals the persona's planted favourite for at least 90 % of the users with 20 or more
 * events.
 */
class PlantedPersonaAffinityTest {
    @Test
    void topDecayedCategoryIsThePlantedFavourite() {
        long seed = 20261122L;
        System.out.println("PlantedPersonaAffinityTest seed=" + seed);
        SyntheticShop shop = new ShopGenerator(ShopConfig.builder().users(800).items(1500).seed(seed).build()).generate();
        AggregateStore store = new AggregateStore(AggregateConfig.defaults(), new ItemResolver(shop.catalog(),
                PriceQuantiles.fit(shop.catalog())));
        long end = 0;
        for (BehaviorEvent e : shop.events()) {
            store.update(e);
            end = Math.max(end, e.timestampMillis());
        }
        int eligible = 0;
        int hits = 0;
        for (Map.Entry<String, String> u : shop.personaOfUser().entrySet()) {
            if (SyntheticShop.BOT.equals(u.getValue())) {
                continue;
            }
            AggregateSnapshot s = store.snapshot(u.getKey(), end).orElse(null);
            if (s == null || s.eventCount() < 20) {
                continue;
            }
            eligible++;
            if (shop.persona(u.getValue()).favoriteCategory().equals(s.favoriteTopCategory())) {
                hits++;
            }
        }
        double rate = eligible == 0 ? 0 : (double) hits / eligible;
        System.out.printf("planted favourite recovered for %d of %d users with >= 20 events (%.1f %%)%n", hits, eligible, 100 * rate);
        assertTrue(eligible >= 100, "enough eligible users: " + eligible);
        assertTrue(rate >= 0.90, "recovered " + hits + " of " + eligible + " = " + rate);
        List<Affinity> top = store.snapshot(store.userIds().get(0), end).orElseThrow().topCategories();
        assertTrue(top.size() <= AggregateConfig.defaults().topCategorySlots());
    }
}
