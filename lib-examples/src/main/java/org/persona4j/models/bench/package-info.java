/**
 * The {@code bench-train} benchmark: trains the reference next-item model (item embedding, one
 * LSTM, full softmax over all items) on an S3-Rec sequence file exactly as
 * {@code shared/bench/torch_reference.py} does, measures training speed, ranks the held-out last
 * item of every user over all items, and measures the lean one-event update
 * ({@link org.persona4j.models.nn}). The public API uses plain Java types only.
 */
package org.persona4j.models.bench;
