/**
 * A spark-submit job over persona4j-spark (docs/spark.md): {@link org.persona4j.examples.spark.ScoreShopJob}
 * reads events and items from any Spark source, quarantines bad rows, featurises, scores and
 * segments every user (or only those with new events) and writes Parquet.
 */
package org.persona4j.examples.spark;
