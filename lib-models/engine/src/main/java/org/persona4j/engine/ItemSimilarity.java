package org.persona4j.engine;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.persona4j.core.ProfileModel;

/**
 * How similar items are, as {@link ProfileReranker} uses it for its history term: for one item of
 * the user's recent history, a function that scores any candidate item. Scores of 0 or less mean
 * "unrelated"; the SDK's sources give scores in [0, 1]. Implementations are thread-safe.
 *
 * <p>Two sources come with the engine: {@link #ofNeighbours} (precomputed neighbour lists, such as
 * an item-kNN model's {@code neighbours(itemId)}) and {@link #ofEmbeddings} (the cosine of a
 * profile model's item embeddings, the engine's default).
 */
@FunctionalInterface
public interface ItemSimilarity {
    /**
     * @param historyItem an item of the user's recent history
     * @return the similarity of each candidate item to {@code historyItem} (0 when unrelated);
     *     called once per history item and re-ranking, so it may precompute
     */
    ToDoubleFunction<String> similarTo(String historyItem);

    /**
     * Similarity from neighbour lists: a candidate scores its similarity in {@code historyItem}'s
     * list, 0 when absent (an item is not its own neighbour).
     *
     * @param neighbours an item's neighbours and their similarities, e.g. {@code knn::neighbours}
     *     of lib-models-recommend's {@code ItemKnnRecommender}; may return an empty map, not null
     * @return the similarity
     */
    static ItemSimilarity ofNeighbours(Function<String, ? extends Map<String, ? extends Number>> neighbours) {
        Objects.requireNonNull(neighbours, "neighbours");
        return historyItem -> {
            Map<String, ? extends Number> m = neighbours.apply(historyItem);
            return candidate -> {
                Number v = m.get(candidate);
                return v == null ? 0 : v.doubleValue();
            };
        };
    }

    /**
     * Similarity from a profile model's item embeddings: the cosine of the two items' vectors, 0
     * when either has none (or their sizes differ). An item is similar to itself (1), so a
     * candidate the user has just interacted with counts as close to the history.
     *
     * @param model the model; must stay open while the similarity is in use
     * @return the similarity
     */
    static ItemSimilarity ofEmbeddings(ProfileModel model) {
        Objects.requireNonNull(model, "model");
        return historyItem -> {
            Optional<float[]> h = model.itemEmbedding(historyItem);
            if (h.isEmpty()) {
                return candidate -> 0;
            }
            float[] hv = h.get();
            return candidate -> {
                Optional<float[]> c = model.itemEmbedding(candidate);
                return c.isPresent() && c.get().length == hv.length ? Explainer.cosine(hv, c.get()) : 0;
            };
        };
    }
}
