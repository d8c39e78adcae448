package org.persona4j.features.sequence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ModelFormatException;
import org.persona4j.features.encode.IdVocabulary;

class SequenceEncoderTest {
    private static final long MIN = 60_000L;

    private static InMemoryCatalog catalog() {
        InMemoryCatalog c = new InMemoryCatalog();
        c.put(new Item("a", List.of("Beauty", "Skin"), null, 1.0, null, null, Map.of()));
        c.put(new Item("b", List.of("Beauty", "Hair"), null, 1.0, null, null, Map.of()));
        c.put(new Item("c", List.of("Home"), null, 1.0, null, null, Map.of()));
        return c;
    }

    private static List<BehaviorEvent> events() {
        List<BehaviorEvent> l = new ArrayList<>();
        l.add(BehaviorEvent.of("u", "a", EventType.VIEW, 0));
        l.add(BehaviorEvent.of("u", "a", EventType.ADD_TO_CART, 30_000));          // 30 s
        l.add(BehaviorEvent.of("u", "b", EventType.VIEW, 30_000 + 5 * MIN));        // 5 min
        l.add(BehaviorEvent.of("u", "a", EventType.PURCHASE, 30_000 + 5 * MIN + 2 * 86_400_000L)); // 2 days
        l.add(BehaviorEvent.of("v", "c", EventType.VIEW, 10));
        return l;
    }

    @Test
    void vocabularyReservesPaddingAndOovAndOrdersByCount() {
        IdVocabulary v = IdVocabulary.fit(Map.of("x", 1L, "y", 5L, "z", 5L, "w", 2L), 2, IdVocabulary.UNLIMITED);
        assertEquals(List.of("y", "z", "w"), v.ids());
        assertEquals(5, v.size());
        assertEquals(2, v.index("y"));
        assertEquals(3, v.index("z"));
        assertEquals(IdVocabulary.OOV, v.index("x"), "below min count");
        assertEquals(IdVocabulary.OOV, v.index(null));
        assertEquals("w", v.id(4));
        assertThrows(BadInputException.class, () -> v.id(IdVocabulary.OOV));
        assertEquals(List.of("y"), IdVocabulary.fit(Map.of("x", 1L, "y", 5L, "z", 4L), 1, 1).ids());
        assertThrows(BadInputException.class, () -> IdVocabulary.fit(Map.of(), 0, 0));
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedReservedIndicesMatchTheVocabulary() {
        // kept for code that imports them from this package (lib-models)
        assertEquals(IdVocabulary.PADDING, org.persona4j.features.sequence.IdVocabulary.PADDING);
        assertEquals(IdVocabulary.OOV, org.persona4j.features.sequence.IdVocabulary.OOV);
        assertEquals(IdVocabulary.FIRST_ID, org.persona4j.features.sequence.IdVocabulary.FIRST_ID);
    }

    @Test
    void gapBucketsAndTypes() {
        GapBuckets g = GapBuckets.defaults();
        assertEquals(GapBuckets.FIRST, g.bucket(-1, 5));
        assertEquals(2, g.bucket(0, 59_999));
        assertEquals(3, g.bucket(0, 60_000));
        assertEquals(2, g.bucket(100, 50), "negative gap counts as 0");
        assertEquals(g.size() - 1, g.bucket(0, 400L * 86_400_000L));
        assertThrows(BadInputException.class, () -> GapBuckets.of(10, 10));
        assertEquals(EventType.PURCHASE, EventTypeIndex.type(EventTypeIndex.index(EventType.PURCHASE)));
        assertEquals(EventType.count() + 1, EventTypeIndex.size());
    }

    @Test
    void encodesAlignedArraysWithMaskAndLeftTruncation() {
        SequenceEncoder enc = SequenceEncoder.builder().maxLen(3).fit(events(), catalog());
        assertEquals(List.of("a", "b", "c"), enc.items().ids());
        // categories by item count: Skin (a: 3), Hair (b: 1), Home (c: 1)
        assertEquals(List.of("Skin", "Hair", "Home"), enc.categories().ids());
        List<BehaviorEvent> u = events().subList(0, 4);
        EncodedSequence s = enc.encode(u);
        assertEquals(3, s.length());
        assertEquals(3, s.capacity());
        // the last 3 of 4 events, gaps measured from the true predecessors
        assertArrayEquals(new int[] {2, 3, 2}, s.items());
        assertArrayEquals(new int[] {EventTypeIndex.index(EventType.ADD_TO_CART), EventTypeIndex.index(EventType.VIEW),
            EventTypeIndex.index(EventType.PURCHASE)}, s.types());
        assertArrayEquals(new int[] {2, 3, 2}, s.categories());
        assertArrayEquals(new int[] {2, 3, 6}, s.gaps());
        assertArrayEquals(new float[] {1, 1, 1}, s.mask());

        EncodedSequence p = SequenceEncoder.builder().maxLen(6).fit(events(), catalog()).encode(u.subList(0, 2));
        assertEquals(2, p.length());
        assertArrayEquals(new int[] {2, 2, 0, 0, 0, 0}, p.items());
        assertArrayEquals(new int[] {GapBuckets.FIRST, 2, 0, 0, 0, 0}, p.gaps());
        assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0}, p.mask());

