package org.persona4j.segment.score;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Map;
import org.persona4j.core.Tag;

/** {@link ScoreWriter.Format#JSON_LINES}; see {@link ScoreWriter} for the row. */
final class JsonLinesScoreWriter implements ScoreWriter {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.FLUSH_PASSED_TO_STREAM).build();
    private final JsonGenerator gen;

    JsonLinesScoreWriter(Writer out) {
        try {
            this.gen = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void write(ScoredUser r) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("userId", r.userId());
        gen.writeNumberField("events", r.eventCount());
        if (r.lastEventMillis() >= 0) {
            gen.writeStringField("lastEventAt", Instant.ofEpochMilli(r.lastEventMillis()).toString());
        } else {
            gen.writeNullField("lastEventAt");
        }
        gen.writeObjectFieldStart("propensities");
        for (Map.Entry<String, Double> e : r.propensities().entrySet()) {
            gen.writeNumberField(e.getKey(), e.getValue());
        }
        gen.writeEndObject();
        gen.writeStringField("churnSource", r.churnSource());
        floats(gen, "embedding", r.embedding());
        floats(gen, "longTermEmbedding", r.longTermEmbedding());
        gen.writeArrayFieldStart("interests");
        for (Map.Entry<String, Double> e : r.interests().entrySet()) {
            gen.writeStartObject();
            gen.writeStringField("name", e.getKey());
            gen.writeNumberField("score", e.getValue());
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeArrayFieldStart("tags");
        for (Tag t : r.tags()) {
            gen.writeStartObject();
            gen.writeStringField("id", t.id());
            gen.writeStringField("text", t.text());
            gen.writeNumberField("weight", t.weight());
            gen.writeObjectFieldStart("evidence");
            for (Map.Entry<String, String> e : t.evidence().entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
            gen.writeEndObject();
        }
        gen.writeEndArray();
        gen.writeStringField("segment", r.segment());
        gen.writeStringField("valueGroup", r.valueGroup());
        if (r.hasSentiment()) {
            gen.writeNumberField("sentiment", r.sentiment());
        } else {
            gen.writeNullField("sentiment");
        }
        gen.writeNumberField("sentimentRatings", r.sentimentRatings());
        gen.writeFieldName("sentimentByCategory");
        categorySentiments(gen, r);
        gen.writeEndObject();
        gen.writeRaw('\n');
    }

    /** Writes {@link ScoredUser#sentimentByCategory()} as an array of {category, polarity, ratings} objects. */
    static void categorySentiments(JsonGenerator g, ScoredUser r) throws IOException {
        g.writeStartArray();
        for (ScoredUser.CategorySentiment c : r.sentimentByCategory()) {
            g.writeStartObject();
            g.writeStringField("category", c.category());
            g.writeNumberField("polarity", c.polarity());
            g.writeNumberField("ratings", c.ratings());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    static void floats(JsonGenerator g, String field, float[] v) throws IOException {
        g.writeArrayFieldStart(field);
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    @Override
    public void close() throws IOException {
        gen.close(); // AUTO_CLOSE_TARGET: closes the writer
    }
}
