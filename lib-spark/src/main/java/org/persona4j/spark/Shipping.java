package org.persona4j.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.persona4j.core.Catalog;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ModelFormatException;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.tags.TagThresholds;

/**
 * What travels from the driver to the executors, as plain bytes and numbers (no Java
 * serialization of persona4j objects), and the executor-side cache that rebuilds each shipped
 * object once per executor JVM.
 *
 * <p>The catalogue travels as its items (id, category path, brand, price, title, description; the
 * free attributes are left out) together with the driver's fitted {@link PriceQuantiles}, so that
 * every executor resolves items exactly as the driver would.
 */
final class Shipping {
    private static final int CATALOG_MAGIC = 0x50344341; // "P4CA"
    private static final int CATALOG_VERSION = 1;
    /** Objects rebuilt per executor JVM, most recently used last; a few entries (jobs rarely ship more). */
    private static final int CACHE_SIZE = 8;
    private static final Map<String, Object> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    private Shipping() {
    }

    /**
     * The object under a key, made once per executor JVM (concurrent tasks of one executor share it).
     *
     * @param key a key unique to what is shipped (e.g. the broadcast id and a kind)
     * @param make builds the object when it is not cached
     * @param <T> its type
     * @return the object
     */
    @SuppressWarnings("unchecked")
    static <T> T cached(String key, Supplier<T> make) {
        synchronized (CACHE) {
            Object v = CACHE.get(key);
            if (v == null) {
                v = make.get();
                CACHE.put(key, v);
            }
            return (T) v;
        }
    }

    /**
     * @param spark the session
     * @param bytes what to ship
     * @return a broadcast of the bytes (read on an executor with {@code value()})
     */
    static org.apache.spark.broadcast.Broadcast<byte[]> broadcast(org.apache.spark.sql.SparkSession spark, byte[] bytes) {
        return org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
    }

    /**
     * @param catalog the catalogue, may be null (an empty one)
     * @param prices the price quantiles fitted on the driver
     * @return the bytes
     */
    static byte[] catalog(Catalog catalog, PriceQuantiles prices) {
        Collection<Item> items = catalog == null ? List.of() : catalog.items();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + items.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(CATALOG_MAGIC);
            out.writeInt(CATALOG_VERSION);
            Map<String, double[]> table = prices.table();
            out.writeInt(table.size());
            for (Map.Entry<String, double[]> e : table.entrySet()) {
                string(out, e.getKey());
                for (double d : e.getValue()) {
                    out.writeDouble(d);
                }
            }
            out.writeInt(items.size());
            for (Item it : items) {
                string(out, it.id());
                out.writeInt(it.categoryPath().size());
                for (String c : it.categoryPath()) {
                    string(out, c);
                }
                string(out, it.brand());
                out.writeDouble(it.price());
                string(out, it.title());
                string(out, it.description());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array
        }
        return bytes.toByteArray();
    }

    /**
     * @param data bytes of {@link #catalog}
     * @return a resolver over the rebuilt catalogue and the shipped price quantiles
     * @throws ModelFormatException when the bytes are not a shipped catalogue
     */
    static ItemResolver resolver(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != CATALOG_MAGIC || in.readInt() != CATALOG_VERSION) {
                throw new ModelFormatException("shipped catalogue: not a persona4j-spark catalogue of version " + CATALOG_VERSION);
            }
            int nq = in.readInt();
            Map<String, double[]> table = new LinkedHashMap<>();
            for (int i = 0; i < nq; i++) {
                String k = string(in);
                double[] q = new double[PriceQuantiles.POINTS];
                for (int j = 0; j < q.length; j++) {
                    q[j] = in.readDouble();
                }
                table.put(k, q);
            }
            int n = in.readInt();
            List<Item> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = string(in);
                int np = in.readInt();
                List<String> path = new ArrayList<>(np);
                for (int j = 0; j < np; j++) {
                    path.add(string(in));
                }
                String brand = string(in);
                double price = in.readDouble();
                String title = string(in);
                String description = string(in);
                items.add(new Item(id, path, brand, price, title, description, Map.of()));
            }
            return new ItemResolver(new InMemoryCatalog(items), PriceQuantiles.of(table));
        } catch (IOException e) {
            throw new ModelFormatException("shipped catalogue: truncated: " + e.getMessage(), e);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String string(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * @param c aggregate settings
     * @return them as numbers
     */
    static double[] config(AggregateConfig c) {
        double[] w = c.typeWeights();
        double[] out = new double[6 + w.length];
        out[0] = c.halfLifeDays();
        out[1] = c.topCategorySlots();
        out[2] = c.leafCategorySlots();
        out[3] = c.brandSlots();
        out[4] = c.priceBands();
        out[5] = c.zoneOffsetSeconds();
        System.arraycopy(w, 0, out, 6, w.length);
        return out;
    }

    /**
     * @param v numbers of {@link #config(AggregateConfig)}
     * @return the settings
     */
    static AggregateConfig config(double[] v) {
        return new AggregateConfig(v[0], (int) v[1], (int) v[2], (int) v[3], java.util.Arrays.copyOfRange(v, 6, v.length),
                (int) v[4], (int) v[5]);
    }

    /**
     * @param t tag thresholds
     * @return them as numbers
     */
    static double[] thresholds(TagThresholds t) {
        return new double[] {t.minEvents(), t.preferenceMinShare(), t.priceSensitiveAbove(), t.premiumBelow(),
            t.nightShareAbove(), t.weekendShareAbove(), t.highValueMonetary(), t.highActivityPerDay(), t.churnGapFactor(),
            t.churnMinDays()};
    }

    /**
     * @param v numbers of {@link #thresholds(TagThresholds)}
     * @return the thresholds
     */
    static TagThresholds thresholds(double[] v) {
        return new TagThresholds((int) v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }
}
