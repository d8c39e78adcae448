package org.persona4j.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The static part of a shop, drawn once from the seed: category tree, brands, items with prices
 * and popularity, personas and users with their attributes. Events are simulated from it by
 * {@link EventSimulator}. Immutable after construction, so it may be shared by threads.
 */
final class ShopModel {
    static final long STREAM_CATALOG = 1;
    static final long STREAM_ITEM = 2;
    static final long STREAM_PERSONA = 3;
    static final long STREAM_USER = 4;
    static final long STREAM_TEXT = 5;
    static final long STREAM_MALFORMED = 6;
    /** Planted outcomes: persona purchase and lapse rates (index 0), lapse of user u (index u). */
    static final long STREAM_TRUTH = 7;
    static final long STREAM_LAPSE = 8;
    /** Checkout rate of every persona when no purchase rates are planted. */
    static final double BASE_CHECKOUT = 0.62;
    /** Days of fading activity before a lapse. */
    static final int FADE_DAYS = 7;
    /** {@link #userLapseDay} of users who never lapse. */
    static final int NEVER = Integer.MAX_VALUE;
    /** Streams per day start here: day d uses STREAM_DAY + 2d (events) and STREAM_DAY + 2d + 1 (noise). */
    static final long STREAM_DAY = 1000;

    static final int BAND_LOW = 0;
    static final int BAND_MID = 1;
    static final int BAND_HIGH = 2;
    private static final double BAND_EDGE = 0.3;

    final ShopConfig cfg;
    final long seed;

    // categories
    final int nTop;
    final int nLeaf;
    final Templates.Top[] tops;
    final String[] topNames;
    final String[][] leafPath;
    final String[] leafLabel;
    final int[] leafTop;
    final double[] leafMedian;
    final boolean[] leafConsumable;
    final int[][] topLeaves;
    final double[][] topLeafCum;

    // brands
    final String[][] brandNames;
    final double[][] brandFactor;
    final double[][] brandCum;

    // items
    final int nItems;
    final int[] itemLeaf;
    final int[] itemBrand;
    final long[] itemCents;
    final byte[] itemBand;
    final int[][][] bandItems;
    final double[][][] bandCum;

    // personas
    final Persona[] personas;
    final int[] personaFav;
    final double[][] personaOtherCum;
    final double[] personaShareCum;
    final double[] personaAgeMean;
    final double[] personaFemale;
    final int[] personaRegion;
    final int[][] personaOccupations;
    final int[][] personaHours;
    final double[] personaCheckout;
    final double[] personaLapse;

    // users
    final int nUsers;
    final int[] userPersona;
    final float[] userActivity;
    final float[] userFav;
    final float[] userBandLowCum;
    final float[] userBandMidCum;
    final float[] userSensitivity;
    /** First day on which a lapsed user starts no session; {@link #NEVER} for the others. */
    final int[] userLapseDay;
    final int botUsers;

