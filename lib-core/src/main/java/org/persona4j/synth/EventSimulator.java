package org.persona4j.synth;

import java.util.List;
import java.util.Locale;
import org.persona4j.core.EventType;

/**
 * Simulates the sessions of users, one user-day at a time. Each user-day draws from its own
 * random stream (seeded by shop seed, day and user), and the little state a user carries from day
 * to day (last event time, session counter, a consumable to buy again, a purchase to rate) lives in
 * arrays indexed by user, so users can be simulated in any order or on any thread with the same
 * result. Not thread-safe for the same user.
 */
final class EventSimulator {
    private static final long DAY = 86_400_000L;
    private static final long MIN = 60_000L;
    private static final byte SEARCH = (byte) EventType.SEARCH.ordinal();
    private static final byte VIEW = (byte) EventType.VIEW.ordinal();
    private static final byte CLICK = (byte) EventType.CLICK.ordinal();
    private static final byte CART = (byte) EventType.ADD_TO_CART.ordinal();
    private static final byte UNCART = (byte) EventType.REMOVE_FROM_CART.ordinal();
    private static final byte FAVORITE = (byte) EventType.FAVORITE.ordinal();
    private static final byte PURCHASE = (byte) EventType.PURCHASE.ordinal();
    private static final byte RATE = (byte) EventType.RATE.ordinal();
    private static final byte REVIEW = (byte) EventType.REVIEW.ordinal();
    /** Price bands to try, in order, when the wanted band of a leaf has no items. */
    private static final int[][] FALLBACK = {{0, 1, 2}, {1, 0, 2}, {2, 1, 0}};
    private static final double[] HOUR_CUM = cumulative(Templates.HOUR_WEIGHTS);

    private final ShopModel m;
    private final long startMs;
    private final double dupRate;
    // per-user state carried across days
    private final long[] lastTs;
    private final int[] seq;
    private final int[] sessions;
    private final int[] repeatItem;
    private final int[] repeatDue;
    private final int[] reviewItem;
    private final byte[] reviewRating;
    private final boolean[] reviewText;

    EventSimulator(ShopModel m) {
        this.m = m;
        this.startMs = m.cfg.start().toEpochMilli();
        this.dupRate = m.cfg.duplicateRate();
        int n = m.nUsers;
        lastTs = new long[n];
        seq = new int[n];
        sessions = new int[n];
        repeatItem = new int[n];
        repeatDue = new int[n];
        reviewItem = new int[n];
        reviewRating = new byte[n];
        reviewText = new boolean[n];
        java.util.Arrays.fill(repeatItem, -1);
        java.util.Arrays.fill(reviewItem, -1);
    }

