package org.persona4j.examples.sparktrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.persona4j.core.BadInputException;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.train.EpochSummary;
import org.persona4j.models.train.ProfileModelConfig;
import org.persona4j.models.train.ProfileOptions;
import org.persona4j.models.train.ProfileTrainer;
import org.persona4j.spark.SparkTrainer;

/**
 * Trains the profile model data-parallel on Spark and writes the model artifact:
 *
 * <pre>
 * spark-submit --class org.persona4j.examples.sparktrain.TrainOnSparkJob --num-executors 8 --executor-cores 1 \
 *   persona4j-spark-train-job.jar --input Beauty.txt --format s3rec --workers 8 --steps-per-round 16 \
 *   --out model.zip [--json metrics.json] [--epochs 20 --lr 0.002 ... any option of persona4j train]
 * </pre>
 *
 * The input is read on the driver with persona4j's readers (every format of {@code persona4j train});
 * {@code --workers 0} trains in the driver's JVM instead (the one-machine baseline, same options).
 * {@code --search-trials N [--search-epochs E]} runs the hyper-parameter search of {@code persona4j train}
 * first, each trial data-parallel on the same workers.
 * {@code --json} writes the per-epoch history (loss, validation metrics, seconds), the workers'
 * time per round and the total time.
 */
public final class TrainOnSparkJob {
    private static final Set<String> OWN = Set.of("input", "format", "workers", "steps-per-round", "out", "json", "threads",
            "search-trials", "search-epochs");

    private TrainOnSparkJob() {
    }

    /**
     * @param args the options above
     * @throws IOException when the input cannot be read or the artifact not written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> o = options(args);
        SparkSession spark = SparkSession.builder().appName("persona4j train").getOrCreate();
        try {
            Map<String, Object> result = run(spark, o);
            System.out.printf(Locale.ROOT, "trained in %.1f s: %s%n", (double) result.get("seconds"), result.get("final"));
        } finally {
            spark.stop();
        }
        // a local-mode run must not wait for threads Spark or ND4J leave behind (the job is done)
        System.exit(0);
    }

    /**
     * Runs the job on a session (the tests call it with a local one).
     *
     * @param spark the session
     * @param o the options, names without the dashes
     * @return what {@code --json} holds
     * @throws IOException when the input cannot be read or the artifact not written
     */
    public static Map<String, Object> run(SparkSession spark, Map<String, String> o) throws IOException {
        ProfileModelConfig.Builder b = ProfileModelConfig.builder();
        Map<String, String> modelOptions = new LinkedHashMap<>(o);
        modelOptions.keySet().removeAll(OWN);
        Set<String> applied = ProfileOptions.apply(b, modelOptions);
        Set<String> unknown = new LinkedHashSet<>(modelOptions.keySet());
        for (String k : modelOptions.keySet()) {
            if (ProfileOptions.find(k).isPresent()) {
                unknown.remove(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new BadInputException("unknown option(s) " + unknown + "; this job's own: " + OWN + ", the model's: those of"
                    + " persona4j train");
        }
        ProfileModelConfig config = b.build();
        int workers = Integer.parseInt(o.getOrDefault("workers", "2"));
        int steps = Integer.parseInt(o.getOrDefault("steps-per-round", "16"));
        Dataset data = Datasets.load(DataFormat.parse(require(o, "format")), Path.of(require(o, "input")));
        int searchTrials = Integer.parseInt(o.getOrDefault("search-trials", "0"));
        ProfileTrainer trainer = new ProfileTrainer(config).threads(Integer.parseInt(o.getOrDefault("threads", "2")))
                .search(searchTrials > 0 ? new org.persona4j.models.train.HyperparameterSearch.Budget(searchTrials,
                        Integer.parseInt(o.getOrDefault("search-epochs", "3"))) : null)
                .dataDescription(require(o, "input") + (workers > 0 ? " (data-parallel, " + workers + " Spark workers, averaged every "
                        + steps + " steps)" : ""));
        long t0 = System.nanoTime();
        Map<String, Object> out = new LinkedHashMap<>();
        List<double[]> rounds = List.of();
        DeepProfileModel model;
        if (workers > 0) {
            try (SparkTrainer st = new SparkTrainer(spark, workers)) {
                model = trainer.dataParallel(st, steps).fit(data.events(), data.catalog());
                rounds = st.roundSeconds();
            }
        } else {
            model = trainer.fit(data.events(), data.catalog());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (DeepProfileModel m = model) {
            m.save(Path.of(require(o, "out")));
        }
        out.put("input", o.get("input"));
        out.put("workers", workers);
        out.put("stepsPerRound", steps);
        out.put("options", applied);
        out.put("seconds", seconds);
        out.put("epochs", trainer.history().stream().map(EpochSummary::toMap).toList());
        out.put("final", trainer.history().isEmpty() ? Map.of() : trainer.history().get(trainer.history().size() - 1).validation());
        out.put("roundSeconds", rounds);
        if (trainer.lastSearch() != null) {
            out.put("search", trainer.lastSearch().toMap());
        }
        if (o.containsKey("json")) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(Path.of(o.get("json")).toFile(), out);
        }
        return out;
    }

    private static String require(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null || v.isBlank()) {
            throw new BadInputException("missing option --" + name);
        }
        return v;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new BadInputException("expected --name value pairs, got '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            o.put(name, flag ? "true" : args[++i]);
        }
        return o;
    }
}
