/**
 * The model artifact: one zip holding a JSON manifest (format version, SDK version, feature-schema
 * hash, hyper-parameters, provenance), the fitted sequence encoder (vocabularies) and the DL4J
 * weights, written atomically and checked on read (corrupt, truncated, too new or mismatched files
 * raise {@link org.persona4j.core.ModelFormatException} or
 * {@link org.persona4j.core.SchemaMismatchException}).
 */
package org.persona4j.models.profile.artifact;
