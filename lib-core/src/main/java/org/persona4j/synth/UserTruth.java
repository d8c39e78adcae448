package org.persona4j.synth;

import org.persona4j.core.BadInputException;

/**
 * The planted outcome truth of one generated user (see {@code docs/generator.md}): what the
 * generator decided about the user's purchasing and lapsing before simulating any event. Written
 * to {@code truth.csv} and held by {@link SyntheticShop#truth(String)}.
 *
 * @param userId the user
 * @param personaId the planted persona ({@link SyntheticShop#BOT} for bots)
 * @param checkoutRate the persona's checkout rate: probability that a cart kept in a browsing
 *     intent is bought (0.62 unless {@link ShopConfig#purchaseRateSpread()} is set); NaN for bots
 * @param lapseRate the persona's probability that a user lapses ({@link ShopConfig#lapseShare()}
 *     times a persona factor); 0 when no lapses are planted, NaN for bots
 * @param lapsed whether the user lapses: starts no session at or after {@code lapseAtMillis}
 * @param lapseAtMillis the lapse time (epoch milliseconds, the start of a UTC day of the period), or
 *     -1 when the user does not lapse; sessions of the day before may run past it by an hour or so
 */
public record UserTruth(String userId, String personaId, double checkoutRate, double lapseRate, boolean lapsed,
                        long lapseAtMillis) {
    /** The value of {@link #lapseAtMillis()} for users who do not lapse. */
    public static final long NEVER = -1;

    /**
     * Validates.
     *
     * @throws BadInputException naming the bad field
     */
    public UserTruth {
        if (userId == null || userId.isBlank() || personaId == null || personaId.isBlank()) {
            throw new BadInputException("user truth: fields 'userId' and 'personaId' must not be blank, were " + userId + ", "
                    + personaId);
        }
        if (lapsed != (lapseAtMillis >= 0) || lapseAtMillis < NEVER) {
            throw new BadInputException("user truth " + userId + ": field 'lapseAtMillis': expected >= 0 exactly when lapsed ("
                    + lapsed + "), was " + lapseAtMillis);
        }
        if (!Double.isNaN(checkoutRate) && !(checkoutRate >= 0 && checkoutRate <= 1)) {
            throw new BadInputException("user truth " + userId + ": field 'checkoutRate': expected 0..1 or NaN, was " + checkoutRate);
        }
        if (!Double.isNaN(lapseRate) && !(lapseRate >= 0 && lapseRate <= 1)) {
            throw new BadInputException("user truth " + userId + ": field 'lapseRate': expected 0..1 or NaN, was " + lapseRate);
        }
    }
}
