package org.persona4j.features.aggregate;

import java.util.ArrayList;
import java.util.List;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.io.FormatHeader;

/**
 * One user's running aggregates, updated in O(1) per event (a constant number of operations,
 * bounded by the configured slot counts) with bounded memory: see
 * {@link AggregateConfig#bytesPerUserBound()} (808 bytes with the defaults: counts per event
 * type, a 24-hour and a 7-day histogram, price-band counts, and 8 top-K slots each for top-level
 * categories, leaf categories and brands, packed in three primitive arrays for cache locality).
 *
 * <p>Affinities are top-K with the Space-Saving rule: when all slots are taken, a new key replaces
 * the lightest slot and inherits its weight, so a stored weight may overestimate by at most the
 * lightest weight, and every key whose true share exceeds {@code 1 / K} is kept. With at most K
 * distinct keys the values are exact. All other aggregates are exact and independent of arrival
 * order (out-of-order events are fine).
 *
 * <p>Not thread-safe: confine an instance to one thread at a time ({@link AggregateStore}
 * synchronises per user).
 */
public final class UserAggregates {
    /** Renormalise the forward-decay landmark when exponents exceed this. */
    private static final double MAX_EXPONENT = 30;

    private final String userId;
    private final AggregateConfig config;
    private final double[] weights;
    private final double tau;

    private long events;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    private long lastPurchaseMillis = -1;
    private double monetary;
    private long purchaseUnits;
    private long unknownItems;
    private long missingPrices;

    private long landmark;
    private double activity;
    private double topTotal;
    private double leafTotal;
    private double brandTotal;
    /** Event counts per type, then price-band counts: one array for locality. */
    private final long[] longs;
    /** Slot ids (top, leaf, brand), then 24 hour and 7 day counts. */
    private final int[] ints;
    /** Slot weights (top, leaf, brand), forward-scaled. */
    private final double[] w;
    private final int kTop;
    private final int kLeaf;
    private final int kBrand;
    private final int oHours;
    private final int oDays;
    private final int nTypes = EventType.count();
    private double pctSumAll;
    private long pctCountAll;
    private double pctSumBuy;
    private long pctCountBuy;
    private double dwellSum;
    private long dwellCount;

    /**
     * @param userId the user
     * @param config the settings (shared between users)
     */
    public UserAggregates(String userId, AggregateConfig config) {
        if (userId == null || config == null) {
            throw new BadInputException("user aggregates: 'userId' and 'config' are required");
        }
        this.userId = userId;
        this.config = config;
        this.weights = config.weightsNoCopy();
        this.tau = config.tauMillis();
        kTop = config.topCategorySlots();
        kLeaf = config.leafCategorySlots();
        kBrand = config.brandSlots();
        int slots = kTop + kLeaf + kBrand;
        oHours = slots;
        oDays = slots + 24;
        ints = new int[slots + 31];
        java.util.Arrays.fill(ints, 0, slots, -1);
        w = new double[slots];
        longs = new long[EventType.count() + config.priceBands()];
    }

    /**
     * Folds in one event, resolving its item through the resolver. Unknown items still count as
     * events (type, time, price) but add no affinity, and are counted ({@link AggregateSnapshot#unknownItems()}).
     *
     * @param e the event, not null
     * @param resolver the item resolver
     * @throws BadInputException when the event is null
     */
    public void update(BehaviorEvent e, ItemResolver resolver) {
        if (e == null) {
            throw new BadInputException("user aggregates " + userId + ": event must not be null");
        }
        ItemResolver.ItemInfo info = resolver.resolve(e.itemId());
        if (info == null && e.itemId() != null) {
            unknownItems++;
        }
        update(e.timestampMillis(), e.type(), info, e.priceOrNaN(), e.quantityOrOne(), e.dwellMillisOrMinus1());
    }

