package org.persona4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;

/**
 * The conformance suite every {@link Segmenter} implementation extends: determinism, empty input,
 * one user, duplicate points, NaN refused with an error naming the user and field, null refused,
 * assignment consistent with the fitted sizes.
 */
public abstract class SegmenterContract {
    static final long SEED = 20261122L;

    /** Fits (or builds and sizes) a segmenter on the users. Empty input may throw BadInputException. */
    protected abstract Segmenter fit(List<UserProfile> users, long seed);

    /** A varied population of n users the segmenter can handle. */
    protected abstract List<UserProfile> users(int n, long seed);

    /** A copy of the profile with NaN in a field the segmenter reads; returns the field's name. */
    protected abstract UserProfile withNaN(UserProfile p);

    /** The field name that {@link #withNaN} poisons, as it should appear in the error. */
    protected abstract String nanField();

    /** Whether fitting needs data (then empty input is refused rather than giving empty segments). */
    protected boolean needsData() {
        return true;
    }

    @Test
    public void deterministicWithSeed() {
        System.out.println(getClass().getSimpleName() + " seed " + SEED);
        List<UserProfile> u = users(120, SEED);
        Segmenter a = fit(u, SEED);
        Segmenter b = fit(u, SEED);
        assertEquals(a.segments(), b.segments());
        for (UserProfile p : u) {
            assertEquals(a.assign(p).id(), b.assign(p).id(), "user " + p.userId());
        }
    }

    @Test
    public void emptyInput() {
        if (needsData()) {
            BadInputException e = assertThrows(BadInputException.class, () -> fit(List.of(), SEED));
            assertTrue(e.getMessage().toLowerCase().contains("no users") || e.getMessage().contains("no input"),
                    e.getMessage());
        } else {
            Segmenter s = fit(List.of(), SEED);
            assertFalse(s.segments().isEmpty());
            for (Segment g : s.segments()) {
                assertEquals(0, g.size());
            }
        }
    }

    @Test
    public void oneUser() {
        UserProfile p = users(1, SEED).get(0);
        Segmenter s = fit(List.of(p), SEED);
        Segment got = s.assign(p);
        assertEquals(1, got.size(), "the only user's segment holds it");
        assertEquals(1.0, got.share(), 1e-12);
        assertEquals(1, s.segments().stream().mapToLong(Segment::size).sum());
    }

    @Test
    public void duplicatePoints() {
        List<UserProfile> base = users(3, SEED + 1);
        List<UserProfile> dup = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            for (UserProfile p : base) {
                dup.add(copyAs(p, p.userId() + "-" + r));
            }
        }
        Segmenter s = fit(dup, SEED);
        assertEquals(dup.size(), s.segments().stream().mapToLong(Segment::size).sum());
        for (int r = 1; r < 20; r++) {
            for (int i = 0; i < base.size(); i++) {
                assertEquals(s.assign(dup.get(i)).id(), s.assign(dup.get(r * base.size() + i)).id(),
                        "copies of one point share a segment");
            }
        }
    }

    @Test
    public void nanRefusedNamingUserAndField() {
        List<UserProfile> u = new ArrayList<>(users(40, SEED));
        UserProfile bad = withNaN(u.get(7));
        u.set(7, bad);
        BadInputException e = assertThrows(BadInputException.class, () -> {
            Segmenter s = fit(u, SEED);
            s.assign(bad); // rule segmenters only read fields when assigning
        });
        assertTrue(e.getMessage().contains(bad.userId()), e.getMessage());
        assertTrue(e.getMessage().contains(nanField()), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        Segmenter ok = fit(users(40, SEED), SEED);
        BadInputException e2 = assertThrows(BadInputException.class, () -> ok.assign(bad));
        assertTrue(e2.getMessage().contains(bad.userId()) && e2.getMessage().contains(nanField()), e2.getMessage());
    }

    @Test
    public void nullProfileRefused() {
        Segmenter s = fit(users(30, SEED), SEED);
        assertThrows(BadInputException.class, () -> s.assign(null));
    }

    @Test
    public void assignmentMatchesFittedSizes() {
        List<UserProfile> u = users(150, SEED + 2);
        Segmenter s = fit(u, SEED);
        Map<String, Long> count = new HashMap<>();
        for (UserProfile p : u) {
            count.merge(s.assign(p).id(), 1L, Long::sum);
        }
        double share = 0;
        for (Segment g : s.segments()) {
            assertEquals(g.size(), (long) count.getOrDefault(g.id(), 0L), g.id());
            assertEquals(g.size() / (double) u.size(), g.share(), 1e-9, g.id());
            share += g.share();
        }
        assertEquals(1.0, share, 1e-9);
    }

    protected static UserProfile copyAs(UserProfile p, String id) {
        return new UserProfile(id, p.embedding(), p.interests(), p.propensities(), p.features(), p.tags(), p.segments(),
                p.eventCount(), p.updatedAt(), p.modelVersion());
    }

    protected static UserProfile withFeature(UserProfile p, String name, double v) {
        Map<String, Double> f = new java.util.LinkedHashMap<>(p.features());
        f.put(name, v);
        return new UserProfile(p.userId(), p.embedding(), p.interests(), p.propensities(), f, p.tags(), p.segments(),
                p.eventCount(), p.updatedAt(), p.modelVersion());
    }
}
