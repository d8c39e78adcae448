/**
 * Time features: recency, cyclical hour-of-day and day-of-week encodings (sine and cosine),
 * inter-event gap buckets and dwell time ({@link org.persona4j.features.time.TimeFeatures},
 * {@link org.persona4j.features.time.GapBuckets}).
 */
package org.persona4j.features.time;
