/**
 * Privacy and security controls: {@link org.persona4j.privacy.Pseudonymizer} (keyed HMAC-SHA256 of
 * user ids at the boundary) and {@link org.persona4j.privacy.PseudonymizingStore} (a store that only
 * ever sees pseudonyms), {@link org.persona4j.privacy.Redaction} (log-safe renderings, so
 * personal attributes never reach logs), {@link org.persona4j.privacy.SegmentExport} (segment
 * statistics with a minimum group size and optional Laplace noise) and
 * {@link org.persona4j.privacy.SafePaths} (configured file names that cannot escape their base
 * directory). See {@code docs/stores.md}.
 */
package org.persona4j.privacy;
