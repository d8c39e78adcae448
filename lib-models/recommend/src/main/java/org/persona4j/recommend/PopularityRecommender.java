package org.persona4j.recommend;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Reason;
import org.persona4j.core.ReasonKind;
import org.persona4j.core.RecommendationRequest;

/**
 * Popularity, the cold-start baseline, in three modes: global counts, counts within the user's
 * segment (falling back to global for users without one), and trending (interactions in a recent
 * window relative to the item's long-run rate). Every event counts once.
 */
public final class PopularityRecommender extends AbstractScoringRecommender {
    /** The three kinds of popularity. */
    public enum Mode {
        /** Interaction counts over all training events. */
        GLOBAL,
        /** Counts among users of the same segment. */
        SEGMENT,
        /** Recent counts against the long-run rate. */
        TRENDING
    }

    private final Mode mode;
    private final float[] global;
    private final Map<String, float[]> bySegment;
    private final Map<String, String> segmentOfUser;
    private final String segmenter;
    private final float[] recent;
    private final Duration window;

    private PopularityRecommender(String name, Mode mode, ItemIndex items, Catalog catalog, float[] global,
                                  Map<String, float[]> bySegment, Map<String, String> segmentOfUser, String segmenter,
                                  float[] recent, Duration window) {
        super(name, items, catalog);
        this.mode = mode;
        this.global = global;
        this.bySegment = bySegment;
        this.segmentOfUser = segmentOfUser;
        this.segmenter = segmenter;
        this.recent = recent;
        this.window = window;
    }

    /**
     * @param events training events
     * @param catalog the catalogue (for filters and labels), may be null
     * @return global popularity
     */
    public static PopularityRecommender global(List<BehaviorEvent> events, Catalog catalog) {
        ItemIndex idx = ItemIndex.fromEvents(events);
        return new PopularityRecommender("pop", Mode.GLOBAL, idx, catalog, counts(idx, events), Map.of(), Map.of(),
                null, null, null);
    }

    /**
     * @param events training events
     * @param catalog the catalogue, may be null
     * @param segmentOfUser segment id by training user id
     * @param segmenter the segmenter name to read from request profiles ({@code UserProfile.segments()})
     * @return popularity within the user's segment, global for users without a known segment
     */
    public static PopularityRecommender bySegment(List<BehaviorEvent> events, Catalog catalog,
                                                  Map<String, String> segmentOfUser, String segmenter) {
        if (segmentOfUser == null || segmenter == null) {
            throw new BadInputException("popularity by segment: segmentOfUser and segmenter are required");
        }
        ItemIndex idx = ItemIndex.fromEvents(events);
        Map<String, float[]> by = new HashMap<>();
        for (BehaviorEvent e : events) {
            String s = segmentOfUser.get(e.userId());
            if (s != null && e.itemId() != null) {
                by.computeIfAbsent(s, x -> new float[idx.size()])[idx.indexOf(e.itemId())]++;
            }
        }
        return new PopularityRecommender("pop-segment", Mode.SEGMENT, idx, catalog, counts(idx, events), by,
                Map.copyOf(segmentOfUser), segmenter, null, null);
    }

    /**
     * @param events training events
     * @param catalog the catalogue, may be null
     * @param window the recent window, ending at the latest training event
     * @return trending items: score = recent count x (recent rate / long-run rate)
     */
    public static PopularityRecommender trending(List<BehaviorEvent> events, Catalog catalog, Duration window) {
        if (window == null || window.isNegative() || window.isZero()) {
            throw new BadInputException("popularity trending: field 'window': expected a positive duration, was " + window);
        }
        ItemIndex idx = ItemIndex.fromEvents(events);
        long max = Long.MIN_VALUE;
        long min = Long.MAX_VALUE;
        for (BehaviorEvent e : events) {
            max = Math.max(max, e.timestampMillis());
            min = Math.min(min, e.timestampMillis());
        }
        float[] all = counts(idx, events);
        float[] rec = new float[idx.size()];
        long from = max - window.toMillis();
        for (BehaviorEvent e : events) {
            if (e.itemId() != null && e.timestampMillis() > from) {
                rec[idx.indexOf(e.itemId())]++;
            }
        }
        double share = events.isEmpty() ? 1 : Math.min(1.0, window.toMillis() / (double) Math.max(1, max - min));
        float[] trend = new float[idx.size()];
        for (int i = 0; i < trend.length; i++) {
            double expected = all[i] * share;
            trend[i] = (float) (rec[i] * (rec[i] + 1) / (expected + 1));
        }
        return new PopularityRecommender("pop-trending", Mode.TRENDING, idx, catalog, trend, Map.of(), Map.of(), null,
                rec, window);
    }

    private static float[] counts(ItemIndex idx, List<BehaviorEvent> events) {
        float[] c = new float[idx.size()];
        for (BehaviorEvent e : events) {
            if (e.itemId() != null) {
                c[idx.indexOf(e.itemId())]++;
            }
        }
        return c;
    }

    /** @return the mode */
    public Mode mode() {
        return mode;
    }

    private float[] table(RecommendationRequest r) {
        if (mode != Mode.SEGMENT) {
            return global;
        }
        String seg = segmentOf(r);
        float[] t = seg == null ? null : bySegment.get(seg);
        return t == null ? global : t;
    }

    private String segmentOf(RecommendationRequest r) {
        String seg = r.profile().map(p -> p.segments().get(segmenter)).orElse(null);
        if (seg == null) {
            seg = r.userId().map(segmentOfUser::get).orElse(null);
        }
        return seg;
    }

    @Override
    public void scoreAll(RecommendationRequest request, float[] out) {
        System.arraycopy(table(request), 0, out, 0, out.length);
    }

    @Override
    protected List<Reason> explain(RecommendationRequest request, int item, float score) {
        String id = items.id(item);
        switch (mode) {
            case TRENDING:
                return List.of(Reason.of(ReasonKind.TRENDING, "trending: " + (long) recent[item] + " interactions in the last "
                        + (window.toDays() >= 1 ? window.toDays() + " days" : window.toHours() + " hours"), "item", id, "recent", (long) recent[item], "score", score));
            case SEGMENT: {
                String seg = segmentOf(request);
                if (seg != null && bySegment.containsKey(seg)) {
                    return List.of(Reason.of(ReasonKind.POPULAR_IN_SEGMENT, "popular in your segment " + seg,
                            "segment", seg, "count", (long) score));
                }
                return List.of(Reason.of(ReasonKind.POPULAR, "popular overall: " + (long) score + " interactions",
                        "count", (long) score));
            }
            default:
                return List.of(Reason.of(ReasonKind.POPULAR, "popular overall: " + (long) score + " interactions",
                        "count", (long) score));
        }
    }
}
