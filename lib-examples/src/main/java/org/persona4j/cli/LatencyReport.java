package org.persona4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogWriter;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The latency report of {@code bench-engine --report DIR}: {@code DIR/index.html} with the run's
 * settings, the printed summary, and per phase (ingest, recommend) and per measure (latency from
 * the call's schedule, service time) a percentile-distribution chart (x axis in "nines") and a
 * p50 / p99 / max-per-interval chart as PNGs (XChart, rendered headless), plus the HdrHistogram
 * percentile distributions ({@code .hgrm}) and interval logs ({@code .hlog}) for HdrHistogram's own
 * tools.
 */
final class LatencyReport {
    /** HdrHistogram values are nanoseconds; the report shows milliseconds. */
    static final double NANOS_PER_MS = 1e6;
    private static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:left;vertical-align:top}th{background:#f3f3f3}img{max-width:100%}pre{background:#f7f7f7;"
            + "padding:8px;overflow-x:auto}";

    /** One measure of one phase: its whole-run histogram and its per-interval histograms. */
    record Measure(String label, Histogram total, List<Histogram> intervals) {
    }

    /** One measured phase: its name (file-name safe), heading, and its two measures. */
    record Phase(String name, String heading, Measure fromSchedule, Measure service) {
    }

    private LatencyReport() {
    }

    /**
     * Writes the report.
     *
     * @param dir the output folder (created)
     * @param settings the run's settings and figures (scalars are listed)
     * @param printed the lines the command printed
     * @param phases the measured phases
     * @param intervalMs the length of one interval
     * @param startEpochMs wall-clock start of each phase, for the interval logs
     * @return index.html
     */
    static Path write(Path dir, Map<String, Object> settings, List<String> printed, List<Phase> phases, long intervalMs,
                      Map<String, Long> startEpochMs) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are rendered off-screen
        }
        Files.createDirectories(dir);
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>persona4j bench-engine latency</title><style>")
                .append(STYLE).append("</style></head><body><h1>persona4j bench-engine latency</h1>");
        h.append("<p>Latency <em>from schedule</em> runs from the moment each call was due under the open-loop schedule "
                + "(so a stall counts against every call it delayed; in a closed loop it equals the service time); "
                + "<em>service time</em> runs from the moment the client thread issued the call. The printed figures "
                + "come from every call's exact latency; the charts, tables and .hgrm files from HdrHistogram "
                + "histograms of the same calls (3 significant digits). Allocation is measured on the calling threads "
                + "(ThreadMXBean#getThreadAllocatedBytes) around each call, including the event or request the client "
                + "builds for it; the engine's background threads are not counted.</p>");
        h.append("<h2>Summary</h2><pre>");
        for (String line : printed) {
            h.append(esc(line)).append('\n');
        }
        h.append("</pre>");
        h.append("<h2>Settings</h2><table>");
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number || v instanceof CharSequence || v instanceof Boolean || v instanceof Enum<?>) {
                h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(String.valueOf(v)))
                        .append("</td></tr>");
            }
        }
        h.append("<tr><th>interval</th><td>").append(intervalMs).append(" ms</td></tr></table>");
        for (Phase p : phases) {
            h.append("<h2>").append(esc(p.heading())).append("</h2>");
            h.append("<table><tr><th></th><th>calls</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th>"
                    + "<th>p99.99 ms</th><th>max ms</th><th>mean ms</th><th>distribution</th><th>interval log</th></tr>");
            for (Measure m : List.of(p.fromSchedule(), p.service())) {
                String base = p.name() + "-" + slug(m.label());
                writeHgrm(m.total(), dir.resolve(base + ".hgrm"));
                writeHlog(m.intervals(), intervalMs, startEpochMs.getOrDefault(p.name(), 0L), dir.resolve(base + ".hlog"));
                Histogram t = m.total();
                h.append("<tr><th>").append(esc(m.label())).append("</th><td>").append(t.getTotalCount()).append("</td>");
                for (double q : new double[] {50, 90, 99, 99.9, 99.99}) {
                    h.append("<td>").append(ms(t.getValueAtPercentile(q))).append("</td>");
                }
                h.append("<td>").append(ms(t.getMaxValue())).append("</td><td>").append(ms((long) t.getMean()))
                        .append("</td><td><a href=\"").append(base).append(".hgrm\">").append(base).append(".hgrm</a></td><td><a href=\"")
                        .append(base).append(".hlog\">").append(base).append(".hlog</a></td></tr>");
            }
            h.append("</table>");
            String dist = p.name() + "-percentiles";
            save(distributionChart(p.heading() + ": latency by percentile", List.of(p.fromSchedule(), p.service())),
                    dir.resolve(dist + ".png"));
            h.append(img(dist, p.heading() + " latency by percentile"));
            for (Measure m : List.of(p.fromSchedule(), p.service())) {
                String name = p.name() + "-" + slug(m.label()) + "-over-time";
                save(overTimeChart(p.heading() + ", " + m.label() + ": per " + intervalMs + " ms interval", m.intervals(),
                        intervalMs), dir.resolve(name + ".png"));
                h.append(img(name, p.heading() + " " + m.label() + " over time"));
            }
        }
        h.append("</body></html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, h.toString(), StandardCharsets.UTF_8);
        return index;
    }

    /**
     * Latency against percentile in "nines", x = log10(1 / (1 - percentile)): 0 = p0, 1 = p90, 2 =
     * p99, 3 = p99.9 (a log axis of 1 / (1 - p) with plain tick labels; XChart's custom tick-label
     * function does not work on a log axis).
     */
    static XYChart distributionChart(String title, List<Measure> measures) {
        XYChart c = new XYChartBuilder().width(900).height(450).title(title)
                .xAxisTitle("percentile in nines: 1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99, 5 = p99.999")
                .yAxisTitle("latency (ms)").build();
        c.getStyler().setXAxisMin(0.0);
        c.getStyler().setXAxisDecimalPattern("0.#");
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(4);
        for (Measure m : measures) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            if (m.total().getTotalCount() > 0) {
                for (HistogramIterationValue v : m.total().percentiles(5)) {
                    double p = v.getPercentileLevelIteratedTo();
                    if (p >= 100.0) {
                        break;
                    }
                    xs.add(Math.log10(1.0 / (1.0 - p / 100.0)));
                    ys.add(v.getValueIteratedTo() / NANOS_PER_MS);
                }
            }
            if (xs.isEmpty()) {
                xs.add(0.0);
                ys.add(0.0);
            }
            XYSeries s = c.addSeries(m.label(), xs, ys);
            s.setMarker(SeriesMarkers.NONE);
        }
        return c;
    }

    /** p50, p99 and max of each interval against the interval's end (seconds since the phase began). */
    static XYChart overTimeChart(String title, List<Histogram> intervals, long intervalMs) {
        XYChart c = new XYChartBuilder().width(900).height(450).title(title).xAxisTitle("seconds since the phase began")
                .yAxisTitle("latency (ms)").build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setMarkerSize(5);
        int n = Math.max(1, intervals.size());
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (i + 1) * intervalMs / 1000.0;
        }
        Map<String, ToDoubleFunction<Histogram>> lines = new LinkedHashMap<>();
        lines.put("max", Histogram::getMaxValue);
        lines.put("p99", hi -> hi.getValueAtPercentile(99));
        lines.put("p50", hi -> hi.getValueAtPercentile(50));
        for (Map.Entry<String, ToDoubleFunction<Histogram>> e : lines.entrySet()) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                Histogram hi = i < intervals.size() ? intervals.get(i) : null;
                // an interval in which no call completed is a gap (a stall shows in the next one's max)
                y[i] = hi == null || hi.getTotalCount() == 0 ? Double.NaN : e.getValue().applyAsDouble(hi) / NANOS_PER_MS;
            }
            c.addSeries(e.getKey(), x, y);
        }
        return c;
    }

    private static void writeHgrm(Histogram h, Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
            // values in milliseconds, 5 ticks per half distance: HdrHistogram's usual .hgrm
            h.outputPercentileDistribution(ps, 5, NANOS_PER_MS);
        }
    }

    private static void writeHlog(List<Histogram> intervals, long intervalMs, long startEpochMs, Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("persona4j bench-engine interval histograms: values in nanoseconds, Interval_Max in milliseconds");
            w.outputLogFormatVersion();
            w.outputStartTime(startEpochMs);
            w.outputLegend();
            for (int i = 0; i < intervals.size(); i++) {
                w.outputIntervalHistogram(i * intervalMs / 1000.0, (i + 1) * intervalMs / 1000.0, intervals.get(i), NANOS_PER_MS);
            }
            ps.flush();
        }
    }

    private static void save(XYChart c, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    private static String img(String name, String alt) {
        return "<p><img src=\"" + name + ".png\" alt=\"" + esc(alt) + "\"></p>";
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / NANOS_PER_MS);
    }

    private static String slug(String label) {
        return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