    ShopModel(ShopConfig cfg) {
        this.cfg = cfg;
        this.seed = cfg.seed();
        Rng rc = new Rng(Rng.seedOf(seed, STREAM_CATALOG, 0));

        // ---- category tree: the first nTop templates, in template order
        nTop = cfg.topCategories();
        tops = new Templates.Top[nTop];
        topNames = new String[nTop];
        List<String[]> paths = new ArrayList<>();
        List<Integer> lt = new ArrayList<>();
        List<Templates.Leaf> leaves = new ArrayList<>();
        topLeaves = new int[nTop][];
        for (int t = 0; t < nTop; t++) {
            tops[t] = Templates.TOPS.get(t);
            topNames[t] = tops[t].name();
            int first = paths.size();
            for (int s = 0; s < cfg.subcategories(); s++) {
                Templates.Sub sub = tops[t].subs().get(s);
                for (int l = 0; l < cfg.leaves(); l++) {
                    Templates.Leaf leaf = sub.leaves().get(l);
                    paths.add(new String[] {tops[t].name(), sub.name(), leaf.name()});
                    lt.add(t);
                    leaves.add(leaf);
                }
            }
            topLeaves[t] = new int[paths.size() - first];
            for (int i = 0; i < topLeaves[t].length; i++) {
                topLeaves[t][i] = first + i;
            }
        }
        nLeaf = paths.size();
        leafPath = paths.toArray(new String[0][]);
        leafLabel = new String[nLeaf];
        leafTop = new int[nLeaf];
        leafMedian = new double[nLeaf];
        leafConsumable = new boolean[nLeaf];
        for (int i = 0; i < nLeaf; i++) {
            leafLabel[i] = String.join(" > ", leafPath[i]);
            leafTop[i] = lt.get(i);
            leafMedian[i] = leaves.get(i).medianPrice();
            leafConsumable[i] = leaves.get(i).consumable();
        }

        // ---- brands: tied to one top-level category each, Zipf(0.8) shares, a price factor
        int nb = cfg.brandsPerCategory();
        brandNames = new String[nTop][nb];
        brandFactor = new double[nTop][nb];
        brandCum = new double[nTop][nb];
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < nTop; t++) {
            double acc = 0;
            for (int b = 0; b < nb; b++) {
                String name;
                int attempt = 0;
                do {
                    name = brandName(rc, tops[t].chinese());
                    if (++attempt > 20) {
                        name = name + " " + (b + 1);
                    }
                } while (!seen.add(name));
                brandNames[t][b] = name;
                brandFactor[t][b] = rc.logNormal(0, 0.3);
                acc += 1.0 / StrictMath.pow(b + 1, 0.8);
                brandCum[t][b] = acc;
            }
        }

        // ---- items: leaf (every leaf gets one before any gets two), brand, log-normal price, band
        nItems = cfg.items();
        itemLeaf = new int[nItems];
        itemBrand = new int[nItems];
        itemCents = new long[nItems];
        itemBand = new byte[nItems];
        double[] leafSize = new double[nLeaf];
        for (int i = 0; i < nLeaf; i++) {
            leafSize[i] = (i == 0 ? 0 : leafSize[i - 1]) + rc.logNormal(0, 0.5);
        }
        int[] rank = new int[nItems];
        for (int i = 0; i < nItems; i++) {
            rank[i] = i;
        }
        for (int i = nItems - 1; i > 0; i--) {
            int j = rc.nextInt(i + 1);
            int tmp = rank[i];
            rank[i] = rank[j];
            rank[j] = tmp;
        }
        double[] weight = new double[nItems];
        int[][] counts = new int[nLeaf][3];
        for (int i = 0; i < nItems; i++) {
            Rng ri = new Rng(Rng.seedOf(seed, STREAM_ITEM, i));
            int leaf = i < nLeaf ? i : ri.pick(leafSize);
            int top = leafTop[leaf];
            int brand = ri.pick(brandCum[top]);
            double rel = brandFactor[top][brand] * ri.logNormal(0, 0.45);
            long cents = Math.max(49, Math.round(leafMedian[leaf] * rel * 100));
            double lr = StrictMath.log(rel);
            int band = lr < -BAND_EDGE ? BAND_LOW : lr > BAND_EDGE ? BAND_HIGH : BAND_MID;
            itemLeaf[i] = leaf;
            itemBrand[i] = brand;
            itemCents[i] = cents;
            itemBand[i] = (byte) band;
            weight[i] = 1.0 / StrictMath.pow(rank[i] + 1, cfg.popularityExponent());
            counts[leaf][band]++;
        }
        bandItems = new int[nLeaf][3][];
        bandCum = new double[nLeaf][3][];
        for (int l = 0; l < nLeaf; l++) {
            for (int b = 0; b < 3; b++) {
                bandItems[l][b] = new int[counts[l][b]];
                bandCum[l][b] = new double[counts[l][b]];
            }
        }
        int[][] fill = new int[nLeaf][3];
        double[] leafWeight = new double[nLeaf];
        for (int i = 0; i < nItems; i++) {
            int l = itemLeaf[i];
            int b = itemBand[i];
            int k = fill[l][b]++;
            bandItems[l][b][k] = i;
            bandCum[l][b][k] = (k == 0 ? 0 : bandCum[l][b][k - 1]) + weight[i];
            leafWeight[l] += weight[i];
        }
        topLeafCum = new double[nTop][];
        for (int t = 0; t < nTop; t++) {
            topLeafCum[t] = new double[topLeaves[t].length];
            double acc = 0;
            for (int k = 0; k < topLeaves[t].length; k++) {
                // leaves without items are never chosen
                acc += leafWeight[topLeaves[t][k]];
                topLeafCum[t][k] = acc;
            }
        }

