package org.persona4j.privacy;

import java.util.SplittableRandom;
import org.persona4j.core.BadInputException;

/**
 * The Laplace mechanism: adds noise drawn from Laplace(0, b) with scale {@code b = sensitivity / ε}
 * (mean absolute value b, variance 2b²). Smaller ε means more noise and more privacy. Seeded, so a
 * run can be replayed; thread-safe (draws are serialised).
 */
public final class LaplaceNoise {
    private final double epsilon;
    private final double sensitivity;
    private final double scale;
    private final SplittableRandom random;

    /**
     * @param epsilon the privacy budget ε, finite and &gt; 0
     * @param sensitivity how much one user can change the value (1 for a count), finite and &gt; 0
     * @param seed the random seed
     * @throws BadInputException naming the bad parameter
     */
    public LaplaceNoise(double epsilon, double sensitivity, long seed) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new BadInputException("LaplaceNoise: field 'epsilon': expected a finite number > 0, was " + epsilon);
        }
        if (!(sensitivity > 0) || Double.isInfinite(sensitivity)) {
            throw new BadInputException("LaplaceNoise: field 'sensitivity': expected a finite number > 0, was " + sensitivity);
        }
        this.epsilon = epsilon;
        this.sensitivity = sensitivity;
        this.scale = sensitivity / epsilon;
        this.random = new SplittableRandom(seed);
    }

    /** @return one draw from Laplace(0, scale) */
    public synchronized double sample() {
        // inverse CDF: u uniform in (-1/2, 1/2), x = -b sgn(u) ln(1 - 2|u|)
        double u;
        do {
            u = random.nextDouble() - 0.5;
        } while (u == -0.5);
        return -scale * Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
    }

    /**
     * @param trueValue the exact value
     * @return the value plus one draw of noise
     */
    public double noisy(double trueValue) {
        return trueValue + sample();
    }

    /** @return the scale b = sensitivity / ε */
    public double scale() {
        return scale;
    }

    /** @return ε */
    public double epsilon() {
        return epsilon;
    }

    /** @return the sensitivity */
    public double sensitivity() {
        return sensitivity;
    }
}
