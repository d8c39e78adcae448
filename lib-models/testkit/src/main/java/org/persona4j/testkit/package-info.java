/**
 * Contract test suites for the SDK's service-provider interfaces. A host that implements its own
 * {@link org.persona4j.core.Recommender}, {@link org.persona4j.core.Segmenter},
 * {@link org.persona4j.core.ProfileModel}, {@link org.persona4j.core.FeatureExtractor} or
 * {@link org.persona4j.store.UserDataStore} extends the matching abstract class in its own JUnit 5
 * tests and gets every rule the SDK relies on checked. Add {@code persona4j-testkit} with test scope.
 */
package org.persona4j.testkit;