        // ---- personas
        int np = cfg.personas();
        personas = new Persona[np];
        personaFav = new int[np];
        personaOtherCum = new double[np][nTop];
        personaShareCum = new double[np];
        personaAgeMean = new double[np];
        personaFemale = new double[np];
        personaRegion = new int[np];
        personaOccupations = new int[np][3];
        personaHours = new int[np][];
        int[] order = new int[nTop];
        for (int i = 0; i < nTop; i++) {
            order[i] = i;
        }
        for (int i = nTop - 1; i > 0; i--) {
            int j = rc.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        // activities are stratified over [1.5, 6] sessions a week so the shop's size barely depends on the seed
        int[] activityRank = new int[np];
        for (int i = 0; i < np; i++) {
            activityRank[i] = i;
        }
        for (int i = np - 1; i > 0; i--) {
            int j = rc.nextInt(i + 1);
            int tmp = activityRank[i];
            activityRank[i] = activityRank[j];
            activityRank[j] = tmp;
        }
        double shareAcc = 0;
        for (int p = 0; p < np; p++) {
            Rng rp = new Rng(Rng.seedOf(seed, STREAM_PERSONA, p));
            int fav = order[p % nTop];
            // a top-level category with no items in this shop cannot be anyone's favourite
            for (int k = 1; k < nTop && topLeafCum[fav][topLeafCum[fav].length - 1] <= 0; k++) {
                fav = order[(p + k) % nTop];
            }
            personaFav[p] = fav;
            double favWeight = 0.62 + 0.10 * rp.nextDouble();
            double[] w = new double[nTop];
            double other = 0;
            for (int t = 0; t < nTop; t++) {
                if (t != fav && topLeafCum[t][topLeafCum[t].length - 1] > 0) {
                    w[t] = -StrictMath.log(1.0 - rp.nextDouble()) + 0.05;
                    other += w[t];
                }
            }
            if (other == 0) {
                favWeight = 1.0;
            }
            Map<String, Double> weights = new LinkedHashMap<>();
            weights.put(topNames[fav], round4(favWeight));
            double acc = 0;
            for (int t = 0; t < nTop; t++) {
                double share = other == 0 ? 0 : w[t] / other * (1 - favWeight);
                acc += share;
                personaOtherCum[p][t] = acc;
                if (t != fav && share > 0) {
                    weights.put(topNames[t], round4(share));
                }
            }
            double sensitivity = Math.min(0.95, Math.max(0.05, ((p * 0.618034) % 1.0) * 0.8 + 0.2 * rp.nextDouble()));
            double activity = round2(1.5 + 4.5 * (activityRank[p] + rp.nextDouble()) / np);
            int style = (p + rp.nextInt(2)) % Templates.HOUR_STYLES.length;
            personaHours[p] = Templates.HOUR_STYLES[style].clone();
            String price = sensitivity > 0.66 ? "bargain hunter" : sensitivity < 0.33 ? "premium buyer" : "mid-range shopper";
            String freq = activity > 4.5 ? ", frequent" : activity < 2.5 ? ", occasional" : "";
            String name = topNames[fav] + " enthusiast, " + price + ", " + Templates.HOUR_STYLE_NAMES[style] + freq;
            personas[p] = new Persona("p" + p, name, topNames[fav], weights, round2(sensitivity), activity, personaHours[p]);
            shareAcc += 0.5 + rp.nextDouble();
            personaShareCum[p] = shareAcc;
            personaAgeMean[p] = tops[fav].name().equals("Baby & Kids") ? 30 + 8 * rp.nextDouble() : 20 + 40 * rp.nextDouble();
            personaFemale[p] = Math.min(0.95, Math.max(0.05, tops[fav].femaleShare() + 0.2 * (rp.nextDouble() - 0.5)));
            personaRegion[p] = rp.nextInt(Templates.REGIONS.length);
            for (int k = 0; k < 3; k++) {
                personaOccupations[p][k] = rp.nextInt(Templates.OCCUPATIONS.length);
            }
        }

        // ---- planted outcomes, from streams of their own so that the rest of the shop stays as without them
        personaCheckout = new double[np];
        personaLapse = new double[np];
        Rng rt = new Rng(Rng.seedOf(seed, STREAM_TRUTH, 0));
        int[] checkoutRank = shuffledRanks(np, rt);
        int[] lapseRank = shuffledRanks(np, rt);
        for (int p = 0; p < np; p++) {
            double x = np == 1 ? 0 : 2.0 * checkoutRank[p] / (np - 1) - 1;
            double y = np == 1 ? 0 : 2.0 * lapseRank[p] / (np - 1) - 1;
            personaCheckout[p] = cfg.purchaseRateSpread() == 0 ? BASE_CHECKOUT
                    : round4(BASE_CHECKOUT * (1 + cfg.purchaseRateSpread() * x));
            personaLapse[p] = round4(Math.min(0.95, cfg.lapseShare() * (1 + 0.6 * y)));
        }
        int lapseLo = Math.max(1, (int) Math.round(0.3 * cfg.days()));
        int lapseHi = Math.min(cfg.days() - 1, Math.max(lapseLo, (int) Math.floor(0.75 * cfg.days())));

        // ---- users
        nUsers = cfg.users();
        userLapseDay = new int[nUsers];
        java.util.Arrays.fill(userLapseDay, NEVER);
        userPersona = new int[nUsers];
        userActivity = new float[nUsers];
        userFav = new float[nUsers];
        userBandLowCum = new float[nUsers];
        userBandMidCum = new float[nUsers];
        userSensitivity = new float[nUsers];
        int bots = 0;
        for (int u = 0; u < nUsers; u++) {
            Rng ru = new Rng(Rng.seedOf(seed, STREAM_USER, u));
            boolean bot = ru.chance(cfg.botShare());
            int p = ru.pick(personaShareCum);
            if (bot) {
                userPersona[u] = -1;
                bots++;
                continue;
            }
            userPersona[u] = p;
            userActivity[u] = (float) (personas[p].activity() * ru.logNormal(0, 0.35));
            double jitter = 0.02 * ru.gaussian();
            // a persona whose favourite is the only category with items keeps all its interest there
            userFav[u] = personas[p].favoriteWeight() >= 1.0 ? 1f
                    : (float) Math.min(0.75, Math.max(0.6, personas[p].favoriteWeight() + jitter));
            double s = Math.min(1, Math.max(0, personas[p].priceSensitivity() + 0.1 * ru.gaussian()));
            userSensitivity[u] = (float) s;
            double wl = 0.15 + s;
            double wm = 0.5;
            double wh = 0.15 + (1 - s);
            double sum = wl + wm + wh;
            userBandLowCum[u] = (float) (wl / sum);
            userBandMidCum[u] = (float) ((wl + wm) / sum);
            if (cfg.lapseShare() > 0) {
                Rng rl = new Rng(Rng.seedOf(seed, STREAM_LAPSE, u));
                if (rl.chance(personaLapse[p])) {
                    userLapseDay[u] = lapseLo + rl.nextInt(lapseHi - lapseLo + 1);
                }
            }
        }
        botUsers = bots;
    }