        EncodedSequence unpadded = enc.encode(u, 10, false);
        assertEquals(4, unpadded.capacity());
        assertEquals(0, enc.encode(List.of()).length());
    }

    @Test
    void stepByStepEqualsWholeHistory() {
        long seed = System.nanoTime();
        System.out.println("stepByStepEqualsWholeHistory seed " + seed);
        Random r = new Random(seed);
        List<BehaviorEvent> h = new ArrayList<>();
        long t = 0;
        String[] ids = {"a", "b", "c", "unknown"};
        for (int i = 0; i < 40; i++) {
            t += (long) (r.nextDouble() * 3 * 86_400_000L);
            h.add(BehaviorEvent.of("u", ids[r.nextInt(ids.length)], EventType.ofOrdinal(1 + r.nextInt(6)), t));
        }
        SequenceEncoder enc = SequenceEncoder.builder().maxLen(100).fit(events(), catalog());
        EncodedSequence whole = enc.encode(h);
        long prev = -1;
        for (int i = 0; i < h.size(); i++) {
            assertEquals(whole.step(i), enc.encodeStep(h.get(i), prev), "step " + i);
            prev = h.get(i).timestampMillis();
        }
        EncodedStep oov = enc.encodeStep(BehaviorEvent.of("u", "unknown", EventType.VIEW, 0), -1);
        assertEquals(IdVocabulary.OOV, oov.item());
        assertEquals(IdVocabulary.OOV, oov.category());
        assertEquals(IdVocabulary.OOV, enc.encodeStep(BehaviorEvent.of("u", null, EventType.SEARCH, 0), -1).item());
    }

    @Test
    void minCountsMaxItemsAndCategoryLevel() {
        SequenceEncoder enc = SequenceEncoder.builder().minItemCount(2).categoryLevel(SequenceEncoder.CategoryLevel.TOP)
                .fit(events(), catalog());
        assertEquals(List.of("a"), enc.items().ids());
        assertEquals(List.of("Beauty"), enc.categories().ids());
        assertEquals(IdVocabulary.OOV, enc.encodeStep(events().get(2), -1).item());
        assertEquals(List.of("a"), SequenceEncoder.builder().maxItems(1).fit(events(), catalog()).items().ids());
        assertEquals(IdVocabulary.OOV, SequenceEncoder.builder().fit(events(), null).categoryOfItem(2), "no catalogue");
    }

    @Test
    void jsonRoundTripAndSchemaHash(@TempDir Path dir) throws Exception {
        SequenceEncoder enc = SequenceEncoder.builder().maxLen(7).gaps(GapBuckets.of(1000, 5000)).fit(events(), catalog());
        Path f = dir.resolve("enc.json");
        SequenceEncoderJson.write(enc, f);
        SequenceEncoder back = SequenceEncoderJson.read(f);
        assertEquals(enc, back);
        assertEquals(SequenceEncoderJson.toJson(enc), Files.readString(f));
        assertEquals(List.of("enc.json"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "no temporary file left");
        assertEquals(enc.schema().hash(), back.schema().hash());
        assertEquals(enc.encode(events().subList(0, 4)), back.encode(events().subList(0, 4)));
        SequenceEncoder other = SequenceEncoder.builder().maxLen(8).gaps(GapBuckets.of(1000, 5000)).fit(events(), catalog());
        assertTrue(!other.schema().hash().equals(enc.schema().hash()), "maxLen is part of the schema");
    }

    @Test
    void badJsonIsRefusedWithModelFormatException() {
        String good = SequenceEncoderJson.toJson(SequenceEncoder.builder().fit(events(), catalog()));
        assertThrows(ModelFormatException.class, () -> SequenceEncoderJson.fromJson("{not json"));
        assertThrows(ModelFormatException.class, () -> SequenceEncoderJson.fromJson("{\"format\":\"other\"}"));
        ModelFormatException tooNew = assertThrows(ModelFormatException.class,
                () -> SequenceEncoderJson.fromJson(good.replace("\"version\" : 1", "\"version\" : 99")));
        assertTrue(tooNew.getMessage().contains("too new"), tooNew.getMessage());
        assertThrows(ModelFormatException.class, () -> SequenceEncoderJson.fromJson(good.replace("\"maxLen\"", "\"maxLength\"")));
        assertThrows(ModelFormatException.class, () -> SequenceEncoderJson.fromJson(good.replace("\"itemCategory\" : [ 0, 1, 2", "\"itemCategory\" : [ 0, 1, 99")));
        // the header convention's "formatVersion" key is read too
        assertEquals(SequenceEncoderJson.fromJson(good), SequenceEncoderJson.fromJson(good.replace("\"version\" : 1", "\"formatVersion\" : 1")));
    }

    @Test
    void theJsonTextIsStable() {
        // a trained model's version is a hash over this text: its layout must not change
        SequenceEncoder enc = SequenceEncoder.builder().maxLen(3).gaps(GapBuckets.of(1000)).fit(events(), catalog());
        assertEquals("{\n"
                + "  \"format\" : \"persona4j-sequence-encoder\",\n"
                + "  \"version\" : 1,\n"
                + "  \"maxLen\" : 3,\n"
                + "  \"categoryLevel\" : \"LEAF\",\n"
                + "  \"gapBoundariesMillis\" : [ 1000 ],\n"
                + "  \"items\" : {\n"
                + "    \"minCount\" : 1,\n"
                + "    \"ids\" : [ \"a\", \"b\", \"c\" ]\n"
                + "  },\n"
                + "  \"categories\" : {\n"
                + "    \"minCount\" : 1,\n"
                + "    \"ids\" : [ \"Skin\", \"Hair\", \"Home\" ]\n"
                + "  },\n"
                + "  \"itemCategory\" : [ 0, 1, 2, 3, 4 ]\n"
                + "}", SequenceEncoderJson.toJson(enc));
    }

    @Test
    @SuppressWarnings("deprecation")
    void deprecatedJsonDelegatesStillWork(@TempDir Path dir) throws Exception {
        // SequenceEncoder.toJson() / fromJson(String) are called by lib-models
        SequenceEncoder enc = SequenceEncoder.builder().fit(events(), catalog());
        assertEquals(SequenceEncoderJson.toJson(enc), enc.toJson());
        assertEquals(enc, SequenceEncoder.fromJson(enc.toJson()));
        assertEquals(enc, SequenceEncoder.fromJson(enc.toJsonNode()));
        Path f = dir.resolve("e.json");
        enc.save(f);
        assertEquals(enc, SequenceEncoder.load(f));
        assertEquals(SequenceEncoderJson.FORMAT_VERSION, SequenceEncoder.FORMAT_VERSION);
    }

    @Test
    void nullInputsAreBadInput() {
        SequenceEncoder enc = SequenceEncoder.builder().fit(events(), catalog());
        assertThrows(BadInputException.class, () -> enc.encode(null));
        assertThrows(BadInputException.class, () -> enc.encodeStep(null, -1));
        assertThrows(BadInputException.class, () -> SequenceEncoder.builder().maxLen(0));
        assertTrue(Files.notExists(Path.of("enc.json")));
    }
}
