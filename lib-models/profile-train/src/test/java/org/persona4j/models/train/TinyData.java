package org.persona4j.models.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.models.nn.LeanWeights;
import org.persona4j.models.profile.DeepProfileModel;

/** Small synthetic shops for model tests: users with a favourite category, seeded. */
final class TinyData {
    final List<BehaviorEvent> events = new ArrayList<>();
    final InMemoryCatalog catalog = new InMemoryCatalog();

    TinyData(long seed, int users, int items) {
        Random r = new Random(seed);
        String[] cats = {"Skin", "Hair", "Nails", "Tools"};
        for (int i = 0; i < items; i++) {
            catalog.put(new Item("i" + i, List.of("Beauty", cats[i % cats.length]), null, 1.0, null, null, Map.of()));
        }
        EventType[] types = {EventType.VIEW, EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE};
        for (int u = 0; u < users; u++) {
            int fav = r.nextInt(cats.length);
            int n = 4 + r.nextInt(12);
            long t = 1_600_000_000_000L + r.nextInt(1_000_000);
            for (int k = 0; k < n; k++) {
                int item = r.nextDouble() < 0.7 ? fav + cats.length * r.nextInt(items / cats.length) : r.nextInt(items);
                t += (long) (r.nextDouble() * 3_600_000L * (r.nextBoolean() ? 1 : 48));
                events.add(BehaviorEvent.of("u" + u, "i" + item, types[r.nextInt(types.length)], t));
            }
        }
    }

    /**
     * The serving weights of a model as written to its artifact ({@link LeanWeights#write}): every
     * trained parameter, for comparing models bit for bit.
     */
    static byte[] servingWeights(DeepProfileModel m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            LeanWeights.write(m.network(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static ProfileModelConfig.Builder smallConfig() {
        return ProfileModelConfig.builder().itemEmbedding(8).typeEmbedding(3).categoryEmbedding(4).gapEmbedding(3)
                .hidden(12).projection(6).maxLen(10).batchSize(16).epochs(2).dropout(0).learningRate(0.01)
                .validationUsers(0).seed(7);
    }
}
