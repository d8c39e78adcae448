package org.persona4j.segment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;

/**
 * Behaviour segments by k-means on user vectors (model embeddings or any numeric profile vector,
 * see {@link ProfileVector}).
 *
 * <p>Fitting ({@link #fit(String, KMeansConfig, List, float[][], ProfileVector)}): greedy k-means++
 * seeding, {@link KMeansConfig#restarts()} restarts keeping the lowest inertia, Lloyd iterations
 * until the squared centroid shift falls under the tolerance or the iteration limit; the
 * point-to-centroid distances are computed in plain Java over contiguous row blocks. When
 * {@link KMeansConfig#k()} is 0, k is chosen in [{@code kMin}, {@code kMax}] (default [2, 12]) by
 * the mean silhouette on a sample. When there are fewer distinct points than k, k shrinks to
 * their number. The same data and seed give the same segments.
 *
 * <p>After fitting the segmenter is immutable and thread-safe: {@link #assign(UserProfile)} places
 * new or updated users on the nearest centroid without refitting (plain Java, no native memory).
 */
public final class KMeansSegmenter implements Segmenter {
    private final String name;
    private final KMeansConfig config;
    private final ProfileVector vector;
    private final float[][] centroids;
    private final List<Segment> segments;
    private final int[] trainingLabels;
    private final double inertia;
    private final int iterations;
    private final Map<Integer, Double> silhouetteByK;

    private KMeansSegmenter(String name, KMeansConfig config, ProfileVector vector, float[][] centroids,
                            List<Segment> segments, int[] trainingLabels, double inertia, int iterations,
                            Map<Integer, Double> silhouetteByK) {
        this.name = name;
        this.config = config;
        this.vector = vector;
        this.centroids = centroids;
        this.segments = List.copyOf(segments);
        this.trainingLabels = trainingLabels;
        this.inertia = inertia;
        this.iterations = iterations;
        this.silhouetteByK = Collections.unmodifiableMap(new LinkedHashMap<>(silhouetteByK));
    }

    /**
     * Fits on profiles, reading each vector with {@code vector}.
     *
     * @param name the segmenter name (key in {@link UserProfile#segments()}), e.g. "behaviour"
     * @param config hyper-parameters
     * @param users training profiles
     * @param vector how a profile becomes a vector
     * @return the fitted segmenter
     * @throws BadInputException on empty input or a non-finite value (naming the user and dimension)
     */
    public static KMeansSegmenter fit(String name, KMeansConfig config, List<UserProfile> users, ProfileVector vector) {
        if (users == null || users.isEmpty()) {
            throw new BadInputException("k-means segmenter '" + name + "': no users: expected at least one profile");
        }
        List<String> ids = new ArrayList<>(users.size());
        float[][] x = new float[users.size()][];
        for (int i = 0; i < x.length; i++) {
            UserProfile p = users.get(i);
            if (p == null) {
                throw new BadInputException("k-means segmenter '" + name + "': profile at row " + i + " is null");
            }
            ids.add(p.userId());
            x[i] = vector.of(p);
        }
        return fit(name, config, ids, x, vector);
    }

