package org.persona4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.testkit.ProfileModelContract;

class CountingProfileModelContractTest extends ProfileModelContract {
    private final InMemoryCatalog catalog = new InMemoryCatalog();

    @Override
    protected ProfileModel createModel() {
        for (int i = 0; i < 6; i++) {
            catalog.put(new Item("i" + i, List.of("Top", "c" + (i % 3)), null, 10 + i, "item " + i, null, Map.of()));
        }
        return new CountingProfileModel(catalog);
    }

    @Override
    protected Map<String, List<BehaviorEvent>> histories() {
        Map<String, List<BehaviorEvent>> m = new LinkedHashMap<>();
        for (int u = 0; u < 3; u++) {
            List<BehaviorEvent> h = new ArrayList<>();
            for (int k = 0; k < 5 + u; k++) {
                EventType t = k % 4 == 3 ? EventType.PURCHASE : EventType.VIEW;
                h.add(BehaviorEvent.builder("u" + u, "i" + ((u + k) % 6), t, 1_700_000_000_000L + 60_000L * k).build());
            }
            m.put("u" + u, h);
        }
        return m;
    }
}
