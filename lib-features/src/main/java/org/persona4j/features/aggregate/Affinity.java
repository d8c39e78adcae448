package org.persona4j.features.aggregate;

/**
 * One entry of a time-decayed affinity ranking.
 *
 * @param name the category (top-level name or full path label) or brand
 * @param weight the decayed weighted count at the snapshot time
 * @param share the weight divided by the user's decayed total for this kind, in [0, 1]
 */
public record Affinity(String name, double weight, double share) {
}
