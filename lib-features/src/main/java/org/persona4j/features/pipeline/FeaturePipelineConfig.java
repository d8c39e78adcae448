package org.persona4j.features.pipeline;

import org.persona4j.core.BadInputException;
import org.persona4j.features.aggregate.AggregateConfig;

/**
 * Settings of a {@link FeaturePipeline}, validated at construction.
 *
 * @param aggregates the per-user aggregate settings
 * @param categoryMinCount minimum training events for a category to get its own affinity field, {@code >= 1}
 * @param maxTopCategories at most this many top-level category fields, {@code >= 0}
 * @param maxLeafCategories at most this many leaf category fields, {@code >= 0}
 * @param brandBuckets hashed brand-affinity buckets, {@code >= 1}
 * @param textBuckets hashed TF-IDF buckets for the user's search queries, {@code >= 1}
 * @param attributeMinCount minimum training users for a gender / occupation / region value to get its own slot, {@code >= 1}
 * @param maxAttributeValues at most this many values per attribute, {@code >= 0}
 */
public record FeaturePipelineConfig(AggregateConfig aggregates, int categoryMinCount, int maxTopCategories,
                                    int maxLeafCategories, int brandBuckets, int textBuckets, int attributeMinCount,
                                    int maxAttributeValues) {
    /** Validates. @throws BadInputException naming the bad field */
    public FeaturePipelineConfig {
        if (aggregates == null) {
            throw new BadInputException("pipeline config: 'aggregates' is required");
        }
        min("categoryMinCount", categoryMinCount, 1);
        min("maxTopCategories", maxTopCategories, 0);
        min("maxLeafCategories", maxLeafCategories, 0);
        min("brandBuckets", brandBuckets, 1);
        min("textBuckets", textBuckets, 1);
        min("attributeMinCount", attributeMinCount, 1);
        min("maxAttributeValues", maxAttributeValues, 0);
    }

    private static void min(String name, int v, int min) {
        if (v < min) {
            throw new BadInputException("pipeline config: '" + name + "' must be >= " + min + ", was " + v);
        }
    }

    /** @return defaults: aggregate defaults, categories with 5 events, 64 top and 32 leaf categories, 16 brand and 32 text buckets, attribute values with 5 users (at most 32) */
    public static FeaturePipelineConfig defaults() {
        return new FeaturePipelineConfig(AggregateConfig.defaults(), 5, 64, 32, 16, 32, 5, 32);
    }

    /**
     * @param a aggregate settings
     * @return a copy with them
     */
    public FeaturePipelineConfig withAggregates(AggregateConfig a) {
        return new FeaturePipelineConfig(a, categoryMinCount, maxTopCategories, maxLeafCategories, brandBuckets, textBuckets,
                attributeMinCount, maxAttributeValues);
    }

    /**
     * @param categoryMin category min count
     * @param attributeMin attribute min count
     * @return a copy with them
     */
    public FeaturePipelineConfig withMinCounts(int categoryMin, int attributeMin) {
        return new FeaturePipelineConfig(aggregates, categoryMin, maxTopCategories, maxLeafCategories, brandBuckets, textBuckets,
                attributeMin, maxAttributeValues);
    }

    /**
     * @param brand brand buckets
     * @param text text buckets
     * @return a copy with them
     */
    public FeaturePipelineConfig withBuckets(int brand, int text) {
        return new FeaturePipelineConfig(aggregates, categoryMinCount, maxTopCategories, maxLeafCategories, brand, text,
                attributeMinCount, maxAttributeValues);
    }
}