    /**
     * Fits on raw vectors.
     *
     * @param name the segmenter name
     * @param config hyper-parameters
     * @param userIds the user of each row (for error messages), or null
     * @param x one row per user, all of the same dimension, finite values
     * @param vector how later profiles given to {@link #assign} become vectors
     * @return the fitted segmenter
     * @throws BadInputException on empty or ragged input or a non-finite value (naming row, user and dimension)
     */
    public static KMeansSegmenter fit(String name, KMeansConfig config, List<String> userIds, float[][] x,
                                      ProfileVector vector) {
        if (name == null || name.isBlank()) {
            throw new BadInputException("k-means segmenter: field 'name': must not be blank, was " + name);
        }
        if (config == null || vector == null) {
            throw new BadInputException("k-means segmenter '" + name + "': config and vector are required");
        }
        if (userIds != null && x != null && userIds.size() != x.length) {
            throw new BadInputException("k-means segmenter '" + name + "': " + userIds.size() + " user ids for " + x.length
                    + " rows");
        }
        KMeans.validate(x, i -> "row " + i + (userIds == null ? "" : " (user '" + userIds.get(i) + "')"),
                vector::dimensionName);
        KMeans.Result r = KMeans.fit(x, config);
        int k = r.centroids().length;
        long[] size = new long[k];
        for (int l : r.labels()) {
            size[l]++;
        }
        List<Segment> segs = new ArrayList<>(k);
        for (int a = 0; a < k; a++) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("size", Long.toString(size[a]));
            s.put("share", String.format(Locale.ROOT, "%.4f", size[a] / (double) x.length));
            s.put("centroid", centroidText(r.centroids()[a], 8));
            segs.add(new Segment(segmentId(a), Segment.Kind.BEHAVIOUR, "Cluster " + (a + 1), size[a],
                    size[a] / (double) x.length, s));
        }
        return new KMeansSegmenter(name, config, vector, r.centroids(), segs, r.labels(), r.inertia(), r.iterations(),
                r.silhouetteByK());
    }

    static String centroidText(float[] c, int max) {
        StringBuilder sb = new StringBuilder("[");
        for (int j = 0; j < Math.min(max, c.length); j++) {
            if (j > 0) {
                sb.append(", ");
            }
            sb.append(String.format(Locale.ROOT, "%.3f", c[j]));
        }
        if (c.length > max) {
            sb.append(", ... (").append(c.length).append(" dims)");
        }
        return sb.append(']').toString();
    }

    /** @param cluster a 0-based cluster index @return its segment id, {@code kmeans-<index>} */
    public static String segmentId(int cluster) {
        return "kmeans-" + cluster;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Segment> segments() {
        return segments;
    }

    @Override
    public Segment assign(UserProfile profile) {
        if (profile == null) {
            throw new BadInputException("k-means segmenter '" + name + "': profile is null");
        }
        float[] v = vector.of(profile);
        return segments.get(nearest(v, profile.userId()));
    }

    /**
     * @param v a vector of the fitted dimension
     * @param who the user, for error messages (may be null)
     * @return the index of the nearest centroid (lowest index on ties)
     * @throws BadInputException on a wrong dimension or a non-finite value
     */
    public int nearest(float[] v, String who) {
        String w = who == null ? "vector" : "user '" + who + "'";
        if (v == null || v.length != centroids[0].length) {
            throw new BadInputException("k-means segmenter '" + name + "': " + w + ": expected " + centroids[0].length
                    + " dimensions, was " + (v == null ? "null" : v.length));
        }
        for (int j = 0; j < v.length; j++) {
            if (!Float.isFinite(v[j])) {
                throw new BadInputException("k-means segmenter '" + name + "': " + w + ", " + vector.dimensionName(j)
                        + ": expected a finite number, was " + v[j]);
            }
        }
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (int a = 0; a < centroids.length; a++) {
            double s = KMeans.sq(v, centroids[a]);
            if (s < bd) {
                bd = s;
                best = a;
            }
        }
        return best;
    }

    /**
     * Assigns many vectors at once with the same blocked distance computation as the fit.
     *
     * @param x rows of the fitted dimension
     * @return the nearest cluster index of each row
     * @throws BadInputException on a wrong dimension or non-finite value, naming the row
     */
    public int[] assignAll(float[][] x) {
        if (x.length == 0) {
            return new int[0];
        }
        int d = KMeans.validate(x, i -> "row " + i, vector::dimensionName);
        if (d != centroids[0].length) {
            throw new BadInputException("k-means segmenter '" + name + "': expected " + centroids[0].length
                    + " dimensions, was " + d);
        }
        int[] labels = new int[x.length];
        double[] dist = new double[x.length];
        double[] xn = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double s = 0;
            for (float f : x[i]) {
                s += (double) f * f;
            }
            xn[i] = s;
        }
        KMeans.assign(new KMeans.Batches(x, config.batchSize()), centroids, xn, labels, dist);
        return labels;
    }

    /**
     * Replaces the segment descriptions (names, summaries) keeping the ids, e.g. with those of
     * {@link SegmentDescriber}.
     *
     * @param described one segment per cluster, same ids in the same order
     * @return a copy carrying the descriptions
     * @throws BadInputException when the ids do not match
     */
    public KMeansSegmenter withSegments(List<Segment> described) {
        if (described.size() != segments.size()) {
            throw new BadInputException("k-means segmenter '" + name + "': expected " + segments.size()
                    + " segment descriptions, was " + described.size());
        }
        for (int i = 0; i < described.size(); i++) {
            if (!described.get(i).id().equals(segments.get(i).id())) {
                throw new BadInputException("k-means segmenter '" + name + "': description " + i + " has id '"
                        + described.get(i).id() + "', expected '" + segments.get(i).id() + "'");
            }
        }
        return new KMeansSegmenter(name, config, vector, centroids, described, trainingLabels, inertia, iterations,
                silhouetteByK);
    }

    /** @return the number of clusters */
    public int k() {
        return centroids.length;
    }

    /** @return a copy of the centroids, one row per cluster */
    public float[][] centroids() {
        float[][] c = new float[centroids.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = centroids[i].clone();
        }
        return c;
    }

    /** @return the cluster index of every training row, in input order (a copy) */
    public int[] trainingLabels() {
        return trainingLabels.clone();
    }

    /** @return the sum of squared distances of the training rows to their centroids (best restart) */
    public double inertia() {
        return inertia;
    }

    /** @return Lloyd iterations of the kept restart */
    public int iterations() {
        return iterations;
    }

    /** @return mean silhouette per candidate k when k was chosen automatically, else empty */
    public Map<Integer, Double> silhouetteByK() {
        return silhouetteByK;
    }

    /** @return the configuration */
    public KMeansConfig config() {
        return config;
    }
}
