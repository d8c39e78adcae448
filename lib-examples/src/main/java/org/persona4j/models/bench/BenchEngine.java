package org.persona4j.models.bench;

/** Which implementation {@code bench-train} trains with; both train the same model. */
public enum BenchEngine {
    /** The fused ND4J path of {@code org.persona4j.models.train.fused} (the default). */
    FUSED,
    /** DL4J's {@code MultiLayerNetwork.fit} on padded, masked batches. */
    DL4J;

    /** Parses {@code fused} or {@code dl4j}, case-insensitively. */
    public static BenchEngine parse(String s) {
        for (BenchEngine e : values()) {
            if (e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("engine must be fused or dl4j, was '" + s + "'");
    }
}
