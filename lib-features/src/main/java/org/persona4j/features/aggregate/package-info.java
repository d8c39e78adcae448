/**
 * Per-user aggregates updated in O(1) per event with bounded memory per user: RFM, time-decayed
 * top-level category, leaf category and brand affinity, price band and price sensitivity, funnel
 * ratios, activity level, preferred hours and days.
 *
 * <p>{@link org.persona4j.features.aggregate.UserAggregates} holds one user's state (confined to
 * one thread at a time); {@link org.persona4j.features.aggregate.AggregateStore} is the
 * thread-safe map of users for real-time use. Items are resolved to dense category and brand ids by
 * a thread-safe {@link org.persona4j.features.aggregate.ItemResolver}.
 *
 * <p>Time decay uses forward decay: a contribution {@code w} at time {@code t} is stored as
 * {@code w * exp((t - L) / tau)} against a per-user landmark {@code L}, so that the decayed value
 * at any time {@code T}, {@code sum w_i exp(-(T - t_i) / tau)}, is one multiplication away and does
 * not depend on the order in which events arrive.
 */
package org.persona4j.features.aggregate;
