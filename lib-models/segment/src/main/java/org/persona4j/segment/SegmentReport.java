package org.persona4j.segment;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;
import org.persona4j.core.Segment;

/**
 * Writes a segment report a person would rather look at than read: {@code report.html} with PNG
 * charts made with XChart (headless) — segment sizes ({@code sizes.png}), category affinity per
 * segment ({@code affinity.png}: share of each segment's events per top-level category), a 2-D
 * PCA projection of the user vectors coloured by segment ({@code pca.png}, at most 5,000 sampled
 * users) and the RFM grid ({@code rfm.png}: users per recency × frequency score, with a table of
 * mean monetary value) — plus tables of the segment descriptions, value groups and drift.
 * Build with {@link #builder(String)}; every part except the segments is optional.
 */
public final class SegmentReport {
    private final Builder b;

    private SegmentReport(Builder b) {
        this.b = b;
    }

    /** @param title the report title @return a builder */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private final String title;
        private List<Segment> segments = List.of();
        private Map<String, String> segmentOfUser = Map.of();
        private Iterable<BehaviorEvent> events;
        private Catalog catalog;
        private List<String> vectorUsers;
        private float[][] vectors;
        private String vectorLabel = "user vectors";
        private RfmSegmenter rfm;
        private Map<String, RfmValues> rfmValues;
        private SegmentDrift drift;
        private final List<String> notes = new ArrayList<>();
        private long seed = 1;

        private Builder(String title) {
            this.title = title;
        }

        /** @param segs described behaviour segments @param ofUser segment id per user @return this */
        public Builder segments(List<Segment> segs, Map<String, String> ofUser) {
            this.segments = List.copyOf(segs);
            this.segmentOfUser = ofUser;
            return this;
        }

        /** @param ev events (for the category affinity heatmap) @param cat the catalogue @return this */
        public Builder events(Iterable<BehaviorEvent> ev, Catalog cat) {
            this.events = ev;
            this.catalog = cat;
            return this;
        }

        /**
         * @param users the user of each row
         * @param x user vectors (embeddings or fallback vectors)
         * @param label what the vectors are, shown in the chart title
         * @return this
         */
        public Builder vectors(List<String> users, float[][] x, String label) {
            this.vectorUsers = users;
            this.vectors = x;
            this.vectorLabel = label;
            return this;
        }

        /** @param s the fitted RFM segmenter @param values RFM values per user @return this */
        public Builder rfm(RfmSegmenter s, Map<String, RfmValues> values) {
            this.rfm = s;
            this.rfmValues = values;
            return this;
        }

        /** @param d a drift report @return this */
        public Builder drift(SegmentDrift d) {
            this.drift = d;
            return this;
        }

        /** @param line a line of text shown under the title (data set, model, k choice) @return this */
        public Builder note(String line) {
            notes.add(line);
            return this;
        }

