package org.persona4j.features.sequence;

/**
 * The reserved indices of {@link org.persona4j.features.encode.IdVocabulary}, kept here for code
 * that still imports them from this package.
 *
 * @deprecated the vocabulary has one home, {@link org.persona4j.features.encode.IdVocabulary}
 *     (which {@link SequenceEncoder#items()} and {@link SequenceEncoder#categories()} return);
 *     import the constants from there.
 */
@Deprecated
public final class IdVocabulary {
    /** @deprecated use {@link org.persona4j.features.encode.IdVocabulary#PADDING} */
    @Deprecated
    public static final int PADDING = org.persona4j.features.encode.IdVocabulary.PADDING;
    /** @deprecated use {@link org.persona4j.features.encode.IdVocabulary#OOV} */
    @Deprecated
    public static final int OOV = org.persona4j.features.encode.IdVocabulary.OOV;
    /** @deprecated use {@link org.persona4j.features.encode.IdVocabulary#FIRST_ID} */
    @Deprecated
    public static final int FIRST_ID = org.persona4j.features.encode.IdVocabulary.FIRST_ID;

    private IdVocabulary() {
    }
}
