package org.persona4j.features.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeFeaturesTest {
    @Test
    void hourAndDayMatchJavaTime() {
        long seed = System.nanoTime();
        System.out.println("TimeFeaturesTest seed=" + seed);
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            int off = (r.nextInt(37) - 18) * 1800;
            TimeFeatures tf = new TimeFeatures(off);
            long ms = (long) (r.nextDouble() * 2e12);
            var odt = Instant.ofEpochMilli(ms).atOffset(ZoneOffset.ofTotalSeconds(off));
            assertEquals(odt.getHour(), tf.hourOfDay(ms), "seed " + seed);
            assertEquals(odt.getDayOfWeek().getValue() - 1, tf.dayOfWeek(ms), "seed " + seed);
            double h = tf.hourSin(ms) * tf.hourSin(ms) + tf.hourCos(ms) * tf.hourCos(ms);
            assertEquals(1.0, h, 1e-12);
        }
        // 06:00 UTC: sin = 1, cos = 0
        assertEquals(1.0, TimeFeatures.utc().hourSin(6 * 3_600_000L), 1e-12);
        assertEquals(2.0, TimeFeatures.recencyDays(0, 2 * 86_400_000L), 1e-12);
        assertEquals(0.0, TimeFeatures.recencyDays(10, 0));
    }

    @Test
    void dwell() {
        // gap buckets moved to org.persona4j.features.sequence.GapBucketsTest
        assertEquals(Math.log1p(10), TimeFeatures.dwellLog1pSeconds(10_000), 1e-12);
        assertEquals(Math.log1p(1800), TimeFeatures.dwellLog1pSeconds(10_000_000), 1e-12);
        assertEquals(true, Double.isNaN(TimeFeatures.dwellLog1pSeconds(-1)));
    }
}
