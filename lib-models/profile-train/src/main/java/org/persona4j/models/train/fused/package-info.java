/**
 * Fused training paths written directly on ND4J arrays, with no DL4J layer objects, no padding
 * computed and every buffer allocated once: {@link org.persona4j.models.train.fused.FusedLstmTrainer}
 * for the next-item LSTM of {@code bench-train} ({@code item embedding -> LSTM -> full softmax}),
 * and {@link org.persona4j.models.train.fused.FusedProfileTrainer} for the full profile network
 * that {@code ProfileTrainer} trains by default (four input embeddings, LSTM layers, projection,
 * next-item softmax, purchase, churn and category heads). Both share the packed LSTM layer
 * ({@code PackedLstm}) and batch layout ({@code BatchPlan}).
 *
 * <p>It computes the same model as the DL4J network {@code EmbeddingSequenceLayer -> LSTM ->
 * RnnOutputLayer(softmax, LossSparseMCXENT)} with a padding mask and DL4J's {@code Adam}: the same
 * parameter layout (gate order {@code a, f, o, i} of DL4J's {@code LSTM}), the same score and
 * gradients, the same update. What it does differently is only how: the sequences of a batch are
 * packed time-major, longest first (so step {@code t} works on a prefix of rows and padded steps
 * do not exist), the input projection and the backward weight gradients are one GEMM over every
 * position, the softmax head runs on the real positions only as {@code [positions x h]} GEMMs
 * with the bias folded in (in row chunks that bound the logits buffer), or as a sampled softmax
 * over the batch's shared negatives, gathering and updating only the touched output columns; the
 * embedding gradients are summed per distinct id in a fixed order and scattered with distinct
 * indices ({@code RowSums}: deterministic, and without libnd4j's {@code unsorted_segment_sum},
 * which leaks native memory in 1.0.0-M2.1).
 *
 * <p>The optimiser is exact dense Adam, as DL4J's: every embedding row's moments decay at every
 * step, touched or not. With a sampled-softmax head the profile trainer instead keeps the item
 * embedding's and the next-item head's gradients as the rows (columns) a batch touches and updates
 * only those rows and their moments (row-wise, "lazy" Adam, as PyTorch's {@code SparseAdam}, with
 * one second moment per row as FBGEMM's partial row-wise Adam; the other parameters stay dense),
 * so that neither the gradient, the second moments nor optimiser time grows with the catalogue.
 * The profile trainer also applies DL4J's per-layer L2 gradient clipping and decoupled weight decay.
 *
 * <p>ND4J is the numeric backend (GEMMs, transforms, custom ops); nothing here calls a BLAS
 * library directly or changes ND4J's global settings, so the CPU or GPU backend stays the host's
 * choice. The public types use plain Java arrays; {@link org.persona4j.models.train.fused.FusedLstmTrainer}
 * and {@link org.persona4j.models.train.fused.FusedProfileTrainer} hold native memory and must be
 * closed. The OpenMP runtime under ND4J should run with {@code OMP_WAIT_POLICY=PASSIVE} (a process
 * setting the host makes; the CLI does): spinning OpenMP workers slow the per-step operations several-fold.
 */
package org.persona4j.models.train.fused;
