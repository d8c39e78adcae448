package org.persona4j.segment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;

/**
 * RFM value groups. Recency (days since the last purchase), frequency (purchase events) and
 * monetary (money spent) are scored 1 to 5 by quintile cut points fitted on the training buyers:
 * for frequency and monetary {@code score = 1 + #{i : value > q_i}}, for recency
 * {@code score = 5 - #{i : days > q_i}} (recent = 5), where {@code q_1..q_4} are the 20/40/60/80 %
 * nearest-rank quantiles. Groups, first matching rule wins:
 * <table>
 * <caption>RFM groups</caption>
 * <tr><th>id</th><th>rule</th></tr>
 * <tr><td>champions</td><td>R &ge; 4 and F &ge; 4 and M &ge; 4</td></tr>
 * <tr><td>loyal</td><td>R &ge; 3 and F &ge; 4</td></tr>
 * <tr><td>new</td><td>R &ge; 4 and F = 1</td></tr>
 * <tr><td>potential</td><td>R &ge; 3 (and F &le; 3)</td></tr>
 * <tr><td>cant-lose</td><td>R = 1 and F &ge; 4 and M &ge; 4</td></tr>
 * <tr><td>at-risk</td><td>R &le; 2 and F &ge; 3</td></tr>
 * <tr><td>dormant</td><td>R &le; 2 and F &le; 2</td></tr>
 * <tr><td>prospect</td><td>no purchase yet</td></tr>
 * </table>
 * Immutable and thread-safe. {@link #assign(UserProfile)} reads the profile features
 * {@code rfm.purchase_recency_days}, {@code rfm.frequency} and {@code rfm.monetary} (the names
 * of the lib-features pipeline); when a profile lacks the first two it reads
 * {@code rfm.recency_days} (days since the last event of any type, an approximation) and
 * {@code rfm.purchases}, the names {@code PersonaEngine} profiles carry.
 */
public final class RfmSegmenter implements Segmenter {
    /** Group ids in rule order. */
    public static final List<String> GROUPS = List.of("champions", "loyal", "new", "potential", "cant-lose", "at-risk",
            "dormant", "prospect");
    private static final Map<String, String> NAMES = Map.of("champions", "Champions", "loyal", "Loyal customers",
            "new", "New customers", "potential", "Potential loyalists", "cant-lose", "Can't lose them",
            "at-risk", "At risk of churn", "dormant", "Dormant", "prospect", "Prospects (no purchase yet)");
    private static final Map<String, String> RULES = Map.of("champions", "R>=4 and F>=4 and M>=4",
            "loyal", "R>=3 and F>=4", "new", "R>=4 and F=1", "potential", "R>=3 and F<=3",
            "cant-lose", "R=1 and F>=4 and M>=4", "at-risk", "R<=2 and F>=3", "dormant", "R<=2 and F<=2",
            "prospect", "no purchase");

    /** Feature names read by {@link #assign(UserProfile)}. */
    public static final String RECENCY_FEATURE = "rfm.purchase_recency_days";
    /** Feature name of the purchase count. */
    public static final String FREQUENCY_FEATURE = "rfm.frequency";
    /** Feature name of the money spent. */
    public static final String MONETARY_FEATURE = "rfm.monetary";

    private final String name;
    private final double[] recencyCuts;
    private final double[] frequencyCuts;
    private final double[] monetaryCuts;
    private final List<Segment> segments;
    private final Map<String, Segment> byGroup;

    /**
     * The three scores of a user.
     *
     * @param r recency score 1..5 (5 = most recent), 0 without purchases
     * @param f frequency score 1..5, 0 without purchases
     * @param m monetary score 1..5, 0 without purchases
     */
    public record Scores(int r, int f, int m) {
    }

