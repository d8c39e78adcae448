package org.persona4j.io;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.persona4j.core.BadInputException;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.UserAttributes;

/**
 * Readers for the side files next to an events file: {@code items.csv} and {@code users.csv}
 * (events-csv), RecBole {@code .item} and {@code .user}, and S3-Rec {@code *_item2attributes.json}.
 * Bad rows follow the same strict / lenient rules as events, counted under the file's name.
 */
final class SideFiles {
    private SideFiles() {
    }

    /** One table row: the header and the current record. */
    private interface Row {
        void accept(List<String> header, RecordReader r);
    }

    private static void table(Path file, byte delim, boolean quoting, boolean recboleHeader, Problems problems,
                              String required, Row row) {
        String source = file.toString();
        String prefix = file.getFileName() + ": ";
        try (RecordReader r = new RecordReader(Inputs.open(file, null), source, delim, quoting)) {
            if (!r.next()) {
                throw new BadInputException(source, 1, null, "empty file: expected a header with the column " + required);
            }
            if (r.syntaxError() != null || r.encodingError() != null) {
                throw new BadInputException(source, 1, null, "malformed header: "
                        + Problems.safe(r.syntaxError() != null ? r.syntaxError() : r.encodingError()));
            }
            List<String> header;
            if (recboleHeader) {
                header = new RecBoleHeader(r, source).names;
            } else {
                header = new Header(r).names;
            }
            if (header.stream().noneMatch(required::equalsIgnoreCase)) {
                throw new BadInputException(source, 1, required, "column missing from the header " + Header.show(header));
            }
            while (r.next()) {
                if (r.isBlankLine()) {
                    problems.blank(prefix);
                    continue;
                }
                try {
                    if (r.syntaxError() != null) {
                        throw new RowError(null, "malformed CSV", r.syntaxError());
                    }
                    if (r.encodingError() != null) {
                        throw new RowError(null, "invalid UTF-8", r.encodingError());
                    }
                    if (r.fieldCount() != header.size()) {
                        throw new RowError(null, "wrong number of columns", "expected " + header.size()
                                + " columns as in the header, found " + r.fieldCount());
                    }
                    row.accept(header, r);
                } catch (RowError e) {
                    problems.bad(source, r.line(), e, prefix);
                } catch (BadInputException e) {
                    problems.bad(source, r.line(), new RowError(e.field(), "invalid value", e.reason()), prefix);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static double price(RecordReader r, int i, String field) {
        if (Fields.isBlank(r.buf, r.start(i), r.end(i))) {
            return Double.NaN;
        }
        double v = Fields.parseDouble(r.buf, r.start(i), r.end(i), field);
        if (v < 0) {
            throw new RowError(field, "out of range", "expected a price >= 0, was " + v);
        }
        return v;
    }

    private static int age(RecordReader r, int i, String field) {
        if (Fields.isBlank(r.buf, r.start(i), r.end(i))) {
            return -1;
        }
        long v = Fields.parseLong(r.buf, r.start(i), r.end(i), field);
        if (v < -1 || v > 150) {
            throw new RowError(field, "out of range", "expected an age 0..150, or -1 or empty for unknown, was " + v);
        }
        return (int) v;
    }

    private static String requiredId(RecordReader r, int i, String field) {
        String v = r.string(i).trim();
        if (v.isEmpty()) {
            throw new RowError(field, "empty", "expected an id, the cell is empty");
        }
        return v;
    }

    /** {@code items.csv}: item_id,category_path,brand,price,title,description; other columns become attributes. */
    static void itemsCsv(Path file, Problems problems, Consumer<Item> out) {
        table(file, (byte) ',', true, false, problems, "item_id", (h, r) -> {
            String id = null;
            List<String> path = List.of();
            String brand = null;
            double price = Double.NaN;
            String title = null;
            String description = null;
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < h.size(); i++) {
                String name = h.get(i).toLowerCase(java.util.Locale.ROOT);
                switch (name) {
                    case "item_id": id = requiredId(r, i, "item_id"); break;
                    case "category_path": path = Item.parseCategoryPath(r.string(i)); break;
                    case "brand": brand = r.string(i); break;
                    case "price": price = price(r, i, "price"); break;
                    case "title": title = r.string(i); break;
                    case "description": description = r.string(i); break;
                    default:
                        if (!r.isEmpty(i)) {
                            attrs.put(h.get(i), r.string(i));
                        }
                }
            }
            out.accept(new Item(id, path, brand, price, title, description, attrs));
        });
    }


    /** {@code users.csv}: user_id,age,gender,region,occupation; other columns become attributes. */
    static void usersCsv(Path file, Problems problems, Consumer<UserAttributes> out) {
        table(file, (byte) ',', true, false, problems, "user_id", (h, r) -> users(h, r, out, "region"));
    }

    private static void users(List<String> h, RecordReader r, Consumer<UserAttributes> out, String regionColumn) {
        String id = null;
        int age = -1;
        String gender = null;
        String region = null;
        String occupation = null;
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < h.size(); i++) {
            String name = h.get(i).toLowerCase(java.util.Locale.ROOT);
            if (name.equals("user_id")) {
                id = requiredId(r, i, "user_id");
            } else if (name.equals("age")) {
                age = age(r, i, "age");
            } else if (name.equals("gender")) {
                gender = r.string(i);
            } else if (name.equals(regionColumn)) {
                region = r.string(i);
            } else if (name.equals("occupation")) {
                occupation = r.string(i);
            } else if (!r.isEmpty(i)) {
                attrs.put(h.get(i), r.string(i));
            }
        }
        out.accept(new UserAttributes(id, age, gender, region, occupation, attrs));
    }

    /** RecBole {@code .user}: user_id, age, gender, occupation, zip_code (as the region); others become attributes. */
    static void recboleUsers(Path file, Problems problems, Consumer<UserAttributes> out) {
        table(file, (byte) '\t', false, true, problems, "user_id", (h, r) -> users(h, r, out, "zip_code"));
    }

    /**
     * RecBole {@code .item}: item_id; a title column ({@code movie_title} or {@code title}) becomes the
     * title, {@code brand} the brand, {@code price} the price; the first token of a genre column
     * ({@code class}, {@code genre}, {@code categories}) becomes a one-level category path, and every
     * other non-empty column (the full genre list included) becomes an attribute.
     */
    static void recboleItems(Path file, Problems problems, Consumer<Item> out) {
        table(file, (byte) '\t', false, true, problems, "item_id", (h, r) -> {
            String id = null;
            List<String> path = List.of();
            String brand = null;
            double price = Double.NaN;
            String title = null;
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < h.size(); i++) {
                String name = h.get(i);
                switch (name) {
                    case "item_id": id = requiredId(r, i, "item_id"); break;
                    case "movie_title": case "title": title = r.string(i); break;
                    case "brand": brand = r.string(i); break;
                    case "price": price = price(r, i, "price"); break;
                    default:
                        if (!r.isEmpty(i)) {
                            String v = r.string(i);
                            attrs.put(name, v);
                            if (path.isEmpty() && (name.equals("class") || name.equals("genre") || name.equals("categories"))) {
                                String first = v.trim().split("\\s+")[0];
                                if (!first.isEmpty()) {
                                    path = List.of(first);
                                }
                            }
                        }
                }
            }
            out.accept(new Item(id, path, brand, price, title, null, attrs));
        });
    }

    /**
     * S3-Rec {@code *_item2attributes.json}: an object mapping item ids to arrays of anonymised
     * attribute ids (S3-Rec's preprocessing lists the brand first, when the item has one, then the
     * categories). The attribute ids are kept in order as the {@code attributes} attribute; as a
     * heuristic, an id that only ever appears first in a list is taken as the brand, and the other
     * ids, in order, as the category path.
     */
    static void item2attributes(Path file, Problems problems, Consumer<Item> out) {
        JsonNode root;
        try (InputStream in = Inputs.open(file, null)) {
            root = new ObjectMapper().readTree(in);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new BadInputException(file.toString(), line, null, "malformed JSON: "
                    + (e instanceof JsonParseException ? e.getOriginalMessage() : e.getOriginalMessage())
                    + "; expected an object mapping item ids to arrays of attribute ids", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(file.toString(), 1, null, "expected a JSON object mapping item ids to arrays of attribute ids");
        }
        String prefix = file.getFileName() + ": ";
        Map<String, List<String>> lists = new LinkedHashMap<>();
        Set<String> notFirst = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().isBlank() || !v.isArray()) {
                problems.bad(file.toString(), -1, new RowError(e.getKey(), "not an array",
                        "expected an array of attribute ids for item \"" + e.getKey() + "\", was " + v.getNodeType()), prefix);
                continue;
            }
            List<String> ids = new ArrayList<>();
            boolean ok = true;
            for (JsonNode a : v) {
                if (!a.isIntegralNumber() && !a.isTextual()) {
                    ok = false;
                    break;
                }
                String s = a.asText().trim();
                if (s.isEmpty()) {
                    ok = false;
                    break;
                }
                if (!ids.isEmpty()) {
                    notFirst.add(s);
                }
                ids.add(s);
            }
            if (!ok) {
                problems.bad(file.toString(), -1, new RowError(e.getKey(), "bad attribute id",
                        "expected integer or text attribute ids for item \"" + e.getKey() + "\", was " + v), prefix);
                continue;
            }
            lists.put(e.getKey(), ids);
        }
        for (Map.Entry<String, List<String>> e : lists.entrySet()) {
            List<String> ids = e.getValue();
            String brand = null;
            List<String> path = ids;
            if (!ids.isEmpty() && !notFirst.contains(ids.get(0)) && ids.size() > 1) {
                brand = ids.get(0);
                path = ids.subList(1, ids.size());
            }
            out.accept(new Item(e.getKey(), new ArrayList<>(new java.util.LinkedHashSet<>(path)), brand, Double.NaN, null, null,
                    Map.of("attributes", String.join(" ", ids))));
        }
    }

    /** @return the first existing file among the names (each also tried with .gz), or null */
    static Path find(Path dir, String... names) {
        for (String n : names) {
            for (String m : Arrays.asList(n, n + ".gz")) {
                Path p = dir.resolve(m);
                if (java.nio.file.Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
