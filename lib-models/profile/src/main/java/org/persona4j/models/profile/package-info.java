/**
 * Serving the deep profile model: {@link org.persona4j.models.profile.DeepProfileModel} (a
 * {@link org.persona4j.core.ProfileModel}) loaded from its artifact and run on the plain-Java
 * network of {@link org.persona4j.models.nn} (embeddings of item, event type, category and time gap
 * → LSTM → projection into the item space, purchase and category heads). This module needs neither
 * DL4J nor ND4J; models are trained by {@code org.persona4j.models.train.ProfileTrainer} in the
 * module {@code persona4j-profile-train}.
 */
package org.persona4j.models.profile;
