/**
 * The synthetic shop generator: a deterministic, seeded simulation of an e-commerce shop with a
 * category tree, brands, log-normal prices, Zipf item popularity and users drawn from planted
 * {@link org.persona4j.synth.Persona personas} whose sessions follow a search, view, cart and
 * purchase funnel. {@link org.persona4j.synth.ShopGenerator} streams it to the {@code events-csv}
 * files (ten million events and more with bounded memory) or returns it in memory as a
 * {@link org.persona4j.synth.SyntheticShop}; the personas are the ground truth for tests of
 * profiles and segments. Optional noise: duplicate events, bot users, malformed rows.
 */
package org.persona4j.synth;
