package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.UserAttributes;

/** Reads the real data sets in {@code shared/data} when present; skips otherwise. */
class RealDataTest {
    private static Path data(String folder) {
        String base = System.getProperty("persona4j.shared.data");
        assumeTrue(base != null, "system property persona4j.shared.data not set");
        Path p = Path.of(base, folder);
        assumeTrue(Files.isDirectory(p), "real data not present: " + p);
        return p;
    }

    @Test
    void amazonBeautyS3Rec() {
        Dataset d = Datasets.load(DataFormat.S3REC, data("amazon-beauty-s3rec").resolve("Beauty.txt"));
        DatasetStats s = DatasetStats.of(d);
        assertEquals(22_363, s.users());
        assertEquals(12_101, s.items());
        assertEquals(198_502, s.events());
        assertEquals(198_502, d.report().eventsRead());
        assertEquals(22_363, d.report().linesRead());
        assertEquals(0, d.report().skippedTotal(), d.report().summary());
        assertEquals(s.events(), s.perType().get(EventType.PURCHASE));
        // item2attributes side file: every item of the file has an entry
        assertEquals(12_101, d.catalog().size());
        Item i4 = d.catalog().item("4").orElseThrow();
        assertEquals("1 2 3", i4.attributes().get("attributes"));
        // time order within each user equals file order
        BehaviorEvent prev = null;
        for (BehaviorEvent e : d.events()) {
            if (prev != null) {
                assertTrue(e.timestampMillis() > prev.timestampMillis());
            }
            prev = e;
        }
        System.out.println(s);
    }

    @Test
    void movieLens100kRecBole() {
        Dataset d = Datasets.load(DataFormat.RECBOLE, data("ml-100k"));
        DatasetStats s = DatasetStats.of(d);
        assertEquals(100_000, s.events());
        assertEquals(943, s.users());
        assertEquals(1_682, s.items());
        assertEquals(100_000, s.perType().get(EventType.RATE));
        assertEquals(943, d.users().size());
        assertEquals(1_682, d.catalog().size());
        assertEquals(0, d.report().skippedTotal(), d.report().summary());
        UserAttributes u1 = d.users().get("1");
        assertEquals(24, u1.age());
        assertEquals("technician", u1.occupation());
        assertEquals("85711", u1.region());
        Item toy = d.catalog().item("1").orElseThrow();
        assertEquals("Toy Story", toy.title());
        assertEquals("Animation", toy.topCategory());
        BehaviorEvent first = d.events().get(0);
        assertEquals("196", first.userId());
        assertEquals("242", first.itemId());
        assertEquals(3.0, first.ratingOrNaN());
        assertEquals(881_250_949_000L, first.timestampMillis());
        System.out.println(s);
    }

    @Test
    void digineticaSample() {
        Dataset d = Datasets.load(DataFormat.SESSIONS, data("diginetica-sample"));
        DatasetStats s = DatasetStats.of(d);
        assertEquals(12_391, s.events());
        assertEquals(2_986, s.sessions());
        assertEquals(7_139, s.items());
        assertEquals(12_391, s.perType().get(EventType.VIEW));
        Set<String> sessions = new HashSet<>();
        for (BehaviorEvent e : d.events()) {
            sessions.add(e.sessionId().orElseThrow());
        }
        assertEquals(2_986, sessions.size());
        assertEquals("session:1", d.events().get(0).userId());
        System.out.println(s);
    }
}
