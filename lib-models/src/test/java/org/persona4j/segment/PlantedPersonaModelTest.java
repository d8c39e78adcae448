package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.ProfileModelConfig;
import org.persona4j.models.profile.ProfileTrainer;
import org.persona4j.models.profile.ValidationSplit;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/**
 * Must-show on the model: a small {@link DeepProfileModel} is trained on a generated shop with
 * planted personas; k-means on its user embeddings should agree with the personas (ARI at least
 * 0.8). Opt-in ({@code -Dpersona4j.segment.modelTest=true}): it trains for about 2.5 minutes on two
 * cores, and at this training budget it currently FAILS (ARI about 0): the embeddings of the small,
 * quickly trained model hardly vary between users (per-dimension standard deviation at most 0.11,
 * persona means equal to two decimals), so no clustering can recover the personas from them. The
 * behaviour-vector fallback passes ({@link PlantedPersonaTest}). Add
 * {@code -Dpersona4j.segment.dumpEmbeddings=FILE} to write the embeddings for analysis.
 */
class PlantedPersonaModelTest {
    static final long SEED = 11L;

    @Test
    void embeddingSegmentsMatchPlantedPersonas() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("persona4j.segment.modelTest"),
                "opt-in: -Dpersona4j.segment.modelTest=true (trains a model for minutes)");
        System.out.println("PlantedPersonaModelTest seed " + SEED);
        SyntheticShop shop = new ShopGenerator(ShopConfig.builder().users(400).items(400).personas(6).days(14).seed(SEED)
                .build()).generate();
        ProfileModelConfig cfg = ProfileModelConfig.builder().itemEmbedding(16).typeEmbedding(3).categoryEmbedding(8)
                .gapEmbedding(3).hidden(24).projection(16).maxLen(30).batchSize(32).epochs(3).dropout(0)
                .learningRate(0.01).validation(ValidationSplit.NONE).validationUsers(0).seed(SEED).threads(1).build();
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : shop.events()) {
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
        }
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        try (DeepProfileModel model = new ProfileTrainer(cfg).dataDescription("planted personas").fit(shop.events(),
                shop.catalog())) {
            for (Map.Entry<String, List<BehaviorEvent>> e : byUser.entrySet()) {
                String persona = shop.personaOfUser().get(e.getKey());
                if (SyntheticShop.BOT.equals(persona)) {
                    continue;
                }
                ids.add(e.getKey());
                rows.add(model.profile(e.getKey(), e.getValue()).embedding());
                truth.add(persona);
            }
        }
        if (System.getProperty("persona4j.segment.dumpEmbeddings") != null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ids.size(); i++) {
                sb.append(truth.get(i));
                for (float f : rows.get(i)) {
                    sb.append(',').append(f);
                }
                sb.append('\n');
            }
            java.nio.file.Files.writeString(java.nio.file.Path.of(System.getProperty("persona4j.segment.dumpEmbeddings")),
                    sb.toString());
        }
        KMeansSegmenter km = KMeansSegmenter.fit("behaviour", KMeansConfig.defaults(SEED).withK(shop.personas().size())
                .withRestarts(5), ids, rows.toArray(new float[0][]), ProfileVector.embedding());
        List<Integer> found = new ArrayList<>();
        for (int l : km.trainingLabels()) {
            found.add(l);
        }
        double ari = AdjustedRandIndex.of(truth, found);
        System.out.println("ARI(model-embedding k-means, planted personas) = " + ari + " over " + ids.size() + " users, "
                + rows.get(0).length + " dims");
        assertTrue(ari >= 0.8, "ARI " + ari);
    }
}
