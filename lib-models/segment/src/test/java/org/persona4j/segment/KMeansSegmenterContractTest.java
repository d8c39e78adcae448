package org.persona4j.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;
import org.persona4j.testkit.SegmenterContract;

/** {@link KMeansSegmenter} on two profile features passes the segmenter conformance suite. */
class KMeansSegmenterContractTest extends SegmenterContract {
    static final List<String> FEATURES = List.of("x", "y");

    @Override
    protected Segmenter fit(List<UserProfile> users, long seed) {
        return KMeansSegmenter.fit("behaviour", KMeansConfig.defaults(seed).withK(3), users, ProfileVector.features(FEATURES));
    }

    @Override
    protected List<UserProfile> users(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<UserProfile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("x", c * 5 + r.nextGaussian());
            f.put("y", (c == 1 ? 5 : 0) + r.nextGaussian());
            out.add(new UserProfile("u" + i, null, null, null, f, null, null, 1, null, null));
        }
        return out;
    }

    @Override
    protected UserProfile withNaN(UserProfile p) {
        return withFeature(p, "y", Double.NaN);
    }

    @Override
    protected String nanField() {
        return "features.y";
    }
}