    private RfmSegmenter(String name, double[] rc, double[] fc, double[] mc, Map<String, RfmValues> training) {
        this.name = name;
        this.recencyCuts = rc;
        this.frequencyCuts = fc;
        this.monetaryCuts = mc;
        Map<String, long[]> cnt = new LinkedHashMap<>();
        Map<String, double[]> sums = new HashMap<>();
        for (String g : GROUPS) {
            cnt.put(g, new long[1]);
            sums.put(g, new double[3]);
        }
        for (RfmValues v : training.values()) {
            String g = group(v);
            cnt.get(g)[0]++;
            double[] s = sums.get(g);
            s[0] += v.hasPurchases() ? v.recencyDays() : 0;
            s[1] += v.frequency();
            s[2] += v.monetary();
        }
        int n = training.size();
        List<Segment> segs = new ArrayList<>();
        Map<String, Segment> by = new HashMap<>();
        for (String g : GROUPS) {
            long c = cnt.get(g)[0];
            double[] s = sums.get(g);
            Map<String, String> sum = new LinkedHashMap<>();
            sum.put("rule", RULES.get(g));
            sum.put("size", Long.toString(c));
            sum.put("share", String.format(Locale.ROOT, "%.4f", n == 0 ? 0 : c / (double) n));
            if (c > 0 && !g.equals("prospect")) {
                sum.put("mean recency days", String.format(Locale.ROOT, "%.1f", s[0] / c));
                sum.put("mean purchases", String.format(Locale.ROOT, "%.2f", s[1] / c));
                sum.put("mean monetary", String.format(Locale.ROOT, "%.2f", s[2] / c));
                sum.put("average order value", String.format(Locale.ROOT, "%.2f", s[1] == 0 ? 0 : s[2] / s[1]));
            }
            Segment seg = new Segment("rfm-" + g, Segment.Kind.VALUE, NAMES.get(g), c, n == 0 ? 0 : c / (double) n, sum);
            segs.add(seg);
            by.put(g, seg);
        }
        this.segments = List.copyOf(segs);
        this.byGroup = by;
    }

    /**
     * Value groups at given quintile cut points, e.g. those {@link #recencyCuts()},
     * {@link #frequencyCuts()} and {@link #monetaryCuts()} of a segmenter fitted elsewhere (a
     * driver that fitted on all buyers, executors that only assign). Its segments' sizes are 0: it
     * was fitted on no one.
     *
     * @param name the segmenter name (e.g. "value")
     * @param recency the recency cut points q1..q4 in days, ascending, finite
     * @param frequency the frequency cut points q1..q4, ascending, finite
     * @param monetary the monetary cut points q1..q4, ascending, finite
     * @return the segmenter
     * @throws BadInputException naming the bad argument
     */
    public static RfmSegmenter ofCuts(String name, double[] recency, double[] frequency, double[] monetary) {
        if (name == null || name.isBlank()) {
            throw new BadInputException("rfm segmenter: 'name' must not be blank");
        }
        return new RfmSegmenter(name, checkedCuts("recency", recency), checkedCuts("frequency", frequency),
                checkedCuts("monetary", monetary), Map.of());
    }

    private static double[] checkedCuts(String field, double[] c) {
        if (c == null || c.length != 4) {
            throw new BadInputException("rfm segmenter: '" + field + "' cut points: expected 4 (q1..q4), was "
                    + (c == null ? "null" : c.length));
        }
        for (int i = 0; i < 4; i++) {
            if (!Double.isFinite(c[i]) || (i > 0 && c[i] < c[i - 1])) {
                throw new BadInputException("rfm segmenter: '" + field + "' cut points: expected 4 finite ascending numbers, was "
                        + java.util.Arrays.toString(c));
            }
        }
        return c.clone();
    }

    /**
     * Fits the quintile cut points on the training buyers.
     *
     * @param name the segmenter name (e.g. "value")
     * @param training RFM aggregates per user; at least one buyer
     * @return the fitted segmenter
     * @throws BadInputException on empty input or no buyer
     */
    public static RfmSegmenter fit(String name, Map<String, RfmValues> training) {
        if (name == null || name.isBlank()) {
            throw new BadInputException("RFM segmenter: field 'name': must not be blank, was " + name);
        }
        if (training == null || training.isEmpty()) {
            throw new BadInputException("RFM segmenter '" + name + "': no users: expected RFM values of at least one user");
        }
        int buyers = 0;
        for (Map.Entry<String, RfmValues> e : training.entrySet()) {
            if (e.getValue() == null) {
                throw new BadInputException("RFM segmenter '" + name + "': user '" + e.getKey() + "': RFM values are null");
            }
            if (e.getValue().hasPurchases()) {
                buyers++;
            }
        }
        if (buyers == 0) {
            throw new BadInputException("RFM segmenter '" + name + "': none of the " + training.size()
                    + " users has a purchase: expected at least one buyer to fit quintiles");
        }
        double[] r = new double[buyers];
        double[] f = new double[buyers];
        double[] m = new double[buyers];
        int i = 0;
        for (RfmValues v : training.values()) {
            if (v.hasPurchases()) {
                r[i] = v.recencyDays();
                f[i] = v.frequency();
                m[i] = v.monetary();
                i++;
            }
        }
        return new RfmSegmenter(name, cuts(r), cuts(f), cuts(m), training);
    }

