/**
 * Lean inference: the trained sequence model re-implemented on plain Java {@code float} arrays
 * (embedding lookup, LSTM cell step in DL4J's gate layout, dense layers, dot-product scoring), so
 * that a per-user update needs no ND4J call, no native memory and no workspace. Everything here
 * is immutable and thread-safe; weights are copied in once.
 */
package org.persona4j.models.nn;