    private static int[] shuffledRanks(int n, Rng r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }

    /**
     * @param u a user
     * @return the planted outcome truth of the user
     */
    UserTruth truth(int u) {
        int p = userPersona[u];
        if (p < 0) {
            return new UserTruth(userId(u), SyntheticShop.BOT, Double.NaN, Double.NaN, false, UserTruth.NEVER);
        }
        boolean lapsed = userLapseDay[u] != NEVER;
        long at = lapsed ? cfg.start().toEpochMilli() + userLapseDay[u] * 86_400_000L : UserTruth.NEVER;
        return new UserTruth(userId(u), personas[p].id(), personaCheckout[p], personaLapse[p], lapsed, at);
    }

    private static double round4(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String brandName(Rng r, boolean chinese) {
        if (chinese) {
            return r.of(Templates.CHINESE_BRAND_CHARS) + r.of(Templates.CHINESE_BRAND_CHARS);
        }
        int n = 2 + r.nextInt(2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(r.of(Templates.LATIN_SYLLABLES));
        }
        return Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
    }

    // ---------------------------------------------------------------- ids and text

    static String userId(int u) {
        return "u" + (u + 1);
    }

    static String itemId(int i) {
        return "i" + (i + 1);
    }

    static String sessionId(int u, int session) {
        return "u" + (u + 1) + "-" + session;
    }

    String personaId(int u) {
        return userPersona[u] < 0 ? SyntheticShop.BOT : personas[userPersona[u]].id();
    }

    /** @return the brand name of item i */
    String brand(int i) {
        return brandNames[leafTop[itemLeaf[i]]][itemBrand[i]];
    }

    /** @return {title, description} of item i, drawn from the item's own text stream */
    String[] itemText(int i) {
        Rng r = new Rng(Rng.seedOf(seed, STREAM_TEXT, i));
        int leaf = itemLeaf[i];
        Templates.Top top = tops[leafTop[leaf]];
        String adj = top.adjectives().get(r.nextInt(top.adjectives().size()));
        String leafName = leafPath[leaf][2];
        String brand = brand(i);
        if (top.chinese()) {
            String size = top.sizes().get(r.nextInt(top.sizes().size()));
            return new String[] {brand + " " + adj + leafName + " " + size,
                brand + "出品，" + adj + leafName + "，" + size + "。" + leafPath[leaf][1] + "类热销商品。"};
        }
        String size = top.sizes().get(r.nextInt(top.sizes().size()));
        String model = "" + (char) ('A' + r.nextInt(26)) + (100 + r.nextInt(900));
        String title = brand + " " + adj + " " + leafName + " " + model + " (" + size + ")";
        String desc = adj + " " + leafName.toLowerCase(Locale.ROOT) + " by " + brand + ", " + size + ". Category: "
                + leafLabel[leaf] + ".";
        return new String[] {title, desc};
    }

    /** @return user attributes {age or -1, gender or null, region, occupation} of a user, correlated with the persona */
    Object[] userAttributes(int u) {
        Rng r = new Rng(Rng.seedOf(seed, STREAM_USER + 100, u));
        int p = userPersona[u];
        if (p < 0) {
            return new Object[] {-1, null, null, null};
        }
        int age = (int) Math.round(personaAgeMean[p] + 7 * r.gaussian());
        age = Math.max(16, Math.min(85, age));
        if (r.chance(0.04)) {
            age = -1;
        }
        double g = r.nextDouble();
        String gender = g < 0.03 ? null : r.chance(personaFemale[p]) ? "F" : "M";
        String region = Templates.REGIONS[r.chance(0.45) ? personaRegion[p] : r.nextInt(Templates.REGIONS.length)];
        String occupation;
        if (age >= 66 && r.chance(0.8)) {
            occupation = "retired";
        } else if (age >= 0 && age <= 22 && r.chance(0.6)) {
            occupation = "student";
        } else if (r.chance(0.6)) {
            occupation = Templates.OCCUPATIONS[personaOccupations[p][r.nextInt(3)]];
        } else {
            occupation = Templates.OCCUPATIONS[r.nextInt(Templates.OCCUPATIONS.length)];
        }
        return new Object[] {age, gender, region, occupation};
    }

    List<Persona> personaList() {
        return Arrays.asList(personas.clone());
    }
}
