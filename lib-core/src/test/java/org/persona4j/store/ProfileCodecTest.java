package org.persona4j.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.persona4j.core.Evidence;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.Tag;
import org.persona4j.core.UserProfile;

class ProfileCodecTest {

    static UserProfile sample(String id) {
        Map<String, Double> interests = new LinkedHashMap<>();
        interests.put("Beauty > Skin care", 0.8);
        interests.put("Électronique", 0.25);
        return new UserProfile(id, new float[] {0.5f, -1.25f, 3e-7f}, new float[] {0.25f, -0.5f, 1f}, interests,
                Map.of("purchase", 0.3),
                Map.of("recency.days", 12.0, "monetary", -0.0), List.of(new Tag("price-sensitive", "Price-sensitive", 0.7,
                        Evidence.of("share", 0.62, "events", 41))),
                Map.of("behaviour", "kmeans-3"), 41, Instant.parse("2026-11-22T10:00:00.123456789Z"), "lstm-v2");
    }

    @Test
    void roundTripKeepsEveryField() {
        UserProfile p = sample("user-ü-😀");
        byte[] b = ProfileCodec.encode(p);
        UserProfile q = ProfileCodec.decode(b);
        assertEquals(p, q);
        assertEquals(List.copyOf(p.interests().keySet()), List.copyOf(q.interests().keySet()), "order kept");
        assertEquals(ProfileCodec.VERSION, ProfileCodec.versionOf(b));
        assertArrayEquals(b, ProfileCodec.encode(q), "encoding is deterministic");
        assertArrayEquals(p.longTermEmbedding(), q.longTermEmbedding());
    }

    @Test
    void withoutALongTermEmbeddingTheVersion1LayoutIsWritten() {
        UserProfile p = sample("u1").withLongTermEmbedding(null);
        byte[] b = ProfileCodec.encode(p);
        assertEquals(1, ProfileCodec.versionOf(b), "readable by SDKs that only know version 1");
        assertEquals(p, ProfileCodec.decode(b));
        assertEquals(0, ProfileCodec.decode(b).longTermEmbeddingSize());
    }

    @Test
    void version1BytesBuiltByHandStillDecode() {
        // the version 1 layout written field by field, independently of the encoder
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.write('P');
        o.write('4');
        o.write(1);
        byte[] id = "old-user".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        o.write(id.length);
        o.writeBytes(id);
        o.write(7);                                  // eventCount
        o.write(0);                                  // updatedAt seconds (zig-zag 0)
        o.write(0);                                  // nanos
        o.write(3);                                  // modelVersion length + 1
        o.writeBytes(new byte[] {'m', '1'});
        o.write(2);                                  // embedding count
        o.writeBytes(java.nio.ByteBuffer.allocate(8).putFloat(1.5f).putFloat(-2f).array());
        o.write(1);                                  // interests: one
        o.write(1);
        o.write('c');
        o.writeBytes(java.nio.ByteBuffer.allocate(8).putDouble(0.5).array());
        o.write(0);                                  // propensities
        o.write(0);                                  // features
        o.write(0);                                  // segments
        o.write(0);                                  // tags
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(o.toByteArray());
        o.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        byte[] old = o.toByteArray();
        UserProfile p = ProfileCodec.decode(old, "hand-built v1");
        assertEquals(new UserProfile("old-user", new float[] {1.5f, -2f}, Map.of("c", 0.5), null, null, null, null, 7,
                Instant.EPOCH, "m1"), p);
        assertEquals(0, p.longTermEmbedding().length, "version 1 has no long-term embedding");
        assertArrayEquals(old, ProfileCodec.encode(p), "re-encoding keeps version 1");
    }

    @Test
    void emptyProfileAndNegativeInstantRoundTrip() {
        UserProfile e = UserProfile.empty("u");
        assertEquals(e, ProfileCodec.decode(ProfileCodec.encode(e)));
        UserProfile old = new UserProfile("u", null, null, null, null, null, null, 0, Instant.parse("1900-01-01T00:00:00Z"), null);
        assertEquals(old, ProfileCodec.decode(ProfileCodec.encode(old)));
        assertTrue(ProfileCodec.encode(e).length < 20, "compact: " + ProfileCodec.encode(e).length);
    }

    @Test
    void everyTruncationIsRefusedWithAClearMessage() {
        byte[] b = ProfileCodec.encode(sample("u1"));
        for (int n = 0; n < b.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(b, n);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ProfileCodec.decode(cut, "test key 'u1'"));
            assertTrue(e.getMessage().startsWith("test key 'u1': "), e.getMessage());
        }
    }

    @Test
    void flippedBytesFailTheChecksum() {
        byte[] b = ProfileCodec.encode(sample("u1"));
        for (int i = 3; i < b.length; i++) {
            byte[] d = b.clone();
            d[i] ^= 0x10;
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ProfileCodec.decode(d));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        }
    }

    @Test
    void tooNewVersionAndWrongMagicAreNamed() {
        byte[] b = ProfileCodec.encode(sample("u1"));
        b[2] = 9;
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ProfileCodec.decode(b, "k"));
        assertEquals("k: Unknown profile record format version 9 (too new): this SDK supports versions 1 to 2", e.getMessage());
        byte[] c = ProfileCodec.encode(sample("u1"));
        c[0] = '{';
        e = assertThrows(ModelFormatException.class, () -> ProfileCodec.decode(c, "k"));
        assertTrue(e.getMessage().contains("expected magic 0x5034 at byte 0, found 0x7b34"), e.getMessage());
        assertEquals(-1, ProfileCodec.versionOf(c));
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        long seed = Long.getLong("persona4j.test.seed", 20261122L);
        System.out.println("ProfileCodecTest seed " + seed + " (replay: -Dpersona4j.test.seed=" + seed + ")");
        Random r = new Random(seed);
        byte[] good = ProfileCodec.encode(sample("u1"));
        for (int i = 0; i < 2000; i++) {
            byte[] g = new byte[r.nextInt(80)];
            r.nextBytes(g);
            if (g.length > 3 && r.nextBoolean()) {
                System.arraycopy(good, 0, g, 0, 3);
            }
            assertThrows(ModelFormatException.class, () -> ProfileCodec.decode(g));
        }
    }

    @Test
    void goldenVersion1FileStillDecodes() throws Exception {
        // written once by format version 1; every later SDK must keep reading it unchanged
        byte[] golden;
        try (var in = ProfileCodecTest.class.getResourceAsStream("profile-v1.bin")) {
            golden = in.readAllBytes();
        }
        assertEquals(1, ProfileCodec.versionOf(golden));
        assertEquals(GoldenSample.profile(), ProfileCodec.decode(golden, "profile-v1.bin"));
        assertArrayEquals(golden, ProfileCodec.encode(GoldenSample.profile()), "version 1 encoding is unchanged");
    }

    @Test
    void goldenVersion2FileStillDecodes() throws Exception {
        // written once by format version 2 (profile with a long-term embedding); must keep reading unchanged
        byte[] golden;
        try (var in = ProfileCodecTest.class.getResourceAsStream("profile-v2.bin")) {
            golden = in.readAllBytes();
        }
        assertEquals(2, ProfileCodec.versionOf(golden));
        assertEquals(GoldenSample.profileV2(), ProfileCodec.decode(golden, "profile-v2.bin"));
        assertArrayEquals(golden, ProfileCodec.encode(GoldenSample.profileV2()), "version 2 encoding is unchanged");
    }
}
