package org.persona4j.models.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;

/** The time-aware calibration: inputs, a planted logistic relation recovered, inputs left out, bad input. */
class TimeAwareCalibrationTest {
    private static final long DAY = 86_400_000L;

    @Test
    void inputsAreTheLogitAndTheCountersAsOfTheTime() {
        ActivityCounters a = new ActivityCounters();
        long t0 = 1_700_000_000_000L;
        a.add(t0, org.persona4j.core.EventType.VIEW);
        a.add(t0 + 7 * DAY, org.persona4j.core.EventType.ADD_TO_CART);
        a.add(t0 + 7 * DAY, org.persona4j.core.EventType.PURCHASE);
        // as of 7 more days: quiet 7 d, 3 events, 1 purchase, 1 cart, tenure 14 d; decayed 7-day count: (0.5 + 2) * 0.5
        double[] x = a.inputs(0.5, t0 + 14 * DAY);
        double h30 = Math.pow(0.5, 7 / 30.0);
        assertArrayEquals(new double[] {0, Math.log(8), Math.log(4), Math.log(2), Math.log(2), Math.log(15), Math.log1p(1.25),
            Math.log1p((h30 + 2) * h30), Math.log1p(h30), Math.log(8), 0.5}, x, 1e-9);
        // a time before the last event counts as the last event; an older event does not decay the counts backwards
        assertEquals(0.0, a.inputs(0.5, t0)[1]);
        ActivityCounters b = a.copy();
        b.add(t0 + DAY, org.persona4j.core.EventType.VIEW);
        assertEquals(t0 + 7 * DAY, b.lastMillis());
        assertEquals(3, a.events(), "the copy is independent");
        TimeAwareCalibration identity = new TimeAwareCalibration(new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0, 0, 0);
        assertEquals(0.8, identity.apply(a.inputs(0.8, t0 + 30 * DAY)), 1e-9);
    }

    @Test
    void fitRecoversAPlantedRelationAndLeavesOutWhatItIsTold() {
        Random r = new Random(7);
        int n = 40_000;
        double[] w = {0.7, 1.2, -0.4, 0.0, 0.3, -0.3, 0.5, 0.0, -0.6, 0.2, -0.2};
        double b = -1.0;
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[11];
            for (int j = 0; j < 11; j++) {
                x[i][j] = r.nextGaussian() * (1 + j % 3);
            }
            double z = b;
            for (int j = 0; j < 11; j++) {
                z += w[j] * x[i][j];
            }
            y[i] = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        TimeAwareCalibration c = TimeAwareCalibration.fit(x, y, 1.0);
        assertArrayEquals(w, c.weights(), 0.08);
        assertEquals(b, c.bias(), 0.25);
        assertEquals(n, c.examples());
        TimeAwareCalibration noLogit = TimeAwareCalibration.fit(x, y, 1.0, 0);
        assertEquals(0.0, noLogit.weights()[0]);
        // leaving out an input attenuates the others a little (logistic regression is not collapsible)
        assertEquals(1.2, noLogit.weights()[1], 0.2, "the other weights are still fitted");
        assertEquals(c, new TimeAwareCalibration(c.weights(), c.bias(), c.examples(), c.positives()));
    }

    @Test
    void badInputIsRefused() {
        assertThrows(BadInputException.class, () -> new TimeAwareCalibration(new double[] {1, 2}, 0, 0, 0));
        assertThrows(BadInputException.class, () -> new TimeAwareCalibration(new double[] {1, 0, 0, Double.NaN, 0, 0, 0, 0, 0, 0, 0}, 0, 0, 0));
        assertThrows(BadInputException.class, () -> TimeAwareCalibration.fit(new double[0][], new double[0], 1));
        assertThrows(BadInputException.class,
                () -> TimeAwareCalibration.fit(new double[][] {new double[11]}, new double[] {2}, 1));
    }
}
