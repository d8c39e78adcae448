package org.persona4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.Affinity;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.tags.ProfileTagger;

/**
 * The engine's link to lib-features' per-user aggregates: creates, updates, encodes and reads them,
 * and adds their figures and tags to profiles. Thread-safe (aggregates themselves are confined to
 * the per-user compute that calls it).
 */
final class AggregateSupport {
    /** State slot of the aggregates. */
    static final String SLOT = "aggregates";
    private final AggregateConfig config;
    private final ItemResolver resolver;
    private final ProfileTagger tagger;
    private final LongSupplier clock;

    AggregateSupport(AggregateConfig config, ItemResolver resolver, ProfileTagger tagger, LongSupplier clock) {
        this.config = config;
        this.resolver = resolver;
        this.tagger = tagger;
        this.clock = clock;
    }

    UserAggregates fresh(String userId) {
        return new UserAggregates(userId, config);
    }

    void update(UserAggregates a, BehaviorEvent e) {
        a.update(e, resolver);
    }

    byte[] encode(UserAggregates a) {
        return a.toBytes(resolver);
    }

    UserAggregates decode(String userId, byte[] bytes) {
        return UserAggregates.fromBytes(userId, config, resolver, bytes);
    }

    AggregateSnapshot snapshot(UserAggregates a) {
        return a.snapshot(Math.max(clock.getAsLong(), a.lastEventMillis()), resolver);
    }

    UserProfile decorate(UserProfile p, UserAggregates a) {
        AggregateSnapshot s = snapshot(a);
        Map<String, Double> f = new LinkedHashMap<>(p.features());
        f.put("rfm.recency_days", s.recencyDays());
        f.put("rfm.events", (double) s.eventCount());
        f.put("rfm.purchases", (double) s.count(org.persona4j.core.EventType.PURCHASE));
        f.put("rfm.monetary", s.monetary());
        f.put("activity.decayed", s.decayedActivity());
        if (!Double.isNaN(s.meanPricePercentile())) {
            f.put("price.mean_percentile", s.meanPricePercentile());
        }
        int i = 0;
        for (Affinity af : s.topCategories()) {
            if (i++ == 3) {
                break;
            }
            f.put("affinity.category." + af.name(), af.share());
        }
        List<Tag> tags = new ArrayList<>(p.tags());
        if (tagger != null) {
            tags.addAll(tagger.tags(s));
        }
        return new UserProfile(p.userId(), p.embedding(), p.longTermEmbedding(), p.interests(), p.propensities(), f, tags,
                p.segments(), p.eventCount(), p.updatedAt(), p.modelVersion());
    }
}
