package org.persona4j.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;
import org.persona4j.testkit.SegmenterContract;

/** {@link RfmSegmenter} (fitted from the RFM features of profiles) passes the conformance suite. */
class RfmSegmenterContractTest extends SegmenterContract {
    @Override
    protected Segmenter fit(List<UserProfile> users, long seed) {
        return RfmSegmenter.fitProfiles("value", users);
    }

    @Override
    protected List<UserProfile> users(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<UserProfile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long f = 1 + r.nextInt(12);
            out.add(RfmSegmenter.profileOf("u" + i, new RfmValues(r.nextInt(90), f, f * (5 + r.nextInt(100)))));
        }
        return out;
    }

    @Override
    protected UserProfile withNaN(UserProfile p) {
        return withFeature(p, RfmSegmenter.MONETARY_FEATURE, Double.NaN);
    }

    @Override
    protected String nanField() {
        return "monetary";
    }
}
