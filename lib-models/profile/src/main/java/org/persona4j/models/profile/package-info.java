/**
 * The deep profile model: {@link org.persona4j.models.profile.DeepProfileModel} (a
 * {@link org.persona4j.core.ProfileModel}) trained by {@link org.persona4j.models.train.ProfileTrainer}
 * from a {@link org.persona4j.models.train.ProfileModelConfig}. Training runs a DL4J
 * {@code ComputationGraph} (embeddings of item, event type, category and time gap → LSTM → next-item
 * softmax at every step, plus purchase and category heads on the last step); serving runs the same
 * weights through the plain-Java path of {@link org.persona4j.models.nn}. No ND4J type appears in a
 * public signature.
 */
package org.persona4j.models.profile;
