package org.persona4j.segment.score;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link ProfileScorer#scoreAll} wrote.
 *
 * @param users rows written
 * @param events events in those users' histories
 * @param seconds wall time of grouping, scoring and writing
 * @param valueGroups rows per value group ({@code (none)} for buyers without fitted value groups), by name
 * @param segments rows per segment, by id (rows without a segment are not counted)
 * @param meanChurn mean churn risk over the rows, NaN without rows
 * @param churnSources rows per {@link ScoredUser#churnSource()} ({@value ProfileScorer#CHURN_MODEL} or
 *     {@value ProfileScorer#CHURN_HEURISTIC})
 */
public record ScoreSummary(long users, long events, double seconds, Map<String, Long> valueGroups, Map<String, Long> segments,
                           double meanChurn, Map<String, Long> churnSources) {
    /** Copies the maps. */
    public ScoreSummary {
        valueGroups = Collections.unmodifiableMap(new LinkedHashMap<>(valueGroups));
        segments = Collections.unmodifiableMap(new LinkedHashMap<>(segments));
        churnSources = Collections.unmodifiableMap(new LinkedHashMap<>(churnSources));
    }

    /**
     * @return {@value ProfileScorer#CHURN_MODEL} when every row's churn came from the model,
     *     {@value ProfileScorer#CHURN_HEURISTIC} when every row's came from the heuristic, {@code mixed}
     *     otherwise, {@code none} without rows
     */
    public String churnSource() {
        return churnSources.isEmpty() ? "none" : churnSources.size() == 1 ? churnSources.keySet().iterator().next() : "mixed";
    }

    /** @return rows per second, 0 when no time was measured */
    public double usersPerSecond() {
        return seconds <= 0 ? 0 : users / seconds;
    }
}
