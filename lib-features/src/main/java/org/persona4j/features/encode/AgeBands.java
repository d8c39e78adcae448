package org.persona4j.features.encode;

import java.util.List;

/**
 * Fixed age bands for one-hot encoding: unknown, under 18, 18–24, 25–34, 35–44, 45–54, 55–64,
 * 65 and over.
 */
public final class AgeBands {
    private static final List<String> NAMES = List.of("unknown", "<18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+");

    private AgeBands() {
    }

    /** @return the number of bands (including "unknown") */
    public static int count() {
        return NAMES.size();
    }

    /** @return the band labels in index order */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * @param age age in years, negative for unknown
     * @return the band index in {@code [0, count())}
     */
    public static int band(int age) {
        if (age < 0) {
            return 0;
        }
        if (age < 18) {
            return 1;
        }
        if (age < 25) {
            return 2;
        }
        if (age < 35) {
            return 3;
        }
        if (age < 45) {
            return 4;
        }
        if (age < 55) {
            return 5;
        }
        if (age < 65) {
            return 6;
        }
        return 7;
    }
}
