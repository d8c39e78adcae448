package org.persona4j.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;

/**
 * Segment statistics for export outside the host (reports, partners, dashboards) with two
 * protections:
 * <ul>
 *   <li><b>minimum group size k</b> (k-anonymity of the published groups): a segment with fewer
 *       than k users is never published. With {@link SmallGroups#SUPPRESS} it is dropped; with
 *       {@link SmallGroups#MERGE} the small segments are pooled into one {@value #OTHER_ID} group,
 *       which is itself dropped if it still has fewer than k users. Only the number of suppressed
 *       segments is reported. The threshold is applied to the exact counts.</li>
 *   <li><b>optional Laplace noise</b> with privacy budget ε on every published count (sensitivity
 *       1: a user belongs to one segment of a segmenter), rounded and clamped at 0; shares are then
 *       computed from the noisy counts, so they sum to 1 over the published groups.</li>
 * </ul>
 * Segment summaries (aggregate statistics of at least k users) are passed through for published
 * segments and dropped for merged ones. Instances are immutable apart from the seeded noise source
 * and are thread-safe.
 */
public final class SegmentExport {
    /** Id of the group that pools segments below the minimum size. */
    public static final String OTHER_ID = "other";

    /** What happens to segments with fewer than k users. */
    public enum SmallGroups {
        /** Dropped from the export. */
        SUPPRESS,
        /** Pooled into one {@value SegmentExport#OTHER_ID} group, dropped if that is still below k. */
        MERGE
    }

    /**
     * A published group.
     *
     * @param id segment id (or {@value SegmentExport#OTHER_ID})
     * @param name readable name
     * @param count the published (possibly noisy) number of users, &ge; 0
     * @param share count over the sum of published counts
     * @param summary the segment's summary statistics (empty for the merged group)
     */
    public record Group(String id, String name, long count, double share, Map<String, String> summary) {
    }

    /**
     * The export.
     *
     * @param groups published groups, in input order (merged group last)
     * @param suppressedSegments how many input segments were not published on their own
     * @param method a one-line statement of the protections applied, for the export's header
     */
    public record Result(List<Group> groups, int suppressedSegments, String method) {
    }

    private final int minGroupSize;
    private final SmallGroups smallGroups;
    private final LaplaceNoise noise;

    private SegmentExport(Builder b) {
        this.minGroupSize = b.minGroupSize;
        this.smallGroups = b.smallGroups;
        this.noise = b.epsilon > 0 ? new LaplaceNoise(b.epsilon, 1.0, b.seed) : null;
    }

    /** @return a builder with k = 10, small groups suppressed, no noise */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param segments segments with their sizes (for example from a segmenter)
     * @return the published groups
     * @throws BadInputException for a null list or element
     */
    public Result export(List<Segment> segments) {
        if (segments == null) {
            throw new BadInputException("SegmentExport: field 'segments': required, was null");
        }
        List<Row> rows = new ArrayList<>();
        for (Segment s : segments) {
            if (s == null) {
                throw new BadInputException("SegmentExport: field 'segments': null element");
            }
            rows.add(new Row(s.id(), s.name(), s.size(), s.summary()));
        }
        return run(rows);
    }

    /**
     * @param counts group id → exact number of users
     * @return the published groups (names are the ids)
     * @throws BadInputException for null or negative counts
     */
    public Result exportCounts(Map<String, Long> counts) {
        if (counts == null) {
            throw new BadInputException("SegmentExport: field 'counts': required, was null");
        }
        List<Row> rows = new ArrayList<>();
        counts.forEach((id, n) -> {
            if (id == null || n == null || n < 0) {
                throw new BadInputException("SegmentExport: field 'counts': expected id → count >= 0, got " + id + " → " + n);
            }
            rows.add(new Row(id, id, n, Map.of()));
        });
        return run(rows);
    }

    private record Row(String id, String name, long size, Map<String, String> summary) {
    }

    private Result run(List<Row> rows) {
        List<Row> kept = new ArrayList<>();
        long pooled = 0;
        int suppressed = 0;
        for (Row r : rows) {
            if (r.size() >= minGroupSize) {
                kept.add(r);
            } else {
                suppressed++;
                pooled += r.size();
            }
        }
        if (smallGroups == SmallGroups.MERGE && suppressed > 0 && pooled >= minGroupSize) {
            kept.add(new Row(OTHER_ID, "Other (" + suppressed + " segments below " + minGroupSize + " users, merged)", pooled, Map.of()));
        }
        long[] counts = new long[kept.size()];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = kept.get(i).size();
            if (noise != null) {
                c = Math.max(0, Math.round(noise.noisy(c)));
            }
            counts[i] = c;
            total += c;
        }
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            Row r = kept.get(i);
            double share = total == 0 ? 0 : counts[i] / (double) total;
            groups.add(new Group(r.id(), r.name(), counts[i], share, new LinkedHashMap<>(r.summary())));
        }
        return new Result(List.copyOf(groups), suppressed, method());
    }

    /** @return the statement of protections, as put in {@link Result#method()} */
    public String method() {
        return "minimum group size k=" + minGroupSize + " (smaller segments "
                + (smallGroups == SmallGroups.MERGE ? "merged into '" + OTHER_ID + "', suppressed if still below k" : "suppressed")
                + "); " + (noise == null ? "exact counts (no noise)"
                        : "Laplace noise on counts, epsilon=" + noise.epsilon() + ", sensitivity 1, scale " + noise.scale());
    }

    /** Builder: {@code set*}-free fluent options, validated as they are set. */
    public static final class Builder {
        private int minGroupSize = 10;
        private SmallGroups smallGroups = SmallGroups.SUPPRESS;
        private double epsilon = 0;
        private long seed = 0;

        private Builder() {
        }

        /**
         * @param k the minimum number of users in a published group, &ge; 1 (default 10)
         * @return this builder
         * @throws BadInputException for k &lt; 1
         */
        public Builder minGroupSize(int k) {
            if (k < 1) {
                throw new BadInputException("SegmentExport: field 'minGroupSize': expected >= 1, was " + k);
            }
            this.minGroupSize = k;
            return this;
        }

        /**
         * @param mode what to do with segments below k (default {@link SmallGroups#SUPPRESS})
         * @return this builder
         */
        public Builder smallGroups(SmallGroups mode) {
            if (mode == null) {
                throw new BadInputException("SegmentExport: field 'smallGroups': required, was null");
            }
            this.smallGroups = mode;
            return this;
        }

        /**
         * Adds Laplace noise with budget ε to every published count.
         *
         * @param epsilon ε, finite and &gt; 0
         * @param seed seed of the noise source
         * @return this builder
         * @throws BadInputException for ε not finite and positive
         */
        public Builder laplaceNoise(double epsilon, long seed) {
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new BadInputException("SegmentExport: field 'epsilon': expected a finite number > 0, was " + epsilon);
            }
            this.epsilon = epsilon;
            this.seed = seed;
            return this;
        }

        /** @return the exporter */
        public SegmentExport build() {
            return new SegmentExport(this);
        }
    }
}
