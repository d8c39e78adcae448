/**
 * Segmenters: k-means on user vectors ({@link org.persona4j.segment.KMeansSegmenter}), RFM value
 * groups ({@link org.persona4j.segment.RfmSegmenter}), declarative rules
 * ({@link org.persona4j.segment.RuleSegmenter}), composition of several segmenters
 * ({@link org.persona4j.segment.CompositeSegmenter}), segment descriptions for people
 * ({@link org.persona4j.segment.SegmentDescriber}), share drift
 * ({@link org.persona4j.segment.SegmentDrift}), the adjusted Rand index and the HTML/PNG report
 * ({@link org.persona4j.segment.SegmentReport}). See docs/segments.md.
 */
package org.persona4j.segment;
