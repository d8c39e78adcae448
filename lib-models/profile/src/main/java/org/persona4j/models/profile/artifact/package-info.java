/**
 * The model artifact: one zip holding a JSON manifest (format version, SDK version, model version,
 * feature-schema hash, hyper-parameters, provenance, entry checksums and sizes), the fitted
 * sequence encoder (vocabularies) and the serving weights in the project's own binary format
 * ({@link org.persona4j.models.nn.LeanWeights}). It is written atomically and checked on read:
 * corrupt, truncated, oversized, too new or mismatched files raise
 * {@link org.persona4j.core.ModelFormatException} or {@link org.persona4j.core.SchemaMismatchException}.
 * Reading needs no DL4J, no ND4J and runs no Java deserialization.
 */
package org.persona4j.models.profile.artifact;
