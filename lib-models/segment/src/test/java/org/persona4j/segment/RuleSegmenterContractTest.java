package org.persona4j.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;
import org.persona4j.testkit.SegmenterContract;

/** {@link RuleSegmenter} passes the conformance suite (empty input gives empty segments). */
class RuleSegmenterContractTest extends SegmenterContract {
    @Override
    protected Segmenter fit(List<UserProfile> users, long seed) {
        return RuleSegmenter.builder("intent")
                .rule("buyers", "Ready to buy", "propensity.purchase > 0.7")
                .rule("beauty", "Beauty fans", "interest.Beauty >= 0.3 and feature.aov < 50")
                .otherwise("other", "Everyone else").build().fitted(users);
    }

    @Override
    protected boolean needsData() {
        return false;
    }

    @Override
    protected List<UserProfile> users(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<UserProfile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> in = new LinkedHashMap<>();
            if (r.nextBoolean()) {
                in.put("Beauty", r.nextDouble());
            }
            out.add(new UserProfile("u" + i, null, in, Map.of("purchase", r.nextDouble()), Map.of("aov", 100 * r.nextDouble()),
                    null, null, 3, null, null));
        }
        return out;
    }

    @Override
    protected UserProfile withNaN(UserProfile p) {
        Map<String, Double> in = new LinkedHashMap<>(p.interests());
        in.put("Beauty", 0.5);
        UserProfile q = new UserProfile(p.userId(), null, in, Map.of("purchase", 0.1), p.features(), null, null, 3, null, null);
        return withFeature(q, "aov", Double.NaN);
    }

    @Override
    protected String nanField() {
        return "feature.aov";
    }
}
