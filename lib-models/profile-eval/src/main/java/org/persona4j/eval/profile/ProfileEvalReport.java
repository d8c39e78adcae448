package org.persona4j.eval.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The result of a profile evaluation: the split, one {@link ScorerResult} per scorer and the notes
 * that say why a measure is missing. Renders as a text table, JSON and a self-contained HTML page
 * with reliability plots (inline SVG).
 *
 * @param dataset the data set's name
 * @param protocol "temporal" or "leave-last-out"
 * @param cutoffMillis the cutoff T, -1 for leave-last-out
 * @param config the settings
 * @param users users in the data
 * @param cases users scored
 * @param skipped users skipped (no history before T, or one event under leave-last-out)
 * @param purchasers cases that bought within the horizon
 * @param churners cases that churned
 * @param withNextCategory cases with a next category
 * @param notes why measures are n/a
 * @param rows one per scorer
 * @param sentiment the rating-polarity block, null when the data has no ratings (or no rated target)
 */
public record ProfileEvalReport(String dataset, String protocol, long cutoffMillis, ProfileEvalConfig config, int users,
                                int cases, int skipped, int purchasers, int churners, int withNextCategory,
                                List<String> notes, List<ScorerResult> rows, SentimentResult sentiment) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"};

    /** Copies the lists. */
    public ProfileEvalReport {
        notes = List.copyOf(notes);
        rows = List.copyOf(rows);
    }

    /** A report without the rating-polarity block (the constructor before it existed). */
    public ProfileEvalReport(String dataset, String protocol, long cutoffMillis, ProfileEvalConfig config, int users,
                             int cases, int skipped, int purchasers, int churners, int withNextCategory,
                             List<String> notes, List<ScorerResult> rows) {
        this(dataset, protocol, cutoffMillis, config, users, cases, skipped, purchasers, churners, withNextCategory, notes,
                rows, null);
    }

    /** @return one line on the split */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "dataset %s, protocol %s", dataset, protocol));
        if (cutoffMillis >= 0) {
            sb.append(String.format(Locale.ROOT, ", cutoff T = %s (last event - max(H=%d, N=%d) days)",
                    Instant.ofEpochMilli(cutoffMillis), config.horizonDays(), config.churnDays()));
        }
        sb.append(String.format(Locale.ROOT, "; %,d users, %,d scored, %,d skipped (%s)", users, cases, skipped,
                cutoffMillis >= 0 ? "no history before T" : "fewer than two events"));
        if (cutoffMillis >= 0) {
            sb.append(String.format(Locale.ROOT, "; bought within %d d: %,d; churned (no event within %d d): %,d",
                    config.horizonDays(), purchasers, config.churnDays(), churners));
        }
        sb.append(String.format(Locale.ROOT, "; with a next category (%s): %,d", config.level(), withNextCategory));
        return sb.toString();
    }

    /** @return the table: one row per scorer, n/a where not measured, then the notes */
    public String toTable() {
        int k = config.k();
        String[] head = {"scorer", "purch AUC", "PR-AUC", "Brier", "ECE", "churn AUC", "churn ECE", "cat HR@" + k,
            "NDCG@" + k, "cat AUC"};
        int w0 = 20;
        for (ScorerResult r : rows) {
            w0 = Math.max(w0, r.scorer().length());
        }
        StringBuilder sb = new StringBuilder();
        sb.append(summary()).append('\n');
        sb.append(String.format(Locale.ROOT, "%-" + w0 + "s", head[0]));
        for (int i = 1; i < head.length; i++) {
            sb.append(String.format(Locale.ROOT, " %10s", head[i]));
        }
        sb.append('\n');
        for (ScorerResult r : rows) {
            sb.append(String.format(Locale.ROOT, "%-" + w0 + "s", r.scorer()));
            BinaryMetrics p = r.purchase();
            BinaryMetrics c = r.churn();
            CategoryMetrics g = r.category();
            for (double v : new double[] {p == null ? Double.NaN : p.rocAuc(), p == null ? Double.NaN : p.prAuc(),
                p == null ? Double.NaN : p.brier(), p == null ? Double.NaN : p.ece(), c == null ? Double.NaN : c.rocAuc(),
                c == null ? Double.NaN : c.ece(), g == null ? Double.NaN : g.hitRate(), g == null ? Double.NaN : g.ndcg(),
                g == null ? Double.NaN : g.meanCategoryAuc()}) {
                sb.append(String.format(Locale.ROOT, " %10s", fmt(v)));
            }
            sb.append('\n');
        }
        for (ScorerResult r : rows) {
            if (!r.note().isEmpty()) {
                sb.append("note (").append(r.scorer()).append("): ").append(r.note()).append('\n');
            }
        }
        sb.append(sentimentTable());
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    /** @return the rating-polarity block (empty without one) */
    public String sentimentTable() {
        if (sentiment == null) {
            return "";
        }
        SentimentResult s = sentiment;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sentiment: %s; %,d cases, %,d positive (%s); fitted on %,d history ratings%n",
                s.target(), s.cases(), s.positives(), fmt(s.positiveRate()), s.trainingRatings()));
        int w0 = 26;
        sb.append(String.format(Locale.ROOT, "  %-" + w0 + "s %10s %10s%n", "polarity score", "AUC", "Brier"));
        for (SentimentResult.Row r : s.rows()) {
            sb.append(String.format(Locale.ROOT, "  %-" + w0 + "s %10s %10s%n", r.name(), fmt(r.rocAuc()), fmt(r.brier())));
        }
        return sb.toString();
    }

    /** @return the report as JSON (every metric, reliability tables included; NaN as null) */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("dataset", dataset);
        root.put("protocol", protocol);
        if (cutoffMillis >= 0) {
            root.put("cutoff", Instant.ofEpochMilli(cutoffMillis).toString());
            root.put("cutoffMillis", cutoffMillis);
        }
        ObjectNode cfg = root.putObject("config");
        cfg.put("horizonDays", config.horizonDays());
        cfg.put("churnDays", config.churnDays());
        cfg.put("categoryLevel", config.level().toString());
        cfg.put("k", config.k());
        cfg.put("bins", config.bins());
        cfg.put("seed", config.seed());
        cfg.put("anchorAtLastEvent", config.anchorAtLastEvent());
        root.put("users", users);
        root.put("cases", cases);
        root.put("skippedNoHistory", skipped);
        root.put("purchasers", purchasers);
        root.put("churners", churners);
        root.put("withNextCategory", withNextCategory);
        ArrayNode ns = root.putArray("notes");
        notes.forEach(ns::add);
        ArrayNode rs = root.putArray("scorers");
        for (ScorerResult r : rows) {
            ObjectNode o = rs.addObject();
            o.put("name", r.scorer());
            o.put("description", r.description());
            binary(o, "purchase", r.purchase());
            binary(o, "churn", r.churn());
            CategoryMetrics g = r.category();
            if (g == null) {
                o.putNull("category");
            } else {
                ObjectNode c = o.putObject("category");
                c.put("cases", g.cases());
                c.put("k", g.k());
                num(c, "hitRate", g.hitRate());
                num(c, "ndcg", g.ndcg());
                num(c, "meanCategoryAuc", g.meanCategoryAuc());
                c.put("categories", g.categories());
            }
            o.put("note", r.note());
        }
        if (sentiment == null) {
            root.putNull("sentiment");
        } else {
            ObjectNode so = root.putObject("sentiment");
            so.put("target", sentiment.target());
            so.put("cases", sentiment.cases());
            so.put("positives", sentiment.positives());
            num(so, "positiveRate", sentiment.positiveRate());
            so.put("trainingRatings", sentiment.trainingRatings());
            so.put("prior", sentiment.prior());
            ArrayNode sr = so.putArray("scores");
            for (SentimentResult.Row r : sentiment.rows()) {
                ObjectNode e = sr.addObject();
                e.put("name", r.name());
                e.put("description", r.description());
                num(e, "rocAuc", r.rocAuc());
                num(e, "brier", r.brier());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a self-contained HTML page: the table, and per binary target a reliability plot and table */
    public String toHtml() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>persona4j profile evaluation: ")
                .append(esc(dataset)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "td:first-child,th:first-child{text-align:left}</style></head><body>\n");
        sb.append("<h1>Profile evaluation: ").append(esc(dataset)).append("</h1>\n<p>").append(esc(summary())).append("</p>\n");
        sb.append("<pre>").append(esc(toTable())).append("</pre>\n");
        for (String target : new String[] {"purchase", "churn"}) {
            boolean any = rows.stream().anyMatch(r -> metrics(r, target) != null);
            if (!any) {
                continue;
            }
            sb.append("<h2>Reliability: ").append(target).append("</h2>\n");
            sb.append(svg(target));
            sb.append("<table><tr><th>scorer</th><th>bin</th><th>count</th><th>mean predicted</th><th>observed</th></tr>\n");
            for (ScorerResult r : rows) {
                BinaryMetrics m = metrics(r, target);
                if (m == null) {
                    continue;
                }
                for (ReliabilityBin b : m.reliability()) {
                    sb.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>[%.1f, %.1f)</td><td>%d</td><td>%s</td><td>%s</td></tr>%n",
                            esc(r.scorer()), b.lower(), b.upper(), b.count(), fmt(b.meanPredicted()), fmt(b.observedRate())));
                }
            }
            sb.append("</table>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private String svg(String target) {
        int size = 360;
        int pad = 40;
        double span = size - 2 * pad;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n",
                size + 200, size));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>%n",
                pad, pad, span, span));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%d\" stroke=\"#bbb\" stroke-dasharray=\"4\"/>%n",
                pad, pad + span, pad + span, pad));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\">mean predicted</text>%n",
                pad + span / 2, size - 8));
        sb.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.0f\" font-size=\"12\" transform=\"rotate(-90 12 %.0f)\""
                + " text-anchor=\"middle\">observed rate</text>%n", pad + span / 2, pad + span / 2));
        int ci = 0;
        for (ScorerResult r : rows) {
            BinaryMetrics m = metrics(r, target);
            if (m == null) {
                continue;
            }
            String color = COLORS[ci++ % COLORS.length];
            StringBuilder pts = new StringBuilder();
            for (ReliabilityBin b : m.reliability()) {
                if (b.count() == 0) {
                    continue;
                }
                double x = pad + b.meanPredicted() * span;
                double y = pad + (1 - b.observedRate()) * span;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, color));
            }
            sb.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\"/>%n", pts.toString().trim(), color));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s (ECE %s)</text>%n",
                    size, pad + 16 * ci, color, esc(r.scorer()), fmt(m.ece())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static BinaryMetrics metrics(ScorerResult r, String target) {
        return target.equals("purchase") ? r.purchase() : r.churn();
    }

    private static void binary(ObjectNode o, String name, BinaryMetrics m) {
        if (m == null) {
            o.putNull(name);
            return;
        }
        ObjectNode b = o.putObject(name);
        b.put("cases", m.cases());
        b.put("positives", m.positives());
        num(b, "rocAuc", m.rocAuc());
        num(b, "prAuc", m.prAuc());
        num(b, "brier", m.brier());
        num(b, "ece", m.ece());
        ArrayNode rel = b.putArray("reliability");
        for (ReliabilityBin r : m.reliability()) {
            ObjectNode e = rel.addObject();
            e.put("lower", r.lower());
            e.put("upper", r.upper());
            e.put("count", r.count());
            num(e, "meanPredicted", r.meanPredicted());
            num(e, "observedRate", r.observedRate());
        }
    }

    private static void num(ObjectNode o, String name, double v) {
        if (Double.isFinite(v)) {
            o.put(name, v);
        } else {
            o.putNull(name);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
