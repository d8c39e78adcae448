package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Segment;
import org.persona4j.synth.Persona;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/**
 * Must-show: on a generated shop with planted personas, k-means segments on the behaviour-vector
 * fallback agree with the personas (adjusted Rand index at least 0.8), and the generated names
 * name the personas' favourite categories.
 */
class PlantedPersonaTest {
    static final long SEED = 42L;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @Test
    void segmentsMatchPlantedPersonas() throws java.io.IOException {
        System.out.println("PlantedPersonaTest seed " + SEED);
        SyntheticShop shop = new ShopGenerator(ShopConfig.builder().users(1200).items(800).personas(6).seed(SEED).build())
                .generate();
        BehaviourVectors bv = BehaviourVectors.fit(shop.events(), shop.catalog(), 30);
        Map<String, float[]> vec = bv.vectors(shop.events(), shop.catalog());
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        for (Map.Entry<String, float[]> e : vec.entrySet()) {
            if (!SyntheticShop.BOT.equals(shop.personaOfUser().get(e.getKey()))) {
                ids.add(e.getKey());
                rows.add(e.getValue());
            }
        }
        KMeansSegmenter km = KMeansSegmenter.fit("behaviour", KMeansConfig.defaults(SEED).withK(shop.personas().size()), ids,
                rows.toArray(new float[0][]), bv.asProfileVector());
        int[] lab = km.trainingLabels();
        List<String> truth = new ArrayList<>();
        List<Integer> found = new ArrayList<>();
        Map<String, String> segOf = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            truth.add(shop.personaOfUser().get(ids.get(i)));
            found.add(lab[i]);
            segOf.put(ids.get(i), KMeansSegmenter.segmentId(lab[i]));
        }
        double ari = AdjustedRandIndex.of(truth, found);
        System.out.println("ARI(behaviour-vector k-means, planted personas) = " + ari + " over " + ids.size() + " users");
        assertTrue(ari >= 0.8, "ARI " + ari);

        List<Segment> described = SegmentDescriber.describe(km.segments(), segOf, shop.events(), shop.catalog(), Map.of());
        int named = 0;
        for (Persona p : shop.personas()) {
            if (described.stream().anyMatch(s -> s.name().contains(p.favoriteCategory()))) {
                named++;
            }
        }
        described.forEach(s -> System.out.println(s.id() + " " + s.name() + " " + s.summary()));
        assertTrue(named >= shop.personas().size() - 1, "segment names mention the planted favourites: " + named);

        // the report: html plus four PNG charts
        long asOf = shop.events().get(shop.events().size() - 1).timestampMillis();
        Map<String, RfmValues> rfmValues = RfmSegmenter.aggregate(shop.events(), shop.catalog(), asOf);
        RfmSegmenter rfm = RfmSegmenter.fit("value", rfmValues);
        java.nio.file.Path html = SegmentReport.builder("Test shop").segments(described, segOf)
                .events(shop.events(), shop.catalog()).vectors(ids, rows.toArray(new float[0][]), "behaviour vectors")
                .rfm(rfm, rfmValues).drift(SegmentDrift.of(km, segOf.values())).note("seed " + SEED).build().write(tmp);
        String text = java.nio.file.Files.readString(html);
        for (String png : List.of("sizes.png", "affinity.png", "pca.png", "rfm.png")) {
            assertTrue(text.contains(png), png);
            byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(tmp.resolve(png)), 4);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png);
        }
        assertTrue(text.contains(described.get(0).name().replace("&", "&amp;")));
        if (System.getProperty("persona4j.segment.reportDir") != null) {
            java.nio.file.Path keep = java.nio.file.Path.of(System.getProperty("persona4j.segment.reportDir"));
            java.nio.file.Files.createDirectories(keep);
            for (String f : List.of("report.html", "sizes.png", "affinity.png", "pca.png", "rfm.png")) {
                java.nio.file.Files.copy(tmp.resolve(f), keep.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
