package org.persona4j.features.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

class TextFeaturesTest {
    @Test
    void tokenizesLatinWordsAndCjkBigrams() {
        Tokenizer t = Tokenizer.standard();
        assertEquals(List.of("red", "lipstick", "loreal", "matte"), t.tokenize("The RED lipstick, L'Oréal… matte!".replace("é", "e")));
        assertEquals(List.of("口红", "红推", "推荐", "dior", "999"), t.tokenize("口红推荐 Dior 999"));
        assertEquals(List.of("한국", "국어"), t.tokenize("한국어"));
        assertEquals(List.of("水", "cream"), t.tokenize("水 cream"));
        assertEquals(List.of("cream"), t.tokenize("ｃｒｅａｍ"), "NFKC folds full-width letters");
        assertTrue(t.tokenize(null).isEmpty());
    }

    @Test
    void tfidfIsNormalisedAndWeighsRareTermsHigher() {
        Tokenizer t = Tokenizer.standard();
        List<String> docs = List.of("face cream", "face serum", "face wash", "lip balm cream", "face mask");
        HashingTfIdf v = HashingTfIdf.fit(t, 64, docs);
        assertTrue(v.idf("balm") > v.idf("face"), "rare term weighs more");
        float[] x = v.transform("face balm");
        double n = 0;
        for (float f : x) {
            n += f * f;
        }
        assertEquals(1.0, n, 1e-5);
        float[] z = v.transform("");
        for (float f : z) {
            assertEquals(0f, f);
        }
        HashingTfIdf back = HashingTfIdf.of(t, v.idfWeights(), v.documents());
        assertEquals(java.util.Arrays.toString(x), java.util.Arrays.toString(back.transform("face balm")));
    }

    @Test
    void searchKeywordsRankRepeatedRareTerms() {
        HashingTfIdf v = HashingTfIdf.fit(Tokenizer.standard(), 256, List.of("cheap cream", "cream", "cream serum", "retinol"));
        List<BehaviorEvent> es = List.of(
                BehaviorEvent.builder("u", null, EventType.SEARCH, 1).query("retinol cream").build(),
                BehaviorEvent.builder("u", null, EventType.SEARCH, 2).query("retinol serum").build(),
                BehaviorEvent.of("u", "i", EventType.VIEW, 3));
        List<SearchKeywords.Keyword> k = SearchKeywords.of(es, v, 2);
        assertEquals(2, k.size());
        assertEquals("retinol", k.get(0).token());
    }
}
