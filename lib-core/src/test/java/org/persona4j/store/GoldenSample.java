package org.persona4j.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.Evidence;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;

/** The profiles stored in the golden files {@code profile-v1.bin} and {@code profile-v2.bin}; never change them. */
final class GoldenSample {
    private GoldenSample() {
    }

    static UserProfile profile() {
        Map<String, Double> interests = new LinkedHashMap<>();
        interests.put("Beauty > Skin care", 0.82);
        interests.put("Électronique", 0.25);
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("rfm.recency.days", 12.0);
        features.put("price.sensitivity", -0.5);
        return new UserProfile("golden-ユーザー", new float[] {0.5f, -1.25f, 3e-7f, 42f}, interests, Map.of("purchase", 0.3),
                features, List.of(new Tag("price-sensitive", "Price-sensitive", 0.7, Evidence.of("share", 0.62, "events", 41))),
                Map.of("behaviour", "kmeans-3"), 41, Instant.parse("2026-11-22T10:00:00.123456789Z"), "lstm-v1");
    }

    /** @return the profile of {@code profile-v2.bin}: {@link #profile()} with a long-term embedding */
    static UserProfile profileV2() {
        return profile().withLongTermEmbedding(new float[] {0.25f, -0.75f, 1e-6f, 1f});
    }
}