    private static double[] cumulative(double[] w) {
        double[] c = new double[w.length];
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i];
            c[i] = acc;
        }
        return c;
    }

    /** @return the random stream of user u on day d (its first draw is the session count) */
    Rng dayStream(int u, int d) {
        return new Rng(Rng.seedOf(m.seed, ShopModel.STREAM_DAY + 2L * d, u));
    }

    /** @return the number of sessions user u starts on day d, the first draw of {@link #dayStream} */
    int sessionCount(Rng r, int u, int d) {
        int p = m.userPersona[u];
        if (p < 0) {
            return r.poisson(1.5);
        }
        int dow = (int) Math.floorMod(Math.floorDiv(startMs, DAY) + d + 3, 7L); // 1970-01-01 was a Thursday
        double rate = m.userActivity[u] / 7.0 * Templates.WEEKDAY[dow];
        int lapse = m.userLapseDay[u];
        if (lapse != ShopModel.NEVER) {
            if (d >= lapse) {
                return 0;
            }
            int left = lapse - d; // 1 on the last active day
            if (left <= ShopModel.FADE_DAYS) {
                rate *= 0.25 + 0.75 * (left - 1) / (double) ShopModel.FADE_DAYS;
            }
        }
        return r.poisson(rate);
    }

    /** Simulates user u's sessions that start on day d and appends their events to out (in the user's time order). */
    void userDay(int u, int d, List<Ev> out) {
        Rng r = dayStream(u, d);
        int n = sessionCount(r, u, d);
        if (n == 0) {
            return;
        }
        Rng noise = dupRate > 0 ? new Rng(Rng.seedOf(m.seed, ShopModel.STREAM_DAY + 2L * d + 1, u)) : null;
        long dayStart = startMs + d * DAY;
        long[] starts = new long[n];
        int p = m.userPersona[u];
        for (int k = 0; k < n; k++) {
            int hour;
            if (p < 0) {
                hour = r.nextInt(24);
            } else if (r.chance(0.65)) {
                int[] hours = m.personaHours[p];
                hour = hours[r.nextInt(hours.length)];
            } else {
                hour = r.pick(HOUR_CUM);
            }
            starts[k] = dayStart + hour * 3_600_000L + (long) (r.nextDouble() * 3_600_000L);
        }
        java.util.Arrays.sort(starts);
        Session s = new Session(u, d, r, noise, out);
        for (int k = 0; k < n; k++) {
            s.t = Math.max(starts[k], lastTs[u] + 20 * MIN);
            s.session = ++sessions[u];
            if (p < 0) {
                s.bot();
            } else {
                s.shopper(p);
            }
            lastTs[u] = s.t;
        }
    }

    /** One user's sessions of one day. */
    private final class Session {
        final int u;
        final int d;
        final Rng r;
        final Rng noise;
        final List<Ev> out;
        long t;
        int session;

        Session(int u, int d, Rng r, Rng noise, List<Ev> out) {
            this.u = u;
            this.d = d;
            this.r = r;
            this.noise = noise;
            this.out = out;
        }

        Ev emit(byte type, int item) {
            Ev e = new Ev();
            e.ts = t;
            e.user = u;
            e.seq = seq[u]++;
            e.item = item;
            e.type = type;
            e.session = session;
            out.add(e);
            return e;
        }

        /** Adds the duplicate (if noise says so) of the event just completed, then advances the clock. */
        void done(Ev e, long gapLo, long gapHi) {
            if (noise != null && noise.chance(dupRate)) {
                Ev c = e.copy();
                c.seq = seq[u]++;
                c.duplicate = true;
                out.add(c);
            }
            t += gapLo + (long) (r.nextDouble() * (gapHi - gapLo)) + 1;
        }

        void bot() {
            int views = r.between(15, 45);
            for (int k = 0; k < views; k++) {
                int item = r.nextInt(m.nItems);
                if (r.chance(0.1)) {
                    done(emit(CLICK, item), 100, 400);
                }
                Ev v = emit(VIEW, item);
                v.dwell = r.between(200, 1500);
                done(v, v.dwell, v.dwell + 2000);
            }
        }

        void shopper(int p) {
            // a purchase from an earlier session gets rated / reviewed first
            if (reviewItem[u] >= 0) {
                int item = reviewItem[u];
                Ev e = emit(RATE, item);
                e.rating = reviewRating[u];
                done(e, 20_000, 90_000);
                if (reviewText[u]) {
                    Ev rv = emit(REVIEW, item);
                    rv.rating = reviewRating[u];
                    rv.review = reviewText(item, reviewRating[u]);
                    done(rv, 60_000, 240_000);
                }
                reviewItem[u] = -1;
            }
            // a consumable bought before is bought again when it runs out
            if (repeatItem[u] >= 0 && d >= repeatDue[u] && r.chance(0.7)) {
                int item = repeatItem[u];
                Ev v = emit(VIEW, item);
                v.dwell = r.between(3_000, 20_000);
                done(v, v.dwell, v.dwell + 5_000);
                int qty = r.chance(0.3) ? 2 : 1;
                Ev c = emit(CART, item);
                c.qty = qty;
                c.cents = m.itemCents[item];
                done(c, 5_000, 40_000);
                Ev b = emit(PURCHASE, item);
                b.qty = qty;
                b.cents = m.itemCents[item];
                done(b, 30_000, 120_000);
                if (r.chance(0.8)) {
                    repeatDue[u] = d + r.between(7, 21);
                } else {
                    repeatItem[u] = -1;
                }
            }
            int intents = 1 + Math.min(3, r.geometric(0.55));
            for (int k = 0; k < intents; k++) {
                intent(p);
            }
        }

        void intent(int p) {
            int top = r.chance(m.userFav[u]) ? m.personaFav[p] : r.pick(m.personaOtherCum[p]);
            int[] leaves = m.topLeaves[top];
            int leaf = leaves[r.pick(m.topLeafCum[top])];
            if (r.chance(0.45)) {
                Ev e = emit(SEARCH, -1);
                e.query = query(leaf);
                done(e, 3_000, 15_000);
            }
            int views = 1 + Math.min(7, r.geometric(0.45));
            int best = -1;
            long bestDwell = -1;
            for (int k = 0; k < views; k++) {
                int l = r.chance(0.8) ? leaf : leaves[r.pick(m.topLeafCum[top])];
                int item = sampleItem(l);
                if (r.chance(0.3)) {
                    done(emit(CLICK, item), 500, 3_000);
                }
                Ev v = emit(VIEW, item);
                v.dwell = Math.min(600_000L, (long) r.logNormal(9.9, 0.8));
                done(v, v.dwell, v.dwell + 8_000);
                if (v.dwell > bestDwell) {
                    bestDwell = v.dwell;
                    best = item;
                }
            }
            boolean favorited = r.chance(0.07);
            if (favorited) {
                done(emit(FAVORITE, best), 2_000, 10_000);
            }
            if (!r.chance(0.32)) {
                return;
            }
            boolean consumable = m.leafConsumable[m.itemLeaf[best]];
            int qty = consumable && r.chance(0.3) ? r.between(2, 3) : r.chance(0.04) ? 2 : 1;
            Ev c = emit(CART, best);
            c.qty = qty;
            c.cents = m.itemCents[best];
            done(c, 10_000, 120_000);
            if (r.chance(0.15)) {
                Ev x = emit(UNCART, best);
                x.qty = qty;
                done(x, 5_000, 60_000);
                return;
            }
            if (!r.chance(m.personaCheckout[p])) {
                return;
            }
            Ev b = emit(PURCHASE, best);
            b.qty = qty;
            long cents = m.itemCents[best];
            if (r.chance(0.12)) {
                cents = Math.max(1, Math.round(cents * (0.8 + 0.1 * r.nextDouble())));
            }
            b.cents = cents;
            done(b, 30_000, 180_000);
            if (!favorited && r.chance(0.05)) {
                done(emit(FAVORITE, best), 2_000, 20_000);
            }
            if (consumable) {
                repeatItem[u] = best;
                repeatDue[u] = d + r.between(7, 21);
            }
            if (r.chance(0.3)) {
                reviewItem[u] = best;
                reviewRating[u] = (byte) rating();
                reviewText[u] = r.chance(0.35);
            }
        }

        int sampleItem(int leaf) {
            double x = r.nextDouble();
            int band = x < m.userBandLowCum[u] ? ShopModel.BAND_LOW : x < m.userBandMidCum[u] ? ShopModel.BAND_MID
                    : ShopModel.BAND_HIGH;
            for (int b : FALLBACK[band]) {
                int[] items = m.bandItems[leaf][b];
                if (items.length > 0) {
                    return items[r.pick(m.bandCum[leaf][b])];
                }
            }
            throw new IllegalStateException("leaf " + m.leafLabel[leaf] + " has no items");
        }

        int rating() {
            double x = r.nextDouble();
            return x < 0.45 ? 5 : x < 0.75 ? 4 : x < 0.87 ? 3 : x < 0.93 ? 2 : 1;
        }

        String query(int leaf) {
            int top = m.leafTop[leaf];
            Templates.Top tp = m.tops[top];
            String name = m.leafPath[leaf][2];
            double x = r.nextDouble();
            double s = m.userSensitivity[u];
            if (tp.chinese()) {
                if (x < 0.5) {
                    return name;
                } else if (x < 0.7) {
                    return tp.adjectives().get(r.nextInt(tp.adjectives().size())) + name;
                } else if (x < 0.85) {
                    return m.brandNames[top][r.pick(m.brandCum[top])] + " " + name;
                }
                return (r.chance(s) ? r.of(Templates.CHINESE_QUERY_CHEAP) : r.of(Templates.CHINESE_QUERY_PREMIUM)) + " " + name;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (x < 0.45) {
                return lower;
            } else if (x < 0.65) {
                return tp.adjectives().get(r.nextInt(tp.adjectives().size())).toLowerCase(Locale.ROOT) + " " + lower;
            } else if (x < 0.8) {
                return m.brandNames[top][r.pick(m.brandCum[top])].toLowerCase(Locale.ROOT) + " " + lower;
            } else if (x < 0.97) {
                return (r.chance(s) ? r.of(Templates.QUERY_PREFIX_CHEAP) : r.of(Templates.QUERY_PREFIX_PREMIUM)) + " " + lower;
            }
            return "\"" + lower + "\" " + m.leafPath[leaf][1].toLowerCase(Locale.ROOT);
        }

        String reviewText(int item, int rating) {
            int leaf = m.itemLeaf[item];
            if (m.tops[m.leafTop[leaf]].chinese()) {
                return r.of(rating >= 4 ? Templates.REVIEWS_CHINESE_GOOD : rating == 3 ? Templates.REVIEWS_CHINESE_MID
                        : Templates.REVIEWS_CHINESE_BAD);
            }
            String tmpl = r.of(rating >= 4 ? Templates.REVIEWS_GOOD : rating == 3 ? Templates.REVIEWS_MID : Templates.REVIEWS_BAD);
            return tmpl.contains("%s") ? tmpl.replace("%s", m.leafPath[leaf][2].toLowerCase(Locale.ROOT)) : tmpl;
        }
    }
}
