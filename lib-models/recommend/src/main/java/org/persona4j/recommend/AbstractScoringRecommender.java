package org.persona4j.recommend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.Reason;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;

/**
 * Base of the recommenders that score the whole item index: {@link #recommend} scores every item,
 * applies the request's filters ({@link RecommendationRequest#admits}), keeps the top k and asks the
 * subclass for the reasons of those k only. Thread-safe when the subclass's scoring is.
 */
public abstract class AbstractScoringRecommender implements Recommender, ItemScorer {
    private final String name;
    /** The items this recommender ranks. */
    protected final ItemIndex items;
    /** The catalogue used by filters and reasons (possibly empty). */
    protected final Catalog catalog;

    /**
     * @param name the short name
     * @param items the items to rank
     * @param catalog the catalogue, or null for an empty one
     */
    protected AbstractScoringRecommender(String name, ItemIndex items, Catalog catalog) {
        this.name = name;
        this.items = items;
        this.catalog = catalog == null ? new InMemoryCatalog() : catalog;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ItemIndex itemIndex() {
        return items;
    }

    @Override
    public List<Recommendation> recommend(RecommendationRequest request) {
        if (request == null) {
            throw new BadInputException(name + ": request must not be null");
        }
        float[] scores = new float[items.size()];
        scoreAll(request, scores);
        Set<String> seen = seenItems(request);
        int[] top = TopK.select(scores, request.k(),
                i -> request.admits(items.id(i), catalog.item(items.id(i)).orElse(null), seen));
        List<Recommendation> out = new ArrayList<>(top.length);
        for (int i : top) {
            out.add(new Recommendation(items.id(i), scores[i], explain(request, i, scores[i])));
        }
        return out;
    }

    /**
     * @param request the request
     * @return the item ids of the request's history
     */
    public static Set<String> seenItems(RecommendationRequest request) {
        Set<String> seen = new HashSet<>();
        for (BehaviorEvent e : request.history()) {
            if (e.itemId() != null) {
                seen.add(e.itemId());
            }
        }
        return seen;
    }

    /**
     * @param item an item id
     * @return a short label for reasons: the title when the catalogue has one, else the id
     */
    protected String label(String item) {
        return catalog.item(item).map(Item::title).orElse(item);
    }

    /**
     * @param request the request
     * @param item the dense index of a selected item
     * @param score its score
     * @return the reasons, most important first, never empty
     */
    protected abstract List<Reason> explain(RecommendationRequest request, int item, float score);
}
