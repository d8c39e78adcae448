package org.persona4j.examples.docs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.Segment;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.io.Dataset;
import org.persona4j.segment.CompositeSegmenter;
import org.persona4j.segment.KMeansConfig;
import org.persona4j.segment.KMeansSegmenter;
import org.persona4j.segment.ProfileVector;
import org.persona4j.segment.RfmSegmenter;
import org.persona4j.segment.RuleSegmenter;
import org.persona4j.segment.score.ProfileScorer;
import org.persona4j.segment.score.ScoreSummary;
import org.persona4j.segment.score.ScoreWriter;
import org.persona4j.segment.score.ScoredUser;

/** docs/segments.md's code, compiled. */
final class SegmentsSnippets {
    private SegmentsSnippets() {
    }

    static void segments(List<String> userIds, float[][] vectors, float[][] moreVectors, UserProfile profile, RfmSegmenter rfm) {
        // snippet:start segments-kmeans
        KMeansSegmenter km = KMeansSegmenter.fit("behaviour",
                KMeansConfig.defaults(42).withK(10),          // withK(0): automatic k
                userIds, vectors, ProfileVector.longTermEmbedding());   // or embedding(), features(names)
        Segment s = km.assign(profile);                        // nearest centroid, no refit
        int[] many = km.assignAll(moreVectors);                // many rows at once, block by block
        // snippet:end

        // snippet:start segments-rules
        RuleSegmenter intent = RuleSegmenter.builder("intent")
                .knownPropensities(Set.of("purchase", "churn"))          // optional: unknown names are refused
                .rule("ready", "Ready to buy", "propensity.purchase > 0.7 and interest.Beauty >= 0.3")
                .rule("churny", "Churn risk", "propensity.churn > 0.6 or (events >= 50 and not feature.aov < 20)")
                .otherwise("other", "Everyone else")
                .build();
        // snippet:end

        // snippet:start segments-composite
        CompositeSegmenter all = new CompositeSegmenter(List.of(km, rfm, intent));
        UserProfile labelled = all.label(profile);   // segments(): behaviour → kmeans-3, value → rfm-champions, intent → ready
        // snippet:end
    }

    static void scoring(ProfileModel model, Dataset data, long asOf, RfmSegmenter rfm, ProfileTagger tagger, ItemResolver resolver,
                        String userId, List<BehaviorEvent> history) throws IOException {
        // snippet:start segments-score
        ProfileScorer scorer = ProfileScorer.builder(model)        // any ProfileModel, e.g. DeepProfileModel
                .topInterests(5).segmentsRfm().threads(2)           // or segmentsKMeans(8), noSegments(), segmenter(fitted)
                .fit(data.events(), data.catalog(), ProgressListener.NONE); // as-of time, RFM cut points, tag thresholds, k-means
        try (ScoreWriter out = ScoreWriter.open(Path.of("scores.jsonl"))) {
            ScoreSummary s = scorer.scoreAll(data.events(), out, ProgressListener.NONE);   // s.usersPerSecond()
        }
        // distributed: fit the parts once, then per user in each partition
        ProfileScorer perUser = ProfileScorer.builder(model).asOfMillis(asOf).valueGroups(rfm).tagger(tagger)
                .aggregates(AggregateConfig.defaults(), resolver).build();
        ScoredUser row = perUser.score(userId, history);            // thread-safe; history in any order
        // snippet:end
    }
}