    /**
     * Folds in one pre-resolved event (the allocation-free hot path).
     *
     * @param ts epoch milliseconds
     * @param type the event type, not null
     * @param info the resolved item, or null for none/unknown
     * @param eventPrice the unit price recorded with the event, NaN when absent (the catalogue price is used then)
     * @param quantity quantity, {@code >= 1}
     * @param dwellMillis dwell time, or -1 when absent
     */
    public void update(long ts, EventType type, ItemResolver.ItemInfo info, double eventPrice, int quantity, long dwellMillis) {
        events++;
        int t = type.ordinal();
        longs[t]++;
        if (ts < firstMillis) {
            firstMillis = ts;
        }
        if (ts > lastMillis) {
            lastMillis = ts;
        }
        if (events == 1) {
            landmark = ts;
        }
        double x = (ts - landmark) / tau;
        if (x > MAX_EXPONENT) {
            renormalise(ts);
            x = 0;
        }
        double g = Math.exp(x);
        activity += g;

        long sec = Math.floorDiv(ts, 1000L) + config.zoneOffsetSeconds();
        long day = Math.floorDiv(sec, 86_400L);
        ints[oHours + (int) (sec - day * 86_400L) / 3600]++;
        ints[oDays + (int) Math.floorMod(day + 3, 7L)]++;

        double price = eventPrice;
        double pct = Double.NaN;
        if (info != null) {
            double wt = weights[t] * g;
            if (wt > 0) {
                if (info.topCategory() >= 0) {
                    slotAdd(0, kTop, info.topCategory(), wt);
                    topTotal += wt;
                }
                if (info.leafCategory() >= 0) {
                    slotAdd(kTop, kLeaf, info.leafCategory(), wt);
                    leafTotal += wt;
                }
                if (info.brand() >= 0) {
                    slotAdd(kTop + kLeaf, kBrand, info.brand(), wt);
                    brandTotal += wt;
                }
            }
            if (Double.isNaN(price)) {
                price = info.price();
                pct = info.pricePercentile();
            } else {
                pct = PriceQuantiles.percentile(info.breakpoints(), price);
            }
        }
        if (!Double.isNaN(pct) && type != EventType.SEARCH && type != EventType.REMOVE_FROM_CART) {
            pctSumAll += pct;
            pctCountAll++;
            int nb = longs.length - nTypes;
            longs[nTypes + Math.min(nb - 1, (int) (pct * nb))]++;
            if (type == EventType.PURCHASE) {
                pctSumBuy += pct;
                pctCountBuy++;
            }
        }
        if (type == EventType.PURCHASE) {
            if (ts > lastPurchaseMillis) {
                lastPurchaseMillis = ts;
            }
            purchaseUnits += quantity;
            if (Double.isNaN(price)) {
                missingPrices++;
            } else {
                monetary += price * quantity;
            }
        }
        if (dwellMillis >= 0) {
            // capped like TimeFeatures.dwellLog1pSeconds: a tab left open is not 3 hours of interest
            dwellSum += Math.min(dwellMillis, org.persona4j.features.time.TimeFeatures.MAX_DWELL_MS);
            dwellCount++;
        }
    }

    /** Counts an event whose item the catalogue does not know (when updating through the hot path). */
    public void countUnknownItem() {
        unknownItems++;
    }

    private void slotAdd(int from, int len, int id, double v) {
        int[] ids = ints;
        double[] ws = w;
        int min = from;
        int end = from + len;
        for (int i = from; i < end; i++) {
            int k = ids[i];
            if (k == id) {
                ws[i] += v;
                return;
            }
            if (k == -1) {
                ids[i] = id;
                ws[i] = v;
                return;
            }
            if (ws[i] < ws[min]) {
                min = i;
            }
        }
        ids[min] = id;
        ws[min] += v;
    }

    private void renormalise(long newLandmark) {
        double f = Math.exp((landmark - newLandmark) / tau);
        activity *= f;
        topTotal *= f;
        leafTotal *= f;
        brandTotal *= f;
        for (int i = 0; i < w.length; i++) {
            w[i] *= f;
        }
        landmark = newLandmark;
    }

