/**
 * persona4j on Apache Spark 3.5 (docs/spark.md): the single-JVM building blocks run per partition.
 *
 * <ul>
 * <li>{@link org.persona4j.spark.SparkEvents}: any DataFrame (Parquet, CSV, a table) becomes
 *     validated persona4j events through a {@link org.persona4j.io.ColumnMapping}; bad rows go to a
 *     quarantine with the reason and the field, and are counted.</li>
 * <li>{@link org.persona4j.spark.SparkCatalog}: the catalogue from an items DataFrame (the columns of
 *     {@code items.csv}), collected on the driver.</li>
 * <li>{@link org.persona4j.spark.SparkFeatures}: per-user sequences, aggregates (RFM, category and
 *     brand affinity, price sensitivity) and tags equal to lib-features' single-JVM values.</li>
 * <li>{@link org.persona4j.spark.SparkScorer}: batch scoring of every user (or only the users with
 *     new events) with the lean serving model broadcast to the executors, through
 *     {@link org.persona4j.segment.score.ProfileScorer}, with top-N recommendations and reasons.</li>
 * <li>{@link org.persona4j.spark.SparkSegments}: k-means on the embeddings (Spark MLlib), counts of
 *     the RFM value groups, and the segment report from a sample and the full counts.</li>
 * <li>{@link org.persona4j.spark.SparkTrainer}: data-parallel training of the profile model
 *     (synchronous parameter averaging in barrier-mode stages); needs the optional
 *     persona4j-profile-train and an ND4J backend.</li>
 * </ul>
 *
 * <p>Spark is a provided dependency: nothing outside this module puts it on a host's class path.
 * Only byte arrays, strings and numbers travel in closures and broadcasts (training's shards, tasks
 * and results are plain arrays and strings under Java serialization); the persona4j objects (model,
 * scorer, catalogue) are rebuilt once per executor JVM from them.
 */
package org.persona4j.spark;
