package org.persona4j.testkit;

/**
 * One way to replay randomised tests: {@code -Dpersona4j.test.seed=N} replaces the seed of every
 * property or fuzz test that takes its seed from here; the seed in use is printed, so a failure
 * names the value that reproduces it.
 */
public final class TestSeeds {
    /** The system property that overrides every test seed. */
    public static final String PROPERTY = "persona4j.test.seed";

    private TestSeeds() {
    }

    /**
     * @param test the test's name, printed with the seed
     * @param defaultSeed the seed used when the property is not set
     * @return the seed to use
     */
    public static long seed(String test, long defaultSeed) {
        long s = Long.getLong(PROPERTY, defaultSeed);
        System.out.println(test + " seed " + s + " (replay: -D" + PROPERTY + "=" + s + ")");
        return s;
    }
}
