package org.persona4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of several recommenders on one data set and protocol, as a printed table and JSON:
 * {@code {"dataset": {"name", "users", "items", "events"}, "protocol", "results": [{"recommender",
 * "metrics": {...}, "cases", "full_ranking", "train_seconds", "eval_seconds"}]}}.
 *
 * @param dataset the data set's name
 * @param users distinct users
 * @param items distinct items
 * @param events events
 * @param protocol the protocol description
 * @param results one result per recommender
 */
public record EvalReport(String dataset, long users, long items, long events, String protocol, List<EvalResult> results) {
    /** Copies. */
    public EvalReport {
        results = List.copyOf(results);
    }

    /**
     * @param columns the metric columns to print
     * @return an aligned text table, one row per recommender
     */
    public String toTable(List<String> columns) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-14s", "recommender"));
        for (String c : columns) {
            sb.append(String.format(Locale.ROOT, " %11s", c));
        }
        sb.append(String.format(Locale.ROOT, " %9s %9s%n", "train s", "eval s"));
        for (EvalResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-14s", r.recommender()));
            for (String c : columns) {
                Double v = r.metrics().get(c);
                sb.append(String.format(Locale.ROOT, " %11s", v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.4f", v)));
            }
            sb.append(String.format(Locale.ROOT, " %9.1f %9.1f%n", r.trainSeconds(), r.evalSeconds()));
        }
        return sb.toString();
    }

    /** @return the report as JSON (NaN values as null) */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n  \"dataset\": {");
        sb.append("\"name\": ").append(str(dataset)).append(", \"users\": ").append(users).append(", \"items\": ")
                .append(items).append(", \"events\": ").append(events).append("},\n");
        sb.append("  \"protocol\": ").append(str(protocol)).append(",\n  \"results\": [");
        List<String> rs = new ArrayList<>();
        for (EvalResult r : results) {
            StringBuilder x = new StringBuilder("\n    {\"recommender\": ").append(str(r.recommender())).append(", \"metrics\": {");
            List<String> ms = new ArrayList<>();
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                ms.add(str(m.getKey()) + ": " + num(m.getValue()));
            }
            x.append(String.join(", ", ms)).append("}, \"cases\": ").append(r.cases()).append(", \"full_ranking\": ")
                    .append(r.fullRanking()).append(", \"train_seconds\": ").append(num(r.trainSeconds()))
                    .append(", \"eval_seconds\": ").append(num(r.evalSeconds())).append('}');
            rs.add(x.toString());
        }
        sb.append(String.join(",", rs)).append("\n  ]\n}\n");
        return sb.toString();
    }

    private static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.6f", v);
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
