package org.persona4j.segment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;

/**
 * Drift of segment shares: the share of each segment now (from current assignments) against its
 * share at fit time, and the population stability index
 * {@code PSI = sum_j (now_j - fit_j) * ln(now_j / fit_j)} (shares floored at 1e-4). Rule of thumb:
 * below 0.1 stable, 0.1 to 0.25 moderate shift, above 0.25 significant shift (refit).
 *
 * @param segmenter the segmenter name
 * @param rows one row per segment
 * @param psi the population stability index
 * @param users users in the current assignment
 */
public record SegmentDrift(String segmenter, List<Row> rows, double psi, long users) {

    /**
     * One segment's shares.
     *
     * @param segmentId the segment id
     * @param name the segment name
     * @param shareAtFit share at fit time
     * @param shareNow share in the current assignment
     * @param countNow users in the current assignment
     */
    public record Row(String segmentId, String name, double shareAtFit, double shareNow, long countNow) {
        /** @return shareNow - shareAtFit */
        public double delta() {
            return shareNow - shareAtFit;
        }
    }

    /** Copies. */
    public SegmentDrift {
        rows = List.copyOf(rows);
    }

    /**
     * @param segmenter a fitted segmenter (its segments carry the shares at fit time)
     * @param currentSegmentIds the segment id of each current user (e.g. from {@link Segmenter#assign})
     * @return the drift report
     * @throws BadInputException on an unknown segment id
     */
    public static SegmentDrift of(Segmenter segmenter, Iterable<String> currentSegmentIds) {
        Map<String, Long> count = new LinkedHashMap<>();
        for (Segment s : segmenter.segments()) {
            count.put(s.id(), 0L);
        }
        long n = 0;
        for (String id : currentSegmentIds) {
            if (!count.containsKey(id)) {
                throw new BadInputException("segment drift '" + segmenter.name() + "': unknown segment id '" + id
                        + "', expected one of " + count.keySet());
            }
            count.merge(id, 1L, Long::sum);
            n++;
        }
        List<Row> rows = new ArrayList<>();
        double psi = 0;
        for (Segment s : segmenter.segments()) {
            long c = count.get(s.id());
            double now = n == 0 ? 0 : c / (double) n;
            rows.add(new Row(s.id(), s.name(), s.share(), now, c));
            double p = Math.max(now, 1e-4);
            double q = Math.max(s.share(), 1e-4);
            psi += (p - q) * Math.log(p / q);
        }
        return new SegmentDrift(segmenter.name(), rows, n == 0 ? 0 : psi, n);
    }

    /** @return "stable", "moderate" or "significant" by the PSI rule of thumb */
    public String level() {
        return psi < 0.1 ? "stable" : psi <= 0.25 ? "moderate" : "significant";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "segment drift %s: %,d users, PSI %.4f (%s)%n",
                segmenter, users, psi, level()));
        sb.append(String.format(Locale.ROOT, "  %-16s %-32s %9s %9s %9s%n", "segment", "name", "at fit", "now", "delta"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "  %-16s %-32s %9.4f %9.4f %+9.4f%n", r.segmentId(), r.name(),
                    r.shareAtFit(), r.shareNow(), r.delta()));
        }
        return sb.toString();
    }
}
