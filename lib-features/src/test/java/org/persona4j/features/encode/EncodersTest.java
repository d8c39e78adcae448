package org.persona4j.features.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

class EncodersTest {
    @Test
    void vocabularyHasMinCountOovAndStableOrder() {
        IdVocabulary v = IdVocabulary.fit(Arrays.asList("b", "a", "a", "c", "b", "d", null, "a"), 2, 10);
        assertEquals(List.of("a", "b"), v.ids(), "by count desc, then id");
        assertEquals(IdVocabulary.FIRST_ID, v.index("a"));
        assertEquals(IdVocabulary.FIRST_ID + 1, v.index("b"));
        assertEquals(IdVocabulary.OOV, v.index("c"), "below min count");
        assertEquals(IdVocabulary.OOV, v.index("never"));
        assertEquals(IdVocabulary.OOV, v.index(null));
        assertEquals(0, v.position("a"));
        assertEquals(1, v.position("b"));
        assertEquals(IdVocabulary.NOT_KNOWN, v.position("c"));
        assertEquals(4, v.size());
        assertEquals(2, v.knownIds());
        assertEquals("b", v.id(IdVocabulary.FIRST_ID + 1));
        assertThrows(BadInputException.class, () -> v.id(IdVocabulary.PADDING));
        assertEquals(v, IdVocabulary.of(v.ids(), 2));
        assertEquals(List.of("a"), IdVocabulary.fit(List.of("a", "a", "b", "b"), 1, 1).ids());
        assertEquals(List.of(), IdVocabulary.fit(List.of("a", "a"), 1, 0).ids(), "maxSize 0 keeps no id");
        assertEquals(List.of("a", "b"), IdVocabulary.fit(List.of("a", "a", "b"), 1, IdVocabulary.UNLIMITED).ids());
        assertThrows(BadInputException.class, () -> IdVocabulary.fit(List.of(), 0, 1));
    }

    @Test
    void countsAndOccurrencesFitTheSameVocabulary() {
        // the sequence encoder fits from counts, the pipeline from occurrences: one class, one rule
        IdVocabulary fromCounts = IdVocabulary.fit(java.util.Map.of("x", 1L, "y", 5L, "z", 5L, "w", 2L, "", 9L), 2, IdVocabulary.UNLIMITED);
        IdVocabulary.Counter c = IdVocabulary.counter();
        c.add("x").add("y", 5).add("z", 5).add("w", 2).add("", 9).add(null, 3);
        assertEquals(fromCounts, c.build(2, IdVocabulary.UNLIMITED));
        assertEquals(List.of("y", "z", "w"), fromCounts.ids(), "by count desc, then id; empty and null ids ignored");
        assertThrows(BadInputException.class, () -> IdVocabulary.of(List.of("a", "a"), 1));
        assertThrows(BadInputException.class, () -> IdVocabulary.of(List.of(""), 1));
        assertThrows(BadInputException.class, () -> IdVocabulary.of(java.util.Arrays.asList("a", null), 1));
        assertThrows(BadInputException.class, () -> c.add("a", -1));
    }

    @Test
    void hashingIsStableAndInRange() {
        FeatureHasher h = new FeatureHasher(16, 0);
        // reference value of MurmurHash3_x86_32("hello", seed 0)
        assertEquals(0x248bfa47, FeatureHasher.murmur3("hello", 0));
        assertEquals(0, FeatureHasher.murmur3("", 0));
        for (int i = 0; i < 1000; i++) {
            int b = h.bucket("id" + i);
            assertTrue(b >= 0 && b < 16);
            assertEquals(b, h.bucket("id" + i));
        }
        float[] out = new float[20];
        h.add("x", 2f, out, 4);
        assertEquals(2f, Math.abs(out[4 + h.bucket("x")]));
    }

    @Test
    void oneHotAndMultiHot() {
        OneHotEncoder g = new OneHotEncoder("gender", IdVocabulary.fit(List.of("F", "M", "F"), 1, 10));
        float[] x = new float[g.width()];
        g.encode("M", x, 0);
        assertArrayEquals(new float[] {0, 0, 0, 1}, x);
        assertEquals(OneHotEncoder.MISSING_SLOT, g.slotOf(null));
        assertEquals(OneHotEncoder.MISSING_SLOT, g.slotOf(" "));
        assertEquals(OneHotEncoder.OTHER_SLOT, g.slotOf("X"));
        assertEquals(OneHotEncoder.FIRST_VALUE_SLOT + 1, g.slotOf("M"));
        assertEquals(List.of("gender=<missing>", "gender=<other>", "gender=F", "gender=M"), g.fieldNames());

        List<String> pre = MultiHotEncoder.prefixes(List.of("Beauty", "Skin care"));
        assertEquals(List.of("Beauty", "Beauty > Skin care"), pre);
        MultiHotEncoder m = new MultiHotEncoder("category", IdVocabulary.fit(List.of("Beauty", "Beauty > Skin care", "Home"), 1, 10));
        float[] y = new float[m.width()];
        m.encodePath(List.of("Beauty", "Skin care", "Serum"), y, 0);
        assertEquals(3f, y[0] + y[1] + y[2] + y[3]);
        assertEquals(1f, y[MultiHotEncoder.OTHER_SLOT], "unknown deeper prefix goes to <other>");
        assertEquals(MultiHotEncoder.FIRST_VALUE_SLOT, m.slotOf("Beauty"));
        assertEquals(List.of("category=<other>", "category=Beauty", "category=Beauty > Skin care", "category=Home"), m.fieldNames());
        assertEquals(8, AgeBands.count());
        assertEquals(0, AgeBands.band(-1));
        assertEquals(3, AgeBands.band(30));
        assertEquals(7, AgeBands.band(90));
    }

    @Test
    void normalisersFitOnTrainingOnly() {
        double[] train = {1, 2, 3, 4, 5, Double.NaN};
        NumericNormalizer z = NumericNormalizer.fit(NumericNormalizer.Kind.ZSCORE, train);
        assertEquals(0, z.apply(3), 1e-12);
        assertEquals(0, z.apply(Double.NaN), 1e-12, "missing becomes the training mean");
        assertEquals(1 / Math.sqrt(2), z.apply(4), 1e-12);
        NumericNormalizer mm = NumericNormalizer.fit(NumericNormalizer.Kind.MINMAX, train);
        assertEquals(0.25, mm.apply(2), 1e-12);
        assertEquals(1, mm.apply(100), 1e-12, "clipped");
        NumericNormalizer l = NumericNormalizer.fit(NumericNormalizer.Kind.LOG1P, train);
        assertEquals(Math.log1p(9), l.apply(9), 1e-12);
        assertEquals(0, l.apply(-5), 1e-12);
        NumericNormalizer q = NumericNormalizer.fit(NumericNormalizer.Kind.QUANTILE, train);
        assertEquals(0.5, q.apply(3), 1e-12);
        assertEquals(0, q.apply(-1), 1e-12);
        assertEquals(1, q.apply(99), 1e-12);
        assertEquals(0.125, q.apply(1.5), 1e-9);
        for (NumericNormalizer n : List.of(z, mm, l, q, NumericNormalizer.fit(NumericNormalizer.Kind.LOG1P_ZSCORE, train))) {
            assertEquals(n, NumericNormalizer.of(n.kind(), n.params()), "round trip " + n);
        }
        assertThrows(BadInputException.class, () -> NumericNormalizer.of(NumericNormalizer.Kind.ZSCORE, new double[] {1}));
        assertEquals(NumericNormalizer.Kind.QUANTILE, NumericNormalizer.Kind.parse("quantile"));
    }
}
