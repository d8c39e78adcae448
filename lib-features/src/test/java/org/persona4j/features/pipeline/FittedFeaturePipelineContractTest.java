package org.persona4j.features.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.FeatureExtractor;
import org.persona4j.testkit.FeatureExtractorContract;

/** The fitted user feature pipeline keeps the {@link FeatureExtractor} contract. */
class FittedFeaturePipelineContractTest extends FeatureExtractorContract<UserInput> {
    private static final TinyShop SHOP = new TinyShop(11, 80, 40);
    private static final FittedFeaturePipeline PIPELINE =
            new FeaturePipeline(FeaturePipelineConfig.defaults().withMinCounts(1, 1)).fit(SHOP.events, SHOP.catalog, SHOP.users);

    @Override
    protected FeatureExtractor<UserInput> extractor() {
        return PIPELINE;
    }

    @Override
    protected List<UserInput> knownInputs() {
        Map<String, List<BehaviorEvent>> by = new LinkedHashMap<>();
        for (BehaviorEvent e : SHOP.events) {
            by.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        List<UserInput> in = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : by.entrySet()) {
            if (in.size() < 6) {
                in.add(UserInput.of(u.getKey(), u.getValue(), SHOP.users.get(u.getKey())));
            }
        }
        return in;
    }

    @Override
    protected UserInput unknownInput() {
        BehaviorEvent e = BehaviorEvent.builder("stranger", "no-such-item", EventType.VIEW, 1_700_000_000_000L).build();
        return UserInput.of("stranger", List.of(e), null);
    }
}