    /** Version of the {@link #toBytes} layout. */
    public static final int BYTES_VERSION = 1;
    /** Magic "P4AG", then the version byte. */
    private static final FormatHeader BYTES_HEADER = FormatHeader.compactBinary("user aggregates", new byte[] {'P', '4', 'A', 'G'},
            BYTES_VERSION, BYTES_VERSION);

    /**
     * Encodes the aggregates for storage (no Java serialization): a magic number, a version, the
     * slot layout, every counter, and the category and brand slots by name, so that they can be
     * read back with another {@link ItemResolver} (after a restart, the dictionary ids differ).
     *
     * @param names the resolver whose name dictionaries name the slot ids
     * @return the bytes
     */
    public byte[] toBytes(ItemResolver names) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1024);
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            BYTES_HEADER.write(out, BYTES_VERSION);
            out.writeInt(kTop);
            out.writeInt(kLeaf);
            out.writeInt(kBrand);
            out.writeInt(longs.length);
            out.writeLong(events);
            out.writeLong(firstMillis);
            out.writeLong(lastMillis);
            out.writeLong(lastPurchaseMillis);
            out.writeDouble(monetary);
            out.writeLong(purchaseUnits);
            out.writeLong(unknownItems);
            out.writeLong(missingPrices);
            out.writeLong(landmark);
            out.writeDouble(activity);
            out.writeDouble(topTotal);
            out.writeDouble(leafTotal);
            out.writeDouble(brandTotal);
            out.writeDouble(pctSumAll);
            out.writeLong(pctCountAll);
            out.writeDouble(pctSumBuy);
            out.writeLong(pctCountBuy);
            out.writeDouble(dwellSum);
            out.writeLong(dwellCount);
            for (long v : longs) {
                out.writeLong(v);
            }
            int slots = kTop + kLeaf + kBrand;
            for (int i = 0; i < slots; i++) {
                int id = ints[i];
                NameDictionary dict = i < kTop ? names.topCategories() : i < kTop + kLeaf ? names.leafCategories() : names.brands();
                out.writeBoolean(id >= 0);
                if (id >= 0) {
                    out.writeUTF(dict.name(id));
                }
                out.writeDouble(w[i]);
            }
            for (int i = slots; i < ints.length; i++) {
                out.writeInt(ints[i]);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * Reads aggregates written by {@link #toBytes}.
     *
     * @param userId the user
     * @param config the settings; their slot layout must match the bytes'
     * @param names the resolver whose name dictionaries the slot names are added to
     * @param data the bytes
     * @return the aggregates
     * @throws org.persona4j.core.ModelFormatException when the bytes are corrupt, truncated, of
     *     another version or of another slot layout
     */
    public static UserAggregates fromBytes(String userId, AggregateConfig config, ItemResolver names, byte[] data) {
        String what = "aggregates of user " + userId;
        UserAggregates a = new UserAggregates(userId, config);
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(data))) {
            BYTES_HEADER.read(in, what); // one version so far: nothing depends on it yet
            int kt = in.readInt();
            int kl = in.readInt();
            int kb = in.readInt();
            int nl = in.readInt();
            if (kt != a.kTop || kl != a.kLeaf || kb != a.kBrand || nl != a.longs.length) {
                throw new org.persona4j.core.ModelFormatException(what + ": slot layout " + kt + "/" + kl + "/" + kb + "/" + nl
                        + " does not match the configuration's " + a.kTop + "/" + a.kLeaf + "/" + a.kBrand + "/" + a.longs.length);
            }
            a.events = in.readLong();
            a.firstMillis = in.readLong();
            a.lastMillis = in.readLong();
            a.lastPurchaseMillis = in.readLong();
            a.monetary = in.readDouble();
            a.purchaseUnits = in.readLong();
            a.unknownItems = in.readLong();
            a.missingPrices = in.readLong();
            a.landmark = in.readLong();
            a.activity = in.readDouble();
            a.topTotal = in.readDouble();
            a.leafTotal = in.readDouble();
            a.brandTotal = in.readDouble();
            a.pctSumAll = in.readDouble();
            a.pctCountAll = in.readLong();
            a.pctSumBuy = in.readDouble();
            a.pctCountBuy = in.readLong();
            a.dwellSum = in.readDouble();
            a.dwellCount = in.readLong();
            for (int i = 0; i < a.longs.length; i++) {
                a.longs[i] = in.readLong();
            }
            int slots = a.kTop + a.kLeaf + a.kBrand;
            for (int i = 0; i < slots; i++) {
                NameDictionary dict = i < a.kTop ? names.topCategories() : i < a.kTop + a.kLeaf ? names.leafCategories() : names.brands();
                a.ints[i] = in.readBoolean() ? dict.assign(in.readUTF()) : -1;
                a.w[i] = in.readDouble();
            }
            for (int i = slots; i < a.ints.length; i++) {
                a.ints[i] = in.readInt();
            }
            if (in.available() != 0) {
                throw new org.persona4j.core.ModelFormatException(what + ": " + in.available() + " trailing bytes");
            }
            if (a.events < 0) {
                throw new org.persona4j.core.ModelFormatException(what + ": negative event count " + a.events);
            }
        } catch (java.io.EOFException e) {
            throw new org.persona4j.core.ModelFormatException(what + ": truncated (" + data.length + " bytes)", e);
        } catch (java.io.IOException e) {
            throw new org.persona4j.core.ModelFormatException(what + ": unreadable: " + e.getMessage(), e);
        }
        return a;
    }

    /** @return the user id */
    public String userId() {
        return userId;
    }

    /** @return the number of events folded in */
    public long eventCount() {
        return events;
    }

    /** @return epoch milliseconds of the latest event, or -1 when none */
    public long lastEventMillis() {
        return events == 0 ? -1 : lastMillis;
    }

    /**
     * An immutable view of the aggregates as of a time (decayed values are evaluated at it).
     *
     * @param asOfMillis the evaluation time (usually now, or the end of the training window)
     * @param names resolver whose name dictionaries name the category and brand ids
     * @return the snapshot
     */
    public AggregateSnapshot snapshot(long asOfMillis, ItemResolver names) {
        double f = events == 0 ? 0 : Math.exp((landmark - asOfMillis) / tau);
        return new AggregateSnapshot(userId, asOfMillis, events, java.util.Arrays.copyOf(longs, nTypes),
                events == 0 ? -1 : firstMillis, events == 0 ? -1 : lastMillis, lastPurchaseMillis,
                monetary, purchaseUnits, unknownItems, missingPrices, activity * f,
                ranking(0, kTop, topTotal, f, names.topCategories()),
                ranking(kTop, kLeaf, leafTotal, f, names.leafCategories()),
                ranking(kTop + kLeaf, kBrand, brandTotal, f, names.brands()),
                java.util.Arrays.copyOfRange(ints, oHours, oHours + 24), java.util.Arrays.copyOfRange(ints, oDays, oDays + 7),
                java.util.Arrays.copyOfRange(longs, nTypes, longs.length),
                pctCountAll == 0 ? Double.NaN : pctSumAll / pctCountAll,
                pctCountBuy == 0 ? Double.NaN : pctSumBuy / pctCountBuy,
                dwellCount == 0 ? Double.NaN : dwellSum / dwellCount / 1000.0);
    }

    private List<Affinity> ranking(int from, int len, double total, double f, NameDictionary names) {
        List<Affinity> out = new ArrayList<>(len);
        for (int i = from; i < from + len && ints[i] >= 0; i++) {
            out.add(new Affinity(names.name(ints[i]), w[i] * f, total > 0 ? Math.min(1.0, w[i] / total) : 0));
        }
        out.sort((a, b) -> {
            int c = Double.compare(b.weight(), a.weight());
            return c != 0 ? c : a.name().compareTo(b.name());
        });
        return out;
    }
}
