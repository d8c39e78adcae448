package org.persona4j.models.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one {@code bench-train} run as an ordered tree of plain values (numbers, strings,
 * nested maps), ready to be written as JSON. Keys follow {@code torch_reference.py}:
 * {@code train_seconds}, {@code train_positions}, {@code train_positions_per_second},
 * {@code metrics} ({@code hr@10}, {@code ndcg@10}, {@code hr@20}, {@code ndcg@20},
 * {@code mrr@20}), plus {@code update_latency_ms} ({@code p50}, {@code p99}) and {@code backend}.
 *
 * @param fields the figures, unmodifiable
 */
public record BenchReport(Map<String, Object> fields) {

    /** Freezes the map. */
    public BenchReport {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Number of (input, next item) targets trained. */
    public long trainPositions() {
        return ((Number) fields.get("train_positions")).longValue();
    }

    /** The ranking metrics by name ({@code hr@10} ...), empty if evaluation was skipped. */
    @SuppressWarnings("unchecked")
    public Map<String, Double> metrics() {
        Object m = fields.get("metrics");
        return m == null ? Map.of() : (Map<String, Double>) m;
    }
}
