package org.persona4j.synth;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * A planted persona: the ground truth the generator draws users from.
 *
 * @param id short id written to {@code personas.csv} ({@code p0}, {@code p1}, ...)
 * @param name readable name ("Beauty enthusiast, bargain hunter, night owl")
 * @param favoriteCategory the favourite TOP-LEVEL category name (as {@code Item.topCategory()})
 * @param categoryWeights probability that an interest of the persona falls in each top-level
 *     category; the favourite's weight lies in [0.6, 0.75]; sums to 1
 * @param priceSensitivity 0 (buys premium) .. 1 (hunts bargains)
 * @param activity mean sessions per week of the persona's users
 * @param preferredHours hours of day (UTC, 0..23) in which most sessions start
 */
public record Persona(String id, String name, String favoriteCategory, Map<String, Double> categoryWeights,
                      double priceSensitivity, double activity, int[] preferredHours) {

    /**
     * Validates and copies.
     *
     * @param id short id
     * @param name readable name
     * @param favoriteCategory favourite top-level category
     * @param categoryWeights weight of each top-level category
     * @param priceSensitivity 0..1
     * @param activity sessions per week, &gt; 0
     * @param preferredHours hours of day 0..23
     * @throws BadInputException naming the bad field
     */
    public Persona {
        if (id == null || id.isBlank()) {
            throw new BadInputException("persona: field 'id': must not be blank, was " + id);
        }
        if (favoriteCategory == null || favoriteCategory.isBlank()) {
            throw new BadInputException("persona " + id + ": field 'favoriteCategory': must not be blank");
        }
        if (categoryWeights == null || !categoryWeights.containsKey(favoriteCategory)) {
            throw new BadInputException("persona " + id + ": field 'categoryWeights': must contain the favourite category "
                    + favoriteCategory);
        }
        categoryWeights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(categoryWeights));
        if (!(priceSensitivity >= 0 && priceSensitivity <= 1)) {
            throw new BadInputException("persona " + id + ": field 'priceSensitivity': expected 0..1, was " + priceSensitivity);
        }
        if (!(activity > 0) || Double.isInfinite(activity)) {
            throw new BadInputException("persona " + id + ": field 'activity': expected > 0 sessions per week, was " + activity);
        }
        preferredHours = preferredHours == null ? new int[0] : preferredHours.clone();
        for (int h : preferredHours) {
            if (h < 0 || h > 23) {
                throw new BadInputException("persona " + id + ": field 'preferredHours': expected hours 0..23, was " + h);
            }
        }
    }

    /** @return a copy of the preferred hours */
    @Override
    public int[] preferredHours() {
        return preferredHours.clone();
    }

    /** @return the weight of the favourite category */
    public double favoriteWeight() {
        return categoryWeights.get(favoriteCategory);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Persona p && id.equals(p.id) && name.equals(p.name) && favoriteCategory.equals(p.favoriteCategory)
                && categoryWeights.equals(p.categoryWeights) && Double.compare(priceSensitivity, p.priceSensitivity) == 0
                && Double.compare(activity, p.activity) == 0 && Arrays.equals(preferredHours, p.preferredHours);
    }

    @Override
    public int hashCode() {
        return (id.hashCode() * 31 + favoriteCategory.hashCode()) * 31 + Arrays.hashCode(preferredHours);
    }

    @Override
    public String toString() {
        return "Persona{" + id + " \"" + name + "\", favourite=" + favoriteCategory + " ("
                + String.format(java.util.Locale.ROOT, "%.2f", favoriteWeight()) + "), priceSensitivity="
                + String.format(java.util.Locale.ROOT, "%.2f", priceSensitivity) + ", activity="
                + String.format(java.util.Locale.ROOT, "%.1f", activity) + "/week, hours=" + Arrays.toString(preferredHours) + "}";
    }

}
