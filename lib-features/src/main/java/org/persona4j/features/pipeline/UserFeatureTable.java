package org.persona4j.features.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.UserAttributes;

/**
 * Precomputed user vectors of a {@link FittedFeaturePipeline} for a set of users (for example the
 * static user features a sequence model joins to its hidden state). Its methods mirror
 * {@code org.persona4j.models.profile.UserFeatureSource} ({@code dimension()},
 * {@code features(userId)}, {@code schemaHash()}), so lib-models adapts it with method references.
 * Immutable and thread-safe; vectors are copied out.
 */
public final class UserFeatureTable {
    private final Map<String, float[]> vectors;
    private final int dimension;
    private final String schemaHash;

    private UserFeatureTable(Map<String, float[]> vectors, int dimension, String schemaHash) {
        this.vectors = vectors;
        this.dimension = dimension;
        this.schemaHash = schemaHash;
    }

    /**
     * Extracts the vector of every user who has events (and of users who have only attributes).
     *
     * @param pipeline the fitted pipeline
     * @param events events of any users, any order (nulls are skipped and counted by the pipeline)
     * @param users declared attributes by user id, may be null
     * @param asOfMillis evaluation time, or -1 for the pipeline's reference time
     * @return the table
     */
    public static UserFeatureTable of(FittedFeaturePipeline pipeline, List<BehaviorEvent> events,
                                      Map<String, UserAttributes> users, long asOfMillis) {
        if (pipeline == null || events == null) {
            throw new BadInputException("user feature table: 'pipeline' and 'events' are required");
        }
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : events) {
            if (e != null) {
                byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
            }
        }
        Map<String, UserAttributes> attrs = users == null ? Map.of() : users;
        for (String u : attrs.keySet()) {
            byUser.putIfAbsent(u, List.of());
        }
        Map<String, float[]> v = new HashMap<>(byUser.size() * 2);
        byUser.forEach((u, es) -> v.put(u, pipeline.extract(new UserInput(u, es, attrs.get(u), asOfMillis))));
        return new UserFeatureTable(Collections.unmodifiableMap(v), pipeline.schema().size(), pipeline.schema().hash());
    }

    /** @return the length of every vector */
    public int dimension() {
        return dimension;
    }

    /**
     * @param userId a user
     * @return a copy of the user's vector, or null when the user is not in the table
     */
    public float[] features(String userId) {
        float[] f = userId == null ? null : vectors.get(userId);
        return f == null ? null : f.clone();
    }

    /** @return the schema hash of the pipeline that made the vectors */
    public String schemaHash() {
        return schemaHash;
    }

    /** @return the number of users */
    public int size() {
        return vectors.size();
    }
}
