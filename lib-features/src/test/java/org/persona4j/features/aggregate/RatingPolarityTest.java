package org.persona4j.features.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** Item means, user and category polarity against hand-computed values. */
class RatingPolarityTest {
    static final double EPS = 1e-12;

    static BehaviorEvent rate(String user, String item, double rating, long t) {
        return BehaviorEvent.builder(user, item, EventType.RATE, t).rating(rating).build();
    }

    @Test
    void handComputed() {
        List<BehaviorEvent> u1 = List.of(rate("u1", "a", 5, 1), rate("u1", "b", 3, 2), BehaviorEvent.of("u1", "b", EventType.VIEW, 3));
        List<BehaviorEvent> u2 = List.of(rate("u2", "a", 3, 4));
        RatingPolarity p = RatingPolarity.fit(concat(u1, u2), 1, 1);
        assertTrue(p.hasRatings());
        assertEquals(3, p.ratings());
        assertEquals(11.0 / 3, p.globalMean(), EPS);
        assertEquals(35.0 / 9, p.itemMean("a"), EPS); // (5 + 3 + 1 * 11/3) / (2 + 1)
        assertEquals(10.0 / 3, p.itemMean("b"), EPS);
        assertEquals(11.0 / 3, p.itemMean("never rated"), EPS);
        assertEquals(10.0 / 3, p.itemMeanWithout("a", 5), EPS); // (3 + 1 * 11/3) / (1 + 1)
        assertEquals(11.0 / 3, p.itemMeanWithout("b", 3), EPS); // no other rating
        Map<String, String> cats = Map.of("a", "X", "b", "Y");
        RatingPolarity.User u = p.user(u1, cats::get);
        assertEquals(2, u.ratings());
        // deviations 10/9 and -1/3, shrunk: (7/9) / (2 + 1)
        assertEquals(7.0 / 27, u.overall(), EPS);
        assertEquals((10.0 / 9 + 7.0 / 27) / 2, u.inCategory("X"), EPS);
        assertEquals((-1.0 / 3 + 7.0 / 27) / 2, u.inCategory("Y"), EPS);
        assertEquals(7.0 / 27, u.inCategory("Z"), EPS);
        assertEquals(7.0 / 27, u.inCategory(null), EPS);
        assertEquals(Map.of("X", 1, "Y", 1), u.countsByCategory());
        assertEquals(35.0 / 9 + (10.0 / 9 + 7.0 / 27) / 2, p.predict(u, "a", "X"), EPS);
        assertEquals(11.0 / 3 + 7.0 / 27, p.predict(u, "never rated", null), EPS);
    }

    @Test
    void aRepeatedRatingCountsOnceAsTheLatest() {
        List<BehaviorEvent> u1 = List.of(rate("u1", "a", 1, 0), rate("u1", "a", 5, 1), rate("u1", "b", 3, 2),
                BehaviorEvent.builder("u1", "b", EventType.REVIEW, 3).rating(3).build());
        List<BehaviorEvent> u2 = List.of(rate("u2", "a", 3, 4));
        RatingPolarity p = RatingPolarity.fit(concat(u2, u1), 1, 1);
        assertEquals(3, p.ratings());
        assertEquals(35.0 / 9, p.itemMean("a"), EPS);
        RatingPolarity.User u = p.user(u1, Map.of("a", "X", "b", "Y")::get);
        assertEquals(2, u.ratings());
        assertEquals(7.0 / 27, u.overall(), EPS);
    }

    @Test
    void noRatings() {
        RatingPolarity p = RatingPolarity.fit(List.of(BehaviorEvent.of("u", "a", EventType.VIEW, 1)), 5, 5);
        assertFalse(p.hasRatings());
        assertTrue(Double.isNaN(p.globalMean()));
        RatingPolarity.User u = p.user(List.of(BehaviorEvent.of("u", "a", EventType.VIEW, 1)), i -> null);
        assertEquals(0, u.overall());
        assertEquals(0, u.ratings());
        assertThrows(BadInputException.class, () -> RatingPolarity.fit(List.of(), -1, 5));
    }

    private static List<BehaviorEvent> concat(List<BehaviorEvent> a, List<BehaviorEvent> b) {
        java.util.ArrayList<BehaviorEvent> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
