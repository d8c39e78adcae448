/**
 * Human-readable profile tags with evidence ("prefers Beauty &gt; Skin care", "price-sensitive",
 * "night shopper", "high value", "at risk of churn", ...) derived from per-user aggregates by a
 * {@link org.persona4j.features.tags.ProfileTagger} with fitted population thresholds.
 */
package org.persona4j.features.tags;