    /** Nearest-rank quantiles at 20, 40, 60, 80 %: {@code q_i = sorted[ceil(i * n / 5) - 1]}. */
    static double[] cuts(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double[] q = new double[4];
        for (int i = 1; i <= 4; i++) {
            int rank = (int) Math.ceil(i * s.length / 5.0);
            q[i - 1] = s[Math.max(0, rank - 1)];
        }
        return q;
    }

    /**
     * RFM aggregates from events: frequency = PURCHASE events, monetary = sum of quantity times
     * unit price (the event's price, else the catalogue price, else nothing), recency = days from
     * the last purchase to {@code asOfMillis}. Users with events but no purchase get frequency 0.
     *
     * @param events the events (any order)
     * @param catalog the catalogue for missing prices (may be empty)
     * @param asOfMillis the evaluation time, epoch milliseconds
     * @return RFM values per user, in order of first appearance
     */
    public static Map<String, RfmValues> aggregate(Iterable<BehaviorEvent> events, Catalog catalog, long asOfMillis) {
        Map<String, double[]> acc = new LinkedHashMap<>(); // last purchase, count, monetary
        for (BehaviorEvent e : events) {
            double[] a = acc.computeIfAbsent(e.userId(), u -> new double[] {-1, 0, 0});
            if (e.type() != EventType.PURCHASE) {
                continue;
            }
            a[0] = Math.max(a[0], e.timestampMillis());
            a[1]++;
            double p = e.priceOrNaN();
            if (Double.isNaN(p) && catalog != null) {
                p = catalog.item(e.itemId()).map(Item::price).orElse(Double.NaN);
            }
            if (!Double.isNaN(p)) {
                a[2] += p * e.quantityOrOne();
            }
        }
        Map<String, RfmValues> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : acc.entrySet()) {
            double[] a = e.getValue();
            double rec = a[1] == 0 ? Double.NaN : Math.max(0, (asOfMillis - a[0]) / 86_400_000.0);
            out.put(e.getKey(), new RfmValues(rec, (long) a[1], a[2]));
        }
        return out;
    }

    /**
     * @param v a user's RFM values
     * @return the scores (0, 0, 0 without purchases)
     */
    public Scores scores(RfmValues v) {
        if (!v.hasPurchases()) {
            return new Scores(0, 0, 0);
        }
        return new Scores(5 - above(v.recencyDays(), recencyCuts), 1 + above(v.frequency(), frequencyCuts),
                1 + above(v.monetary(), monetaryCuts));
    }

    private static int above(double x, double[] q) {
        int c = 0;
        for (double t : q) {
            if (x > t) {
                c++;
            }
        }
        return c;
    }

    /**
     * @param v a user's RFM values
     * @return the group id (one of {@link #GROUPS})
     */
    public String group(RfmValues v) {
        Scores s = scores(v);
        int r = s.r();
        int f = s.f();
        int m = s.m();
        if (!v.hasPurchases()) {
            return "prospect";
        }
        if (r >= 4 && f >= 4 && m >= 4) {
            return "champions";
        }
        if (r >= 3 && f >= 4) {
            return "loyal";
        }
        if (r >= 4 && f == 1) {
            return "new";
        }
        if (r >= 3) {
            return "potential";
        }
        if (r == 1 && f >= 4 && m >= 4) {
            return "cant-lose";
        }
        return f >= 3 ? "at-risk" : "dormant";
    }

    /**
     * @param v a user's RFM values
     * @return the user's value segment
     */
    public Segment assign(RfmValues v) {
        return byGroup.get(group(v));
    }

    @Override
    public Segment assign(UserProfile profile) {
        if (profile == null) {
            throw new BadInputException("RFM segmenter '" + name + "': profile is null");
        }
        return assign(valuesOf(name, profile));
    }

    /**
     * Fits on the RFM features of profiles (see {@link #valuesOf}).
     *
     * @param name the segmenter name
     * @param users the training profiles
     * @return the fitted segmenter
     * @throws BadInputException on empty input or a bad feature, naming the user and field
     */
    public static RfmSegmenter fitProfiles(String name, List<UserProfile> users) {
        Map<String, RfmValues> m = new LinkedHashMap<>();
        for (UserProfile p : users) {
            m.put(p.userId(), valuesOf(name, p));
        }
        return fit(name, m);
    }

    /**
     * Reads the RFM features {@code rfm.purchase_recency_days}, {@code rfm.frequency} and
     * {@code rfm.monetary} of a profile.
     *
     * @param segmenter the segmenter name, for messages
     * @param profile the profile
     * @return the values
     * @throws BadInputException naming the user and the feature when absent or not valid
     */
    public static RfmValues valuesOf(String segmenter, UserProfile profile) {
        double f = feature(segmenter, profile, alias(profile, FREQUENCY_FEATURE, "rfm.purchases"));
        double m = feature(segmenter, profile, MONETARY_FEATURE);
        double r = f > 0 ? feature(segmenter, profile, alias(profile, RECENCY_FEATURE, "rfm.recency_days")) : Double.NaN;
        if (f != Math.rint(f) || f < 0) {
            throw new BadInputException("RFM segmenter '" + segmenter + "': profile " + profile.userId() + ": field 'features."
                    + FREQUENCY_FEATURE + "': expected a whole number >= 0, was " + f);
        }
        if (m < 0 || (f > 0 && r < 0)) {
            throw new BadInputException("RFM segmenter '" + segmenter + "': profile " + profile.userId()
                    + ": fields 'features." + MONETARY_FEATURE + "' and 'features." + RECENCY_FEATURE
                    + "': expected >= 0, were " + m + " and " + r);
        }
        return new RfmValues(r, (long) f, m);
    }

    /** The first name when the profile has it, else the second (the names PersonaEngine profiles carry). */
    private static String alias(UserProfile p, String name, String fallback) {
        return p.features().containsKey(name) || !p.features().containsKey(fallback) ? name : fallback;
    }

    private static double feature(String segmenter, UserProfile p, String f) {
        Double v = p.features().get(f);
        if (v == null) {
            throw new BadInputException("RFM segmenter '" + segmenter + "': profile " + p.userId() + ": field 'features." + f
                    + "': required, was absent");
        }
        if (!Double.isFinite(v)) {
            throw new BadInputException("RFM segmenter '" + segmenter + "': profile " + p.userId() + ": field 'features." + f
                    + "': expected a finite number, was " + v);
        }
        return v;
    }

    /** @param v a user's RFM values @return a profile carrying them as the features {@link #assign(UserProfile)} reads
     * @param userId the user */
    public static UserProfile profileOf(String userId, RfmValues v) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put(RECENCY_FEATURE, v.hasPurchases() ? v.recencyDays() : 0.0);
        f.put(FREQUENCY_FEATURE, (double) v.frequency());
        f.put(MONETARY_FEATURE, v.monetary());
        return new UserProfile(userId, null, null, null, f, null, null, 0, null, null);
    }

    /** @param group a group id @return its documented rule */
    public static String rule(String group) {
        String r = RULES.get(group);
        if (r == null) {
            throw new BadInputException("RFM: unknown group '" + group + "', expected one of " + GROUPS);
        }
        return r;
    }

    /** @return the recency cut points q1..q4 in days (a copy) */
    public double[] recencyCuts() {
        return recencyCuts.clone();
    }

    /** @return the frequency cut points (a copy) */
    public double[] frequencyCuts() {
        return frequencyCuts.clone();
    }

    /** @return the monetary cut points (a copy) */
    public double[] monetaryCuts() {
        return monetaryCuts.clone();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Segment> segments() {
        return segments;
    }
}
