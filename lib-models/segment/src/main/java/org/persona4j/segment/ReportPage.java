package org.persona4j.segment;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A static HTML report page with PNG charts (XChart, rendered headless) and tables: the machinery
 * behind the segment report ({@link SegmentReport}) and the {@code train --report} and
 * {@code evaluate --report} pages of the CLI. Sections appear in the order they are added;
 * {@link #write} puts {@code report.html} and one PNG per chart into a folder.
 *
 * <pre>{@code
 * ReportPage p = ReportPage.titled("Training");
 * p.lineChart("loss", "Loss per epoch", "epoch", "loss", new double[] {1, 2, 3}, Map.of("loss", new double[] {5.1, 4.2, 3.9}));
 * p.table("Epochs", List.of("epoch", "loss"), List.of(List.of("1", "5.1")));
 * Path html = p.write(Path.of("report"));
 * }</pre>
 */
public final class ReportPage {
    static final String STYLE = "body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
            + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
            + "text-align:left;vertical-align:top}th{background:#f3f3f3}img{max-width:100%}";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final String title;
    private final List<String> notes = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    private sealed interface Section permits Heading, ChartSection, Table {
    }

    private record Heading(String text, String paragraph) implements Section {
    }

    private record ChartSection(String name, String heading, Chart<?, ?> chart) implements Section {
    }

    private record Table(String heading, List<String> header, List<List<String>> rows) implements Section {
    }

    private ReportPage(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /**
     * @param title the page title
     * @return an empty page
     */
    public static ReportPage titled(String title) {
        return new ReportPage(title);
    }

    /**
     * Adds a paragraph under the title.
     *
     * @param line the text (escaped)
     * @return this
     */
    public ReportPage note(String line) {
        notes.add(Objects.requireNonNull(line, "line"));
        return this;
    }

    /**
     * Adds a heading with an optional paragraph.
     *
     * @param text the heading
     * @param paragraph text below it, or null
     * @return this
     */
    public ReportPage heading(String text, String paragraph) {
        sections.add(new Heading(Objects.requireNonNull(text, "text"), paragraph));
        return this;
    }

    /**
     * Adds a line chart: one line per series over the shared x values.
     *
     * @param name the PNG's file name without extension ({@code [a-z0-9_-]}, unique on the page)
     * @param heading the section heading and chart title
     * @param xTitle the x-axis title
     * @param yTitle the y-axis title
     * @param x the x values
     * @param series series name → y values (each as long as {@code x}; NaN leaves a gap)
     * @return this
     * @throws IllegalArgumentException on a bad name, no series, or lengths that differ
     */
    public ReportPage lineChart(String name, String heading, String xTitle, String yTitle, double[] x, Map<String, double[]> series) {
        checkName(name);
        if (series.isEmpty() || x.length == 0) {
            throw new IllegalArgumentException("chart " + name + ": expected at least one series and one x value");
        }
        XYChart c = new XYChartBuilder().width(900).height(450).title(heading).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setMarkerSize(6);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != x.length) {
                throw new IllegalArgumentException("chart " + name + ", series " + e.getKey() + ": " + e.getValue().length
                        + " values for " + x.length + " x values");
            }
            c.addSeries(e.getKey(), x.clone(), e.getValue().clone());
        }
        sections.add(new ChartSection(name, heading, c));
        return this;
    }

    /**
     * Adds a grouped bar chart.
     *
     * @param name the PNG's file name without extension
     * @param heading the section heading and chart title
     * @param xTitle the category axis title
     * @param yTitle the value axis title
     * @param categories the categories (bars per group)
     * @param series series name → one value per category
     * @return this
     * @throws IllegalArgumentException on a bad name, no series, or lengths that differ
     */
    public ReportPage barChart(String name, String heading, String xTitle, String yTitle, List<String> categories,
                               Map<String, double[]> series) {
        checkName(name);
        if (series.isEmpty() || categories.isEmpty()) {
            throw new IllegalArgumentException("chart " + name + ": expected at least one series and one category");
        }
        CategoryChart c = new CategoryChartBuilder().width(900).height(450).title(heading).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setOverlapped(false);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != categories.size()) {
                throw new IllegalArgumentException("chart " + name + ", series " + e.getKey() + ": " + e.getValue().length
                        + " values for " + categories.size() + " categories");
            }
            List<Double> ys = new ArrayList<>();
            for (double v : e.getValue()) {
                ys.add(v);
            }
            c.addSeries(e.getKey(), new ArrayList<>(categories), ys);
        }
        sections.add(new ChartSection(name, heading, c));
        return this;
    }

    /**
     * Adds a table.
     *
     * @param heading the section heading
     * @param header column names
     * @param rows rows of cells (escaped)
     * @return this
     */
    public ReportPage table(String heading, List<String> header, List<List<String>> rows) {
        sections.add(new Table(heading, List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    /**
     * Writes {@code report.html} and the charts' PNGs into {@code dir} (created if needed).
     *
     * @param dir the output folder
     * @return the path of report.html
     * @throws UncheckedIOException when writing fails
     */
    public Path write(Path dir) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are rendered off-screen
        }
        try {
            Files.createDirectories(dir);
            StringBuilder h = new StringBuilder(head(title));
            for (String n : notes) {
                h.append("<p>").append(esc(n)).append("</p>");
            }
            Map<String, Boolean> names = new LinkedHashMap<>();
            for (Section s : sections) {
                if (s instanceof Heading hd) {
                    h.append("<h2>").append(esc(hd.text())).append("</h2>");
                    if (hd.paragraph() != null) {
                        h.append("<p>").append(esc(hd.paragraph())).append("</p>");
                    }
                } else if (s instanceof ChartSection c) {
                    if (names.put(c.name(), true) != null) {
                        throw new IllegalArgumentException("two charts named " + c.name());
                    }
                    save(c.chart(), dir.resolve(c.name() + ".png"));
                    h.append("<h2>").append(esc(c.heading())).append("</h2><img src=\"").append(c.name())
                            .append(".png\" alt=\"").append(esc(c.heading())).append("\">");
                } else if (s instanceof Table t) {
                    h.append("<h2>").append(esc(t.heading())).append("</h2><table><tr>");
                    for (String col : t.header()) {
                        h.append("<th>").append(esc(col)).append("</th>");
                    }
                    h.append("</tr>");
                    for (List<String> r : t.rows()) {
                        h.append("<tr>");
                        for (String cell : r) {
                            h.append("<td>").append(esc(cell)).append("</td>");
                        }
                        h.append("</tr>");
                    }
                    h.append("</table>");
                }
            }
            h.append("</body></html>\n");
            Path out = dir.resolve("report.html");
            Files.writeString(out, h.toString(), StandardCharsets.UTF_8);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("report: cannot write into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("chart name: expected [a-z0-9_-], 1 to 64 characters, was '" + name + "'");
        }
    }

    /** The page's opening HTML up to and including the title heading. */
    static String head(String title) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title><style>" + STYLE
                + "</style></head><body><h1>" + esc(title) + "</h1>";
    }

    /** Writes a chart as PNG. */
    static void save(Chart<?, ?> c, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
