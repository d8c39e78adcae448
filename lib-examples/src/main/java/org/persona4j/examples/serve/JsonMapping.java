package org.persona4j.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventRules;
import org.persona4j.core.EventType;
import org.persona4j.core.Reason;
import org.persona4j.core.Recommendation;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;

/**
 * The service's JSON shapes: events in, profiles and recommendations out. Unknown event fields are
 * refused (a typo must not be silently ignored); every error names where (the body index), the
 * field and what was expected. Event values obey {@link EventRules}, the same rules as the file readers.
 */
public final class JsonMapping {
    /** The fields an event may carry. */
    public static final Set<String> EVENT_FIELDS = Set.of("userId", "itemId", "type", "timestamp", "sessionId", "query",
            "rating", "dwellMs", "quantity", "price", "reviewText");

    private final ObjectMapper mapper = new ObjectMapper();

    /** @return the shared, thread-safe mapper */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Reads one event. Every value goes through {@link EventRules}, the rules the file readers and
     * {@link BehaviorEvent.Builder#build()} apply, so the service accepts exactly what the readers
     * accept: timestamps from 1970-01-01 to 9999-12-31 (epoch milliseconds as a JSON number, or an
     * ISO-8601 string), a quantity that is a whole number from 1 to 2147483647, a dwell time of whole
     * milliseconds from 0 to 365 days, finite non-negative rating and price, ids without control
     * characters. Numbers are converted exactly (never cast, so {@code 4294967297} or {@code 0.5}
     * cannot become another quantity). Values echoed in messages are cut and escaped
     * ({@link EventRules#snippet(CharSequence)}).
     *
     * @param node one event object
     * @param where where it came from, for messages ("body", "body[3]")
     * @return the event
     * @throws BadInputException whose {@link BadInputException#source()} is {@code where} and whose
     *     {@link BadInputException#field()} names the field, with what was expected
     */
    public BehaviorEvent event(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new BadInputException(where + ": expected a JSON object, was " + (node == null ? "nothing" : node.getNodeType()));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!EVENT_FIELDS.contains(f)) {
                throw new BadInputException(where, -1, EventRules.snippet(f).replace("\"", ""),
                        "unknown field, expected one of " + new TreeSet<>(EVENT_FIELDS));
            }
        }
        try {
            String user = text(node, "userId", true);
            String type = text(node, "type", true);
            EventType t = EventType.parseOrNull(type);
            if (t == null) {
                throw new BadInputException(null, -1, "type", "expected one of " + java.util.Arrays.toString(EventType.values())
                        + " or an alias (pv, cart, buy, fav, ...), was " + EventRules.snippet(type));
            }
            long ts = timestamp(node.get("timestamp"));
            BehaviorEvent.Builder b = BehaviorEvent.builder(user, text(node, "itemId", false), t, ts);
            String s = text(node, "sessionId", false);
            if (s != null) {
                b.session(s);
            }
            s = text(node, "query", false);
            if (s != null) {
                b.query(s);
            }
            s = text(node, "reviewText", false);
            if (s != null) {
                b.reviewText(s);
            }
            if (node.hasNonNull("rating")) {
                double v = number(node.get("rating"), "rating").doubleValue();
                EventRules.require(EventRules.checkRating("rating", v));
                b.rating(v);
            }
            if (node.hasNonNull("price")) {
                double v = number(node.get("price"), "price").doubleValue();
                EventRules.require(EventRules.checkPrice("price", v));
                b.price(v);
            }
            if (node.hasNonNull("dwellMs")) {
                b.dwellMillis(EventRules.dwellMillis("dwellMs", number(node.get("dwellMs"), "dwellMs")));
            }
            if (node.hasNonNull("quantity")) {
                b.quantity(EventRules.quantity("quantity", number(node.get("quantity"), "quantity")));
            }
            return b.build();
        } catch (BadInputException ex) {
            throw ex.source() == null ? new BadInputException(where, -1, ex.field(), ex.reason()) : ex;
        }
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadInputException(null, -1, field, "required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadInputException(null, -1, field, "expected a string, was " + v.getNodeType());
        }
        return v.asText();
    }

    /** @return the JSON number exactly (a double as its exact decimal value) */
    private static BigDecimal number(JsonNode v, String field) {
        if (!v.isNumber()) {
            throw new BadInputException(null, -1, field, "expected a number, was " + v.getNodeType());
        }
        if ((v.isDouble() || v.isFloat()) && !Double.isFinite(v.doubleValue())) {
            throw new BadInputException(null, -1, field, "expected a finite number, was " + v.doubleValue());
        }
        return v.decimalValue();
    }

    private static long timestamp(JsonNode v) {
        String expected = "epoch milliseconds (a JSON number) or an ISO-8601 string such as 2026-11-22T10:00:00Z";
        if (v == null || v.isNull()) {
            throw new BadInputException(null, -1, "timestamp", "required: " + expected);
        }
        if (v.isNumber()) {
            return EventRules.timestampMillis("timestamp", number(v, "timestamp"));
        }
        if (v.isTextual()) {
            String t = v.asText().trim();
            long ms = EventRules.parseIsoMillis(t);
            if (ms == Long.MIN_VALUE) {
                throw new BadInputException(null, -1, "timestamp", "expected " + expected + ", was " + EventRules.snippet(t));
            }
            EventRules.Violation x = EventRules.checkTimestamp("timestamp", ms);
            if (x != null) {
                throw x.withFound(EventRules.snippet(t)).exception();
            }
            return ms;
        }
        throw new BadInputException(null, -1, "timestamp", "expected " + expected + ", was " + v.getNodeType());
    }

    /** @param p a profile @return its JSON form */
    public ObjectNode profile(UserProfile p) {
        ObjectNode o = mapper.createObjectNode();
        o.put("userId", p.userId());
        ArrayNode emb = o.putArray("embedding");
        for (float f : p.embedding()) {
            emb.add(f);
        }
        ArrayNode longTerm = o.putArray("longTermEmbedding"); // [] for a user with no events or a model without one
        for (float f : p.longTermEmbedding()) {
            longTerm.add(f);
        }
        putMap(o.putObject("interests"), p.interests());
        putMap(o.putObject("propensities"), p.propensities());
        putMap(o.putObject("features"), p.features());
        ArrayNode tags = o.putArray("tags");
        for (Tag t : p.tags()) {
            ObjectNode to = tags.addObject();
            to.put("id", t.id());
            to.put("text", t.text());
            to.put("weight", t.weight());
            ObjectNode ev = to.putObject("evidence");
            t.evidence().forEach(ev::put);
        }
        ObjectNode seg = o.putObject("segments");
        p.segments().forEach(seg::put);
        o.put("eventCount", p.eventCount());
        o.put("updatedAt", p.updatedAt().toString());
        o.put("modelVersion", p.modelVersion());
        return o;
    }

    /** @param recs recommendations @return their JSON array */
    public ArrayNode recommendations(List<Recommendation> recs) {
        ArrayNode a = mapper.createArrayNode();
        for (Recommendation r : recs) {
            ObjectNode o = a.addObject();
            o.put("itemId", r.itemId());
            o.put("score", r.score());
            ArrayNode rs = o.putArray("reasons");
            for (Reason reason : r.reasons()) {
                ObjectNode ro = rs.addObject();
                ro.put("kind", reason.kind().name());
                ro.put("text", reason.text());
                ObjectNode ev = ro.putObject("evidence");
                reason.evidence().forEach(ev::put);
            }
        }
        return a;
    }

    private static void putMap(ObjectNode o, Map<String, Double> m) {
        m.forEach(o::put);
    }
}
