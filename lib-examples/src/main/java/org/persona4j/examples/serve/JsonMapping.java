package org.persona4j.examples.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Reason;
import org.persona4j.core.Recommendation;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;

/**
 * The service's JSON shapes: events in, profiles and recommendations out. Unknown event fields are
 * refused (a typo must not be silently ignored); every error names the field and what was expected.
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
     * @param node one event object
     * @param where where it came from, for messages ("body", "body[3]")
     * @return the event
     * @throws BadInputException naming the field
     */
    public BehaviorEvent event(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new BadInputException(where + ": expected a JSON object, was " + (node == null ? "nothing" : node.getNodeType()));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!EVENT_FIELDS.contains(f)) {
                throw new BadInputException(where + ": unknown field '" + f + "', expected one of " + EVENT_FIELDS);
            }
        }
        String user = text(node, "userId", where, true);
        String type = text(node, "type", where, true);
        EventType t;
        try {
            t = EventType.parse(type);
        } catch (RuntimeException ex) {
            throw new BadInputException(where + ": field 'type': " + ex.getMessage());
        }
        long ts = timestamp(node.get("timestamp"), where);
        BehaviorEvent.Builder b = BehaviorEvent.builder(user, text(node, "itemId", where, false), t, ts);
        String s = text(node, "sessionId", where, false);
        if (s != null) {
            b.session(s);
        }
        s = text(node, "query", where, false);
        if (s != null) {
            b.query(s);
        }
        s = text(node, "reviewText", where, false);
        if (s != null) {
            b.reviewText(s);
        }
        if (node.hasNonNull("rating")) {
            b.rating(number(node, "rating", where));
        }
        if (node.hasNonNull("price")) {
            b.price(number(node, "price", where));
        }
        if (node.hasNonNull("dwellMs")) {
            b.dwellMillis((long) number(node, "dwellMs", where));
        }
        if (node.hasNonNull("quantity")) {
            b.quantity((int) number(node, "quantity", where));
        }
        try {
            return b.build();
        } catch (BadInputException ex) {
            throw new BadInputException(where + ": " + ex.getMessage());
        }
    }

    private static String text(JsonNode node, String field, String where, boolean required) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadInputException(where + ": field '" + field + "': required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new BadInputException(where + ": field '" + field + "': expected a string, was " + v.getNodeType());
        }
        return v.asText();
    }

    private static double number(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            throw new BadInputException(where + ": field '" + field + "': expected a number, was " + v.getNodeType());
        }
        return v.asDouble();
    }

    private static long timestamp(JsonNode v, String where) {
        if (v == null || v.isNull()) {
            throw new BadInputException(where + ": field 'timestamp': required (ISO-8601 instant or epoch milliseconds)");
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isTextual()) {
            try {
                return Instant.parse(v.asText()).toEpochMilli();
            } catch (DateTimeParseException ex) {
                throw new BadInputException(where + ": field 'timestamp': expected an ISO-8601 instant such as "
                        + "2026-11-22T10:00:00Z, was '" + v.asText() + "'");
            }
        }
        throw new BadInputException(where + ": field 'timestamp': expected an ISO-8601 string or epoch milliseconds, was "
                + v.getNodeType());
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
