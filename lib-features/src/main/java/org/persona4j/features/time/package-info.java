/**
 * Time features: recency, cyclical hour-of-day and day-of-week encodings (sine and cosine) and
 * dwell time ({@link org.persona4j.features.time.TimeFeatures}). Inter-event gap buckets live in
 * {@link org.persona4j.features.sequence.GapBuckets}.
 */
package org.persona4j.features.time;
