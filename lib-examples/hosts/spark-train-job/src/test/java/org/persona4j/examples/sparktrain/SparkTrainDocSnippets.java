package org.persona4j.examples.sparktrain;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.train.ProfileModelConfig;
import org.persona4j.models.train.ProfileTrainer;
import org.persona4j.spark.SparkTrainer;

/** The training block of docs/spark.md, compiled here (DocSnippetsTest compares the two); never run. */
final class SparkTrainDocSnippets {
    private SparkTrainDocSnippets() {
    }

    static void train(SparkSession spark, ProfileModelConfig config, List<BehaviorEvent> events, Catalog catalog) throws Exception {
        // snippet:start spark-train
        try (SparkTrainer workers = new SparkTrainer(spark, 8)) {             // 8 workers = 8 task slots at once
            DeepProfileModel model = new ProfileTrainer(config)
                    .dataParallel(workers, 16)                                 // average every 16 steps per worker
                    .fit(events, catalog);                                     // events on the driver (below)
            model.save(Path.of("model.zip"));                                  // the one-machine artifact format
        }
        // snippet:end
    }
}
