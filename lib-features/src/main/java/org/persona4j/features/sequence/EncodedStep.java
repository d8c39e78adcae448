package org.persona4j.features.sequence;

import org.persona4j.features.encode.IdVocabulary;

/**
 * One encoded event: the indices of its item, event type, item category and time-gap bucket.
 *
 * @param item the item index ({@link IdVocabulary#OOV} for unknown items or events without one)
 * @param type the event-type index ({@link EventTypeIndex})
 * @param category the category index of the item ({@link IdVocabulary#OOV} when unknown)
 * @param gap the time-gap bucket ({@link GapBuckets})
 */
public record EncodedStep(int item, int type, int category, int gap) {
}
