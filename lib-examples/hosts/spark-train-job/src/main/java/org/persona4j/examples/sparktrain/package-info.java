/**
 * A spark-submit job over persona4j-spark and persona4j-profile-train (docs/spark.md):
 * {@link org.persona4j.examples.sparktrain.TrainOnSparkJob} trains the deep profile model
 * data-parallel on Spark executors and writes the usual model artifact.
 */
package org.persona4j.examples.sparktrain;
