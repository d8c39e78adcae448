/**
 * Event cleaning with every removal counted by reason: exact and near duplicates, out-of-order
 * events, bot-like users, future and out-of-range timestamps, and missing values under a per-field
 * policy (impute, flag, drop). {@link org.persona4j.features.clean.EventCleaner} returns the kept
 * events and a {@link org.persona4j.features.clean.CleaningReport}.
 */
package org.persona4j.features.clean;
