package org.persona4j.eval;

import java.time.Duration;
import org.persona4j.core.Recommender;
import org.persona4j.recommend.ContentBasedRecommender;
import org.persona4j.recommend.HybridRecommender;
import org.persona4j.recommend.ItemKnnRecommender;
import org.persona4j.recommend.PopularityRecommender;
import org.persona4j.recommend.SessionKnnRecommender;

/** The factories of the built-in recommenders, registered as services. */
public final class BuiltinFactories {
    private BuiltinFactories() {
    }

    /** {@code pop}: global popularity. */
    public static final class Pop implements RecommenderFactory {
        /** Service constructor. */
        public Pop() {
        }

        @Override
        public String name() {
            return "pop";
        }

        @Override
        public String description() {
            return "global popularity (interaction counts)";
        }

        @Override
        public Recommender fit(FitContext c) {
            return PopularityRecommender.global(c.train(), c.catalog());
        }
    }

    /** {@code trending}: popularity over the last 7 days (option window-days). */
    public static final class Trending implements RecommenderFactory {
        /** Service constructor. */
        public Trending() {
        }

        @Override
        public String name() {
            return "trending";
        }

        @Override
        public String description() {
            return "trending popularity over a recent window (option window-days, default 7)";
        }

        @Override
        public Recommender fit(FitContext c) {
            return PopularityRecommender.trending(c.train(), c.catalog(), Duration.ofDays(c.intOption("window-days", 7)));
        }
    }

    /** {@code itemknn}: item-kNN on history co-occurrence. */
    public static final class ItemKnn implements RecommenderFactory {
        /** Service constructor. */
        public ItemKnn() {
        }

        @Override
        public String name() {
            return "itemknn";
        }

        @Override
        public String description() {
            return "item-kNN, shrunk cosine on history co-occurrence with recency weighting (options neighbours, shrink, decay, window)";
        }

        @Override
        public Recommender fit(FitContext c) {
            ItemKnnRecommender.Config d = ItemKnnRecommender.Config.defaults();
            ItemKnnRecommender.Config cfg = new ItemKnnRecommender.Config(c.intOption("neighbours", d.neighbours()),
                    c.doubleOption("shrink", d.shrink()), c.doubleOption("decay", d.decay()), c.intOption("window", d.window()),
                    c.intOption("max-history", d.maxHistory()));
            return ItemKnnRecommender.fit(c.train(), c.catalog(), cfg, c.threads());
        }
    }

    /** {@code sknn}: V-SKNN session kNN. */
    public static final class Sknn implements RecommenderFactory {
        /** Service constructor. */
        public Sknn() {
        }

        @Override
        public String name() {
            return "sknn";
        }

        @Override
        public String description() {
            return "session kNN, V-SKNN style (options neighbours, sample, query)";
        }

        @Override
        public Recommender fit(FitContext c) {
            SessionKnnRecommender.Config d = SessionKnnRecommender.Config.defaults();
            SessionKnnRecommender.Config cfg = new SessionKnnRecommender.Config(c.intOption("neighbours", d.neighbours()),
                    c.intOption("sample", d.sampleSize()), c.intOption("query", d.maxQuery()),
                    c.intOption("session-gap-minutes", d.sessionGapMinutes()));
            return SessionKnnRecommender.fit(c.train(), c.catalog(), cfg);
        }
    }

    /** {@code content}: content-based on catalogue attributes. */
    public static final class Content implements RecommenderFactory {
        /** Service constructor. */
        public Content() {
        }

        @Override
        public String name() {
            return "content";
        }

        @Override
        public String description() {
            return "content-based: category, brand, attribute and title tokens of the history against each item";
        }

        @Override
        public Recommender fit(FitContext c) {
            return ContentBasedRecommender.fit(c.train(), c.catalog());
        }
    }

    /** {@code hybrid}: item-kNN blended with session kNN and content, popularity fallback. */
    public static final class Hybrid implements RecommenderFactory {
        /** Service constructor. */
        public Hybrid() {
        }

        @Override
        public String name() {
            return "hybrid";
        }

        @Override
        public String description() {
            return "blend of itemknn (0.5), sknn (0.4) and content (0.1) on normalised scores, popularity for the rest";
        }

        @Override
        public Recommender fit(FitContext c) {
            return HybridRecommender.builder("hybrid")
                    .add(new ItemKnn().fit(c), 0.5)
                    .add(new Sknn().fit(c), 0.4)
                    .add(new Content().fit(c), 0.1)
                    .fallback(PopularityRecommender.global(c.train(), c.catalog()))
                    .build();
        }
    }
}
