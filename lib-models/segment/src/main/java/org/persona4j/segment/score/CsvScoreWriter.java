package org.persona4j.segment.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.persona4j.core.Tag;

/** {@link ScoreWriter.Format#CSV}; see {@link ScoreWriter} for the columns. */
final class CsvScoreWriter implements ScoreWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** The columns appended after {@code long_term_embedding}. */
    static final String SENTIMENT_COLUMNS = ",sentiment,sentiment_ratings,sentiment_by_category";
    private final Writer out;
    private List<String> propensities;
    private final StringWriter cell = new StringWriter();
    private final StringBuilder line = new StringBuilder(1024);

    CsvScoreWriter(Writer out) {
        this.out = out;
    }

    @Override
    public void write(ScoredUser r) throws IOException {
        if (propensities == null) {
            propensities = new ArrayList<>(r.propensities().keySet());
            line.setLength(0);
            line.append("user_id,events,last_event_at");
            for (String p : propensities) {
                line.append(',').append(quote(p));
            }
            line.append(",churn_source,segment,value_group,interests,tags,embedding,long_term_embedding").append(SENTIMENT_COLUMNS)
                    .append('\n');
            out.write(line.toString());
        } else if (!r.propensities().keySet().equals(new java.util.HashSet<>(propensities))) {
            throw new IllegalStateException("CSV scores: user " + r.userId() + " has the propensities " + r.propensities().keySet()
                    + ", the header has " + propensities + " (rows of one model have the same)");
        }
        line.setLength(0);
        line.append(quote(r.userId())).append(',').append(r.eventCount()).append(',');
        if (r.lastEventMillis() >= 0) {
            line.append(Instant.ofEpochMilli(r.lastEventMillis()));
        }
        for (String p : propensities) {
            line.append(',').append(r.propensities().get(p));
        }
        line.append(',').append(nz(r.churnSource())).append(',').append(quote(nz(r.segment()))).append(',')
                .append(quote(nz(r.valueGroup())));
        line.append(',').append(quote(json(r, 0))).append(',').append(quote(json(r, 1))).append(',')
                .append(quote(json(r, 2))).append(',').append(quote(json(r, 3)));
        // the sentiment columns: empty without a rating polarity
        line.append(',');
        if (r.hasSentiment()) {
            line.append(r.sentiment());
        }
        line.append(',').append(r.sentimentRatings()).append(',').append(quote(json(r, 4))).append('\n');
        out.write(line.toString());
    }

    /** part: 0 interests, 1 tag ids, 2 embedding, 3 long-term embedding, 4 sentiment by category. */
    private String json(ScoredUser r, int part) throws IOException {
        cell.getBuffer().setLength(0);
        try (JsonGenerator g = FACTORY.createGenerator(cell)) {
            switch (part) {
                case 0 -> {
                    g.writeStartObject();
                    for (Map.Entry<String, Double> e : r.interests().entrySet()) {
                        g.writeNumberField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                }
                case 4 -> JsonLinesScoreWriter.categorySentiments(g, r);
                case 1 -> {
                    g.writeStartArray();
                    for (Tag t : r.tags()) {
                        g.writeString(t.id());
                    }
                    g.writeEndArray();
                }
                default -> {
                    g.writeStartArray();
                    for (float x : part == 2 ? r.embedding() : r.longTermEmbedding()) {
                        g.writeNumber(x);
                    }
                    g.writeEndArray();
                }
            }
        }
        return cell.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static String quote(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + s.replace("\"", "\"\"") + '"';
            }
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        if (propensities == null) {
            out.write("user_id,events,last_event_at,churn_source,segment,value_group,interests,tags,embedding,long_term_embedding"
                    + SENTIMENT_COLUMNS + "\n");
        }
        out.close();
    }
}