        /** @param v seed of the PCA point sample @return this */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** @return the report */
        public SegmentReport build() {
            return new SegmentReport(this);
        }
    }

    /**
     * Writes {@code report.html} and the PNG charts into {@code dir} (created if needed).
     *
     * @param dir the output folder
     * @return the path of report.html
     * @throws UncheckedIOException when writing fails
     */
    public Path write(Path dir) {
        try {
            Files.createDirectories(dir);
            StringBuilder h = new StringBuilder(ReportPage.head(b.title));
            for (String n : b.notes) {
                h.append("<p>").append(esc(n)).append("</p>");
            }
            if (!b.segments.isEmpty()) {
                sizes(dir);
                h.append("<h2>Segments</h2><img src=\"sizes.png\" alt=\"segment sizes\">");
                h.append(segmentTable(b.segments));
            }
            if (b.events != null && !b.segments.isEmpty() && affinity(dir)) {
                h.append("<h2>Category affinity</h2><p>Share of each segment's events per top-level category.</p>"
                        + "<img src=\"affinity.png\" alt=\"category affinity heatmap\">");
            }
            if (b.vectors != null && b.vectors.length > 1) {
                pca(dir);
                h.append("<h2>2-D projection</h2><p>PCA of ").append(esc(b.vectorLabel))
                        .append(", coloured by segment (at most 5,000 sampled users).</p><img src=\"pca.png\" alt=\"PCA\">");
            }
            if (b.rfm != null) {
                rfmGrid(dir, h);
            }
            if (b.drift != null) {
                h.append("<h2>Drift of segment shares</h2><p>PSI ").append(String.format(Locale.ROOT, "%.4f", b.drift.psi()))
                        .append(" (").append(b.drift.level()).append(")</p><table><tr><th>segment</th><th>at fit</th>"
                        + "<th>now</th><th>delta</th></tr>");
                for (SegmentDrift.Row r : b.drift.rows()) {
                    h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%.4f</td><td>%+.4f</td></tr>",
                            esc(r.name()), r.shareAtFit(), r.shareNow(), r.delta()));
                }
                h.append("</table>");
            }
            h.append("</body></html>\n");
            Path out = dir.resolve("report.html");
            Files.writeString(out, h.toString(), StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("segment report: cannot write into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String segmentTable(List<Segment> segs) {
        List<String> keys = new ArrayList<>();
        for (Segment s : segs) {
            for (String k : s.summary().keySet()) {
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
        }
        StringBuilder h = new StringBuilder("<table><tr><th>id</th><th>name</th>");
        for (String k : keys) {
            h.append("<th>").append(esc(k)).append("</th>");
        }
        h.append("</tr>");
        for (Segment s : segs) {
            h.append("<tr><td>").append(esc(s.id())).append("</td><td>").append(esc(s.name())).append("</td>");
            for (String k : keys) {
                h.append("<td>").append(esc(s.summary().getOrDefault(k, ""))).append("</td>");
            }
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }

    private void sizes(Path dir) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(900).height(420).title("Segment sizes").xAxisTitle("segment")
                .yAxisTitle("users").build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(20);
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (Segment s : b.segments) {
            names.add(s.name());
            sizes.add(s.size());
        }
        c.addSeries("users", names, sizes);
        save(c, dir.resolve("sizes.png"));
    }

    private boolean affinity(Path dir) throws IOException {
        Map<String, Integer> segIndex = new HashMap<>();
        for (int i = 0; i < b.segments.size(); i++) {
            segIndex.put(b.segments.get(i).id(), i);
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        long[] totals = new long[b.segments.size()];
        for (BehaviorEvent e : b.events) {
            String seg = b.segmentOfUser.get(e.userId());
            Integer si = seg == null ? null : segIndex.get(seg);
            Item it = e.itemId() == null ? null : b.catalog.item(e.itemId()).orElse(null);
            if (si == null || it == null || it.topCategory() == null) {
                continue;
            }
            counts.computeIfAbsent(it.topCategory(), k -> new long[b.segments.size()])[si]++;
            totals[si]++;
        }
        if (counts.isEmpty()) {
            return false;
        }
        List<String> cats = new ArrayList<>(counts.keySet());
        cats.sort(null);
        List<Number[]> data = new ArrayList<>();
        for (int x = 0; x < cats.size(); x++) {
            long[] c = counts.get(cats.get(x));
            for (int y = 0; y < b.segments.size(); y++) {
                data.add(new Number[] {x, y, totals[y] == 0 ? 0 : Math.round(1000.0 * c[y] / totals[y]) / 1000.0});
            }
        }
        HeatMapChart h = new HeatMapChartBuilder().width(1000).height(120 + 45 * b.segments.size())
                .title("Category affinity (share of the segment's events)").build();
        h.getStyler().setShowValue(true);
        h.getStyler().setHeatMapValueDecimalPattern("0.00");
        h.getStyler().setLegendVisible(false);
        h.getStyler().setXAxisLabelRotation(30);
        h.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(255, 200, 120), new Color(200, 40, 40)});
        List<String> segNames = b.segments.stream().map(Segment::name).toList();
        h.addSeries("affinity", cats, segNames, data);
        save(h, dir.resolve("affinity.png"));
        return true;
    }

    private void pca(Path dir) throws IOException {
        int n = b.vectors.length;
        int m = Math.min(n, 5000);
        int[] idx = KMeans.sample(n, m, new SplittableRandom(b.seed));
        java.util.Arrays.sort(idx);
        float[][] x = new float[m][];
        for (int i = 0; i < m; i++) {
            x[i] = b.vectors[idx[i]];
        }
        double[][] p = Pca.project2(x);
        Map<String, List<double[]>> bySeg = new LinkedHashMap<>();
        for (Segment s : b.segments) {
            bySeg.put(s.id(), new ArrayList<>());
        }
        for (int i = 0; i < m; i++) {
            String seg = b.vectorUsers == null ? null : b.segmentOfUser.get(b.vectorUsers.get(idx[i]));
            bySeg.computeIfAbsent(seg == null ? "unassigned" : seg, k -> new ArrayList<>()).add(p[i]);
        }
        XYChart c = new XYChartBuilder().width(900).height(650).title("PCA of " + b.vectorLabel).xAxisTitle("PC1")
                .yAxisTitle("PC2").build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        Map<String, String> names = new HashMap<>();
        b.segments.forEach(s -> names.put(s.id(), s.name()));
        for (Map.Entry<String, List<double[]>> e : bySeg.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            double[] xs = e.getValue().stream().mapToDouble(v -> v[0]).toArray();
            double[] ys = e.getValue().stream().mapToDouble(v -> v[1]).toArray();
            c.addSeries(names.getOrDefault(e.getKey(), e.getKey()), xs, ys);
        }
        save(c, dir.resolve("pca.png"));
    }

    private void rfmGrid(Path dir, StringBuilder h) throws IOException {
        long[][] count = new long[5][5];
        double[][] money = new double[5][5];
        long prospects = 0;
        for (RfmValues v : b.rfmValues.values()) {
            RfmSegmenter.Scores s = b.rfm.scores(v);
            if (s.r() == 0) {
                prospects++;
                continue;
            }
            count[s.r() - 1][s.f() - 1]++;
            money[s.r() - 1][s.f() - 1] += v.monetary();
        }
        List<Number[]> data = new ArrayList<>();
        List<Integer> axis = List.of(1, 2, 3, 4, 5);
        for (int r = 0; r < 5; r++) {
            for (int f = 0; f < 5; f++) {
                data.add(new Number[] {r, f, count[r][f]});
            }
        }
        HeatMapChart c = new HeatMapChartBuilder().width(700).height(600)
                .title("RFM grid: users per recency (x) and frequency (y) score").xAxisTitle("R score (5 = most recent)")
                .yAxisTitle("F score (5 = most purchases)").build();
        c.getStyler().setShowValue(true);
        c.getStyler().setHeatMapValueDecimalPattern("#,##0");
        c.getStyler().setLegendVisible(false);
        c.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(140, 190, 230), new Color(20, 70, 160)});
        c.addSeries("users", axis, axis, data);
        save(c, dir.resolve("rfm.png"));
        h.append("<h2>Value groups (RFM)</h2><img src=\"rfm.png\" alt=\"RFM grid\">");
        h.append("<p>").append(prospects).append(" users without a purchase (prospects) are not on the grid. Mean money "
                + "spent per cell (rows R 5..1, columns F 1..5):</p><table><tr><th>R \\ F</th>");
        for (int f = 1; f <= 5; f++) {
            h.append("<th>").append(f).append("</th>");
        }
        h.append("</tr>");
        for (int r = 5; r >= 1; r--) {
            h.append("<tr><th>").append(r).append("</th>");
            for (int f = 1; f <= 5; f++) {
                long n = count[r - 1][f - 1];
                h.append("<td>").append(n == 0 ? "" : String.format(Locale.ROOT, "%.2f (%d)", money[r - 1][f - 1] / n, n))
                        .append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</table>");
        h.append(segmentTable(b.rfm.segments()));
    }

    private static void save(Chart<?, ?> c, Path file) throws IOException {
        ReportPage.save(c, file);
    }

    static String esc(String s) {
        return ReportPage.esc(s);
    }
}
