/**
 * Sequence encoding for the deep profile model, in pure Java: fitted id vocabularies for items
 * and categories ({@link org.persona4j.features.encode.IdVocabulary}: 0 = padding, 1 =
 * out-of-vocabulary, 2.. known ids), the event-type index
 * ({@link org.persona4j.features.sequence.EventTypeIndex}), time-gap buckets
 * ({@link org.persona4j.features.sequence.GapBuckets}) and the
 * {@link org.persona4j.features.sequence.SequenceEncoder} that turns a history into aligned int
 * arrays (item, type, category, gap) with a mask, left-truncated to a maximum length, or encodes
 * one event at a time for serving. Encoders save to and load from JSON with
 * {@link org.persona4j.features.sequence.SequenceEncoderJson}.
 */
package org.persona4j.features.sequence;
