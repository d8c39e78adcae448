package org.persona4j.spring.boot;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.engine.PersonaEngine;

/**
 * Recommendations through the engine, timed: each call's latency goes to the Micrometer timer
 * {@code persona4j.recommend.latency} when the host has Micrometer (otherwise nothing is recorded).
 * A thin, thread-safe facade over {@link PersonaEngine#recommend}; call the engine directly for
 * everything else.
 */
public final class PersonaRecommendations {
    private final PersonaEngine engine;
    private final List<LongConsumer> latencyListeners = new CopyOnWriteArrayList<>();

    /** @param engine the engine to recommend with */
    public PersonaRecommendations(PersonaEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * @param request what to recommend
     * @return at most {@code request.k()} recommendations, best first, each with reasons
     * @see PersonaEngine#recommend(RecommendationRequest)
     */
    public List<Recommendation> recommend(RecommendationRequest request) {
        long t0 = System.nanoTime();
        try {
            return engine.recommend(request);
        } finally {
            long nanos = System.nanoTime() - t0;
            for (LongConsumer l : latencyListeners) {
                l.accept(nanos);
            }
        }
    }

    /**
     * @param userId the user (the host's id)
     * @param k how many
     * @return at most k recommendations for the user, best first
     */
    public List<Recommendation> forUser(String userId, int k) {
        return recommend(RecommendationRequest.builder(k).user(userId).build());
    }

    /** @return the engine behind this facade */
    public PersonaEngine engine() {
        return engine;
    }

    /** Adds a receiver of each call's latency in nanoseconds (the metrics binder). */
    void onLatency(LongConsumer listener) {
        latencyListeners.add(Objects.requireNonNull(listener, "listener"));
    }
}
