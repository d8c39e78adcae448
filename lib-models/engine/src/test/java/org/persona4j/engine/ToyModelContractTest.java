package org.persona4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;
import org.persona4j.testkit.ProfileModelContract;

/** The engine tests' fake model keeps the contract the real model keeps, so what they show holds for it. */
class ToyModelContractTest extends ProfileModelContract {
    @Override
    protected ProfileModel createModel() {
        return new ToyModel("toy-1");
    }

    @Override
    protected Map<String, List<BehaviorEvent>> histories() {
        Map<String, List<BehaviorEvent>> m = new LinkedHashMap<>();
        for (int u = 0; u < 3; u++) {
            List<BehaviorEvent> h = new ArrayList<>();
            for (int k = 0; k < 4 + u; k++) {
                h.add(BehaviorEvent.builder("u" + u, "i" + (u * 3 + k), EventType.VIEW, 1_700_000_000_000L + 1000L * k).build());
            }
            m.put("u" + u, h);
        }
        return m;
    }
}
