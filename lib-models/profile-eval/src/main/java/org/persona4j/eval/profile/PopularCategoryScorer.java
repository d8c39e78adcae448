package org.persona4j.eval.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;

/**
 * A reference row for the category columns: the same ranking for every user, the categories by
 * their share of all the histories' item events (at the category level). A personal interest
 * ranking should beat it; one that does not is no better than "what is popular".
 */
public final class PopularCategoryScorer implements CaseScorer {
    private final Map<String, Double> shares;

    /**
     * @param split the split whose histories are counted (events at or before each case's cutoff only)
     * @param catalog the catalogue
     * @param level the category level
     */
    public PopularCategoryScorer(ProfileSplit split, Catalog catalog, CategoryLevel level) {
        if (split == null || catalog == null || level == null) {
            throw new BadInputException("popular category scorer: 'split', 'catalog' and 'level' are required");
        }
        Map<String, String> byItem = new java.util.HashMap<>();
        Map<String, Double> counts = new LinkedHashMap<>();
        double total = 0;
        for (ProfileCase c : split.cases()) {
            for (BehaviorEvent e : c.history()) {
                if (e.itemId() == null) {
                    continue;
                }
                String cat = byItem.computeIfAbsent(e.itemId(), id -> catalog.item(id).map(level::of).orElse(""));
                if (!cat.isEmpty()) {
                    counts.merge(cat, 1.0, Double::sum);
                    total++;
                }
            }
        }
        Map<String, Double> s = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : counts.entrySet()) {
            s.put(e.getKey(), e.getValue() / total);
        }
        this.shares = Collections.unmodifiableMap(s);
    }

    @Override
    public String name() {
        return "popular categories";
    }

    @Override
    public String description() {
        return "category: every user gets the categories' share of all history events (" + shares.size() + " categories)";
    }

    @Override
    public Scores score(ProfileCase c) {
        return new Scores(Double.NaN, Double.NaN, shares);
    }

    /** @return the shares, by category */
    public Map<String, Double> shares() {
        return shares;
    }

    /** @return the categories, most popular first (ties by name) */
    public List<String> ranking() {
        return shares.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).toList();
    }
}
