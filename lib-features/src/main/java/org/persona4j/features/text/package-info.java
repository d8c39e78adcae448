/**
 * Text features: a {@link org.persona4j.features.text.Tokenizer} for search queries, titles and
 * reviews that handles Latin words and CJK text (character bigrams), fitted hashing TF-IDF vectors
 * ({@link org.persona4j.features.text.HashingTfIdf}) and the keywords of a user's searches
 * ({@link org.persona4j.features.text.SearchKeywords}).
 */
package org.persona4j.features.text;
