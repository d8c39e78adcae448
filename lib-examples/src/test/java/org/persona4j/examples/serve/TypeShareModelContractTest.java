package org.persona4j.examples.serve;

import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.ProfileModel;

/** The service test's fake model keeps the contract the real model keeps. */
class TypeShareModelContractTest extends org.persona4j.testkit.ProfileModelContract {
    @Override
    protected ProfileModel createModel() {
        return new EngineHttpServerTest.TypeShareModel();
    }

    @Override
    protected Map<String, List<BehaviorEvent>> histories() {
        Map<String, List<BehaviorEvent>> m = new java.util.LinkedHashMap<>();
        for (int u = 0; u < 3; u++) {
            List<BehaviorEvent> h = new java.util.ArrayList<>();
            for (int k = 0; k < 4 + u; k++) {
                h.add(BehaviorEvent.builder("u" + u, "i" + k, EventType.values()[k % EventType.count()],
                        1_700_000_000_000L + 1000L * k).build());
            }
            m.put("u" + u, h);
        }
        return m;
    }
}
