package org.persona4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;

class SegmentExportTest {

    private static List<Segment> segments() {
        return List.of(new Segment("a", Segment.Kind.BEHAVIOUR, "Night owls", 120, 0.6, Map.of("top", "Beauty")),
                new Segment("b", Segment.Kind.BEHAVIOUR, "Bargain hunters", 64, 0.32, Map.of()),
                new Segment("c", Segment.Kind.BEHAVIOUR, "Rare 1", 6, 0.03, Map.of("top", "Watches")),
                new Segment("d", Segment.Kind.BEHAVIOUR, "Rare 2", 5, 0.025, Map.of()),
                new Segment("e", Segment.Kind.BEHAVIOUR, "Rare 3", 5, 0.025, Map.of()));
    }

    @Test
    void groupsBelowKAreSuppressed() {
        SegmentExport.Result r = SegmentExport.builder().minGroupSize(10).build().export(segments());
        assertEquals(List.of("a", "b"), r.groups().stream().map(SegmentExport.Group::id).toList());
        assertEquals(3, r.suppressedSegments());
        assertEquals(120, r.groups().get(0).count());
        assertEquals(120 / 184.0, r.groups().get(0).share(), 1e-12);
        assertEquals("Beauty", r.groups().get(0).summary().get("top"));
        assertTrue(r.method().contains("k=10") && r.method().contains("suppressed"), r.method());
        assertTrue(r.groups().stream().allMatch(g -> g.count() >= 10));
    }

    @Test
    void mergedSmallGroupsArePublishedOnlyWhenTheyReachK() {
        SegmentExport.Result r = SegmentExport.builder().minGroupSize(10).smallGroups(SegmentExport.SmallGroups.MERGE).build()
                .export(segments());
        assertEquals(List.of("a", "b", "other"), r.groups().stream().map(SegmentExport.Group::id).toList());
        assertEquals(16, r.groups().get(2).count());
        assertTrue(r.groups().get(2).summary().isEmpty(), "no summary of merged segments");
        SegmentExport.Result r2 = SegmentExport.builder().minGroupSize(20).smallGroups(SegmentExport.SmallGroups.MERGE).build()
                .export(segments());
        assertEquals(List.of("a", "b"), r2.groups().stream().map(SegmentExport.Group::id).toList(), "16 < 20: other suppressed too");
    }

    @Test
    void noisyCountsFollowLaplaceOfEpsilon() {
        long seed = 1234;
        System.out.println("SegmentExportTest seed " + seed);
        double eps = 0.5;
        SegmentExport x = SegmentExport.builder().minGroupSize(1).laplaceNoise(eps, seed).build();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("g", 10_000L);
        int runs = 20_000;
        double sumAbs = 0;
        boolean anyDifferent = false;
        for (int i = 0; i < runs; i++) {
            long c = x.exportCounts(counts).groups().get(0).count();
            sumAbs += Math.abs(c - 10_000);
            anyDifferent |= c != 10_000;
        }
        assertTrue(anyDifferent);
        // rounding to integers changes E|x| by well under 0.1 at scale 2
        double b = 1 / eps;
        assertEquals(b, sumAbs / runs, 0.1 + 5 * b / Math.sqrt(runs), "mean absolute noise vs Laplace scale 1/eps");
        SegmentExport.Result r = x.exportCounts(counts);
        assertTrue(r.method().contains("epsilon=0.5"), r.method());
    }

    @Test
    void sameSeedSameExport() {
        SegmentExport a = SegmentExport.builder().laplaceNoise(1, 5).build();
        SegmentExport b = SegmentExport.builder().laplaceNoise(1, 5).build();
        assertEquals(a.export(segments()), b.export(segments()));
        SegmentExport c = SegmentExport.builder().laplaceNoise(1, 6).build();
        assertNotEquals(a.export(segments()).groups(), c.export(segments()).groups());
    }

    @Test
    void badOptionsAreNamed() {
        assertEquals("SegmentExport: field 'minGroupSize': expected >= 1, was 0",
                assertThrows(BadInputException.class, () -> SegmentExport.builder().minGroupSize(0)).getMessage());
        assertThrows(BadInputException.class, () -> SegmentExport.builder().laplaceNoise(-1, 0));
        assertThrows(BadInputException.class, () -> SegmentExport.builder().build().exportCounts(Map.of("x", -1L)));
    }
}
