package org.persona4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.models.train.DataParallel;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Data-parallel training of the profile model on Spark executors: the {@link DataParallel.Workers}
 * of {@link org.persona4j.models.train.ProfileTrainer#dataParallel}.
 *
 * <pre>{@code
 * try (SparkTrainer workers = new SparkTrainer(spark, 8)) {
 *     DeepProfileModel model = new ProfileTrainer(config).dataParallel(workers, 16)
 *             .fit(SparkTrainer.collect(events), catalog);
 *     model.save(artifact);
 * }
 * }</pre>
 *
 * <p>Each phase's shards become one cached RDD partition per worker (kept in executor memory or
 * spilled to disk). Every round is one Spark stage in barrier execution mode ({@code RDD.barrier()}):
 * all workers start together (Spark gang-schedules the stage, and retries it whole if a task
 * fails), each runs
 * {@link DataParallel#run} on its partition from the round's weights and Adam moments (a
 * broadcast), and the driver averages what they return. No shuffle: the rounds move only the
 * weights (about 4 bytes per weight and 8 per Adam moment pair, each way, per worker and round).
 *
 * <p>Requirements: the executors need the ND4J backend (persona4j-backend-cpu or -gpu) on their
 * class path, and the cluster at least {@link #size()} task slots at once (barrier mode refuses to
 * start otherwise). persona4j-profile-train is an optional dependency of persona4j-spark: add it
 * when you train here.
 */
public final class SparkTrainer implements DataParallel.Workers {
    private final JavaSparkContext jsc;
    private final int workers;
    private JavaRDD<DataParallel.Shard> shards;
    private final List<double[]> roundSeconds = new ArrayList<>();

    /**
     * @param spark the session, not null
     * @param workers the number of workers (shards, concurrent tasks per round), {@code >= 1}
     */
    public SparkTrainer(SparkSession spark, int workers) {
        if (spark == null) {
            throw new BadInputException("spark trainer: a SparkSession is required, was null");
        }
        if (workers < 1) {
            throw new BadInputException("spark trainer: workers must be >= 1, was " + workers);
        }
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.workers = workers;
    }

    /**
     * The events of a {@link SparkEvents} result on the driver, for {@code ProfileTrainer.fit}:
     * the trainer prepares the data (split, vocabulary, labelled sequences) on the driver before
     * it deals them to the workers, so the driver needs memory for the events (docs/spark.md).
     *
     * @param events a data set of {@link SparkEvents#EVENT_SCHEMA}
     * @return the events, in the data set's order
     */
    public static List<BehaviorEvent> collect(Dataset<Row> events) {
        List<BehaviorEvent> out = new ArrayList<>();
        java.util.Iterator<Row> it = events.toLocalIterator();
        while (it.hasNext()) {
            out.add(SparkEvents.toEvent(it.next()));
        }
        return out;
    }

    @Override
    public int size() {
        return workers;
    }

    @Override
    public void load(String phase, List<DataParallel.Shard> s) {
        if (s == null || s.size() != workers) {
            throw new BadInputException("spark trainer: " + (s == null ? 0 : s.size()) + " shards for " + workers + " workers");
        }
        unpersist();
        shards = jsc.parallelize(s, workers).persist(StorageLevel.MEMORY_AND_DISK());
        shards.setName("persona4j " + phase + " shards");
        shards.count();
    }

    @Override
    public List<DataParallel.Result> round(DataParallel.Task task) {
        if (shards == null) {
            throw new IllegalStateException("spark trainer: round before load");
        }
        Broadcast<DataParallel.Task> b = jsc.broadcast(task);
        try {
            RDD<DataParallel.Result> out = shards.rdd().barrier().mapPartitions(new Round(b), false, classTag());
            List<DataParallel.Result> results = new ArrayList<>(out.toJavaRDD().collect());
            double[] secs = new double[results.size()];
            for (DataParallel.Result r : results) {
                secs[r.worker()] = r.seconds();
            }
            roundSeconds.add(secs);
            return results;
        } finally {
            b.destroy();
        }
    }

    /**
     * @return per round so far, each worker's seconds in {@link DataParallel#run} (set-up included),
     *     indexed by worker; the rest of a round's wall time is Spark's scheduling and the transfers
     */
    public List<double[]> roundSeconds() {
        return Collections.unmodifiableList(roundSeconds);
    }

    /** Drops the cached shards. */
    @Override
    public void close() {
        unpersist();
    }

    private void unpersist() {
        if (shards != null) {
            shards.unpersist(false);
            shards = null;
        }
    }

    @SuppressWarnings("unchecked")
    private static ClassTag<DataParallel.Result> classTag() {
        return (ClassTag<DataParallel.Result>) (ClassTag<?>) ClassTag$.MODULE$.apply(DataParallel.Result.class);
    }

    /** One worker's round inside a barrier task. */
    private static final class Round extends AbstractFunction1<Iterator<DataParallel.Shard>, Iterator<DataParallel.Result>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Broadcast<DataParallel.Task> task;

        Round(Broadcast<DataParallel.Task> task) {
            this.task = task;
        }

        @Override
        public Iterator<DataParallel.Result> apply(Iterator<DataParallel.Shard> in) {
            // no BarrierTaskContext.barrier() call: the driver averages only after collecting every
            // worker's result, and a failed task fails (and reruns) the whole barrier stage anyway;
            // Spark 3.5's barrier() also starts a non-daemon timer thread that keeps a local-mode JVM alive
            List<DataParallel.Result> out = new ArrayList<>(1);
            while (in.hasNext()) {
                out.add(DataParallel.run(task.value(), in.next()));
            }
            return JavaConverters.asScalaIterator(out.iterator());
        }
    }
}
