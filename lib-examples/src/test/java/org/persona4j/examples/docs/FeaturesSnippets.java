package org.persona4j.examples.docs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Tag;
import org.persona4j.core.UserAttributes;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.AggregateStore;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.clean.CleaningConfig;
import org.persona4j.features.clean.CleaningResult;
import org.persona4j.features.clean.EventCleaner;
import org.persona4j.features.pipeline.FeaturePipeline;
import org.persona4j.features.pipeline.FeaturePipelineConfig;
import org.persona4j.features.pipeline.FittedFeaturePipeline;
import org.persona4j.features.pipeline.UserFeatureTable;
import org.persona4j.features.pipeline.UserInput;
import org.persona4j.models.profile.UserFeatureSource;
import org.persona4j.models.train.ProfileModelConfig;
import org.persona4j.models.train.ProfileTrainer;

/** docs/features.md's code, compiled. */
final class FeaturesSnippets {
    private FeaturesSnippets() {
    }

    static void quickStart(List<BehaviorEvent> train, Catalog catalog, Map<String, UserAttributes> users, long endOfData,
                           List<BehaviorEvent> historyOfU42, BehaviorEvent event) {
        // snippet:start features-quick-start
        // given: train (events), catalog, users (Dataset.users()), endOfData (ms), historyOfU42, event
        // fit on training data only: train = e.g. Datasets.load(DataFormat.EVENTS_CSV, path).events()
        CleaningResult cleaned = new EventCleaner(CleaningConfig.defaults(endOfData), catalog).clean(train);
        System.out.println(cleaned.report());      // what was dropped, flagged, imputed, by reason
        FittedFeaturePipeline features = new FeaturePipeline(FeaturePipelineConfig.defaults())
                .fit(cleaned.events(), catalog, users);
        features.save(Path.of("features.json"));

        // apply (thread-safe, any number of threads)
        FittedFeaturePipeline f = FittedFeaturePipeline.load(Path.of("features.json"), catalog);
        float[] x = f.extract(UserInput.of("u42", historyOfU42, users.get("u42")));   // f.schema().size() values
        List<Tag> tags = f.tags(UserInput.of("u42", historyOfU42, users.get("u42")));

        // real time: O(1) per event
        AggregateStore store = new AggregateStore(AggregateConfig.defaults(), new ItemResolver(catalog, PriceQuantiles.fit(catalog)));
        store.update(event);
        AggregateSnapshot s = store.snapshot("u42", System.currentTimeMillis()).orElseThrow();
        System.out.println(s.favoriteTopCategory() + " " + s.priceSensitivity() + " " + s.cartPerView() + " " + s.peakHour());
        // snippet:end
    }

    static void sequenceModelFeatures(FittedFeaturePipeline features, List<BehaviorEvent> trainingEvents,
                                      Map<String, UserAttributes> users, ProfileModelConfig config) {
        // snippet:start features-user-feature-source
        // given: features (a FittedFeaturePipeline), trainingEvents, users, config (a ProfileModelConfig)
        UserFeatureTable t = UserFeatureTable.of(features, trainingEvents, users, -1);
        UserFeatureSource source = new UserFeatureSource() {
            public int dimension() { return t.dimension(); }
            public float[] features(String userId) { return t.features(userId); }
            public String schemaHash() { return t.schemaHash(); }
        };
        new ProfileTrainer(config).userFeatures(source);
        // snippet:end
    }
}
