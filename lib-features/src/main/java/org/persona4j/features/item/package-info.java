/**
 * Item-side features: {@link org.persona4j.features.item.ItemFeatures}, a fitted
 * {@code FeatureExtractor<Item>} (category path multi-hot, brand one-hot, price percentile within
 * the category, hashed title TF-IDF) that saves to versioned JSON.
 */
package org.persona4j.features.item;
