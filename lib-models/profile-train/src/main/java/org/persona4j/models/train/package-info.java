/**
 * Training the deep profile model on DL4J: {@link org.persona4j.models.train.ProfileTrainer}
 * fits a {@code ComputationGraph} (embeddings of item, event type, category and time gap → LSTM →
 * next-item softmax at every step, purchase-within-a-horizon and churn heads at every step, a
 * category head on the last step; the purchase and churn heads calibrated after training) from a
 * {@link org.persona4j.models.train.ProfileModelConfig}, with validation, early stopping,
 * plateau decays, a refit and resumable checkpoints (read without Java deserialization), and hands
 * the weights to the serving model ({@link org.persona4j.models.train.ProfileArtifacts}), whose
 * artifact DL4J is not needed to read. {@link org.persona4j.models.train.ProfileOptions} is the one
 * table of named hyper-parameters that the CLI and the {@code lstm} evaluation factories share.
 * The ND4J backend is the host's runtime choice; no ND4J type appears in a public signature and no
 * ND4J global state is changed.
 */
package org.persona4j.models.train;
