package org.persona4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: real Spark in local mode ({@code local[2]}), no UI, 4 shuffle partitions. One
 * session for the whole test JVM (test classes run one after the other), stopped at JVM exit.
 */
final class LocalSpark {
    private static SparkSession session;

    private LocalSpark() {
    }

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder().appName("persona4j-spark-test").master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.session.timeZone", "UTC")
                    // tiny data: interpreting beats compiling generated code (Janino) for every plan
                    .config("spark.sql.codegen.wholeStage", "false")
                    .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            SparkSession s = session;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "persona4j-spark-test-stop"));
        }
        return session;
    }
}
