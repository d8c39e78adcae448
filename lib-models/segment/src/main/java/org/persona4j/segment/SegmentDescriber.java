package org.persona4j.segment;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.Segment;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;

/**
 * Describes segments for people: size and share, the centroid (kept from the segmenter's own
 * summary), top categories and brands with their lift over the whole population, average order
 * value, peak hours, the most common profile tags, and a generated readable name such as
 * "Night-owl Beauty shoppers" or "Premium Electronics shoppers".
 *
 * <p>Naming: the category is the segment's strongest top-level category by share times lift;
 * a time prefix is added when the segment's share of events in a daypart (night 21–03 h,
 * morning 05–09 h, lunch 11–14 h, UTC) is at least 1.3 times the population's; "Premium" or
 * "Bargain" when the average order value is at least 1.3 times or at most 0.75 times the
 * population's. Repeated names get " 2", " 3".
 */
public final class SegmentDescriber {
    private SegmentDescriber() {
    }

    /**
     * @param segments the fitted segments (ids, kinds, summaries such as the centroid are kept)
     * @param segmentOfUser segment id per user
     * @param events the users' events
     * @param catalog the catalogue
     * @param profiles profiles by user for typical tags (may be empty)
     * @return described segments in the same order, sizes and shares recounted from {@code segmentOfUser}
     */
    public static List<Segment> describe(List<Segment> segments, Map<String, String> segmentOfUser,
                                         Iterable<BehaviorEvent> events, Catalog catalog, Map<String, UserProfile> profiles) {
        Map<String, Stats> by = new LinkedHashMap<>();
        for (Segment s : segments) {
            by.put(s.id(), new Stats());
        }
        Stats all = new Stats();
        for (Map.Entry<String, String> e : segmentOfUser.entrySet()) {
            Stats s = by.get(e.getValue());
            if (s != null) {
                s.users++;
            }
            all.users++;
        }
        for (BehaviorEvent e : events) {
            String seg = segmentOfUser.get(e.userId());
            Stats s = seg == null ? null : by.get(seg);
            Item it = e.itemId() == null ? null : catalog.item(e.itemId()).orElse(null);
            all.add(e, it);
            if (s != null) {
                s.add(e, it);
            }
        }
        Map<String, Map<String, Integer>> tags = new HashMap<>();
        for (Map.Entry<String, UserProfile> e : profiles.entrySet()) {
            String seg = segmentOfUser.get(e.getKey());
            if (seg != null) {
                for (Tag t : e.getValue().tags()) {
                    tags.computeIfAbsent(seg, k -> new HashMap<>()).merge(t.text(), 1, Integer::sum);
                }
            }
        }
        List<Segment> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Segment seg : segments) {
            Stats s = by.get(seg.id());
            Map<String, String> m = new LinkedHashMap<>();
            double share = all.users == 0 ? 0 : s.users / (double) all.users;
            m.put("size", Long.toString(s.users));
            m.put("share", String.format(Locale.ROOT, "%.4f", share));
            m.putAll(seg.summary());
            m.put("size", Long.toString(s.users));
            m.put("share", String.format(Locale.ROOT, "%.4f", share));
            List<String> topCats = top(s.category, all.category, s.events, all.events, 3);
            List<String> topBrands = top(s.brand, all.brand, s.events, all.events, 3);
            m.put("top categories", String.join("; ", topCats));
            m.put("top brands", String.join("; ", topBrands));
            double aov = s.aov();
            m.put("average order value", Double.isNaN(aov) ? "n/a" : String.format(Locale.ROOT, "%.2f", aov));
            m.put("events per user", String.format(Locale.ROOT, "%.1f", s.users == 0 ? 0 : s.events / (double) s.users));
            m.put("peak hours (UTC)", s.peakHours());
            Map<String, Integer> t = tags.getOrDefault(seg.id(), Map.of());
            m.put("typical tags", String.join("; ", t.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(3).map(Map.Entry::getKey).toList()));
            String name = name(s, all, seg.name());
            String unique = name;
            for (int i = 2; !used.add(unique); i++) {
                unique = name + " " + i;
            }
            out.add(new Segment(seg.id(), seg.kind(), unique, s.users, share, m));
        }
        return out;
    }

    static String name(Stats s, Stats all, String fallback) {
        if (s.events == 0) {
            return fallback;
        }
        String cat = null;
        double best = -1;
        for (Map.Entry<String, Long> e : s.category.entrySet()) {
            double sh = e.getValue() / (double) s.events;
            double lift = sh / (all.category.get(e.getKey()) / (double) all.events);
            double score = sh * lift;
            if (score > best || (score == best && e.getKey().compareTo(cat) < 0)) {
                best = score;
                cat = e.getKey();
            }
        }
        StringBuilder sb = new StringBuilder();
        double[] dp = s.dayparts();
        double[] da = all.dayparts();
        String[] prefix = {"Night-owl", "Early-bird", "Lunch-break"};
        int pick = -1;
        double ratio = 1.3;
        for (int i = 0; i < 3; i++) {
            if (da[i] > 0 && dp[i] / da[i] >= ratio) {
                ratio = dp[i] / da[i];
                pick = i;
            }
        }
        if (pick >= 0) {
            sb.append(prefix[pick]).append(' ');
        }
        double aov = s.aov();
        double aovAll = all.aov();
        if (!Double.isNaN(aov) && !Double.isNaN(aovAll) && aovAll > 0) {
            if (aov >= 1.3 * aovAll) {
                sb.append(sb.length() == 0 ? "Premium " : "premium ");
            } else if (aov <= 0.75 * aovAll) {
                sb.append(sb.length() == 0 ? "Bargain " : "bargain ");
            }
        }
        sb.append(cat == null ? "mixed" : cat).append(" shoppers");
        String n = sb.toString();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    private static List<String> top(Map<String, Long> seg, Map<String, Long> all, long segEvents, long allEvents, int n) {
        return seg.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> String.format(Locale.ROOT, "%s %.0f%% (lift %.1f)", e.getKey(), 100.0 * e.getValue() / segEvents,
                        (e.getValue() / (double) segEvents) / (all.get(e.getKey()) / (double) allEvents)))
                .toList();
    }

    /** Per-segment accumulators. */
    static final class Stats {
        long users;
        long events;
        long purchases;
        double revenue;
        final long[] hours = new long[24];
        final Map<String, Long> category = new HashMap<>();
        final Map<String, Long> brand = new HashMap<>();

        void add(BehaviorEvent e, Item it) {
            events++;
            hours[Instant.ofEpochMilli(e.timestampMillis()).atZone(ZoneOffset.UTC).getHour()]++;
            if (it != null) {
                if (it.topCategory() != null) {
                    category.merge(it.topCategory(), 1L, Long::sum);
                }
                if (it.brand() != null) {
                    brand.merge(it.brand(), 1L, Long::sum);
                }
            }
            if (e.type() == EventType.PURCHASE) {
                double p = e.priceOrNaN();
                if (Double.isNaN(p) && it != null) {
                    p = it.price();
                }
                if (!Double.isNaN(p)) {
                    purchases++;
                    revenue += p * e.quantityOrOne();
                }
            }
        }

        double aov() {
            return purchases == 0 ? Double.NaN : revenue / purchases;
        }

        /** Shares of events at night (21-03), morning (05-09), lunch (11-14). */
        double[] dayparts() {
            if (events == 0) {
                return new double[3];
            }
            long night = 0;
            long morning = 0;
            long lunch = 0;
            for (int h = 0; h < 24; h++) {
                if (h >= 21 || h <= 3) {
                    night += hours[h];
                }
                if (h >= 5 && h <= 9) {
                    morning += hours[h];
                }
                if (h >= 11 && h <= 14) {
                    lunch += hours[h];
                }
            }
            return new double[] {night / (double) events, morning / (double) events, lunch / (double) events};
        }

        String peakHours() {
            Integer[] h = new Integer[24];
            for (int i = 0; i < 24; i++) {
                h[i] = i;
            }
            java.util.Arrays.sort(h, Comparator.comparingLong((Integer i) -> -hours[i]).thenComparingInt(i -> i));
            return events == 0 ? "" : h[0] + "h, " + h[1] + "h, " + h[2] + "h";
        }
    }
}
