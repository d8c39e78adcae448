package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;

class FormatHeaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = {'P', '4', 'T', 'X'};
    private static final FormatHeader NAMED = FormatHeader.binary("persona4j-test", "test file", MAGIC, 2, 4);
    private static final FormatHeader COMPACT = FormatHeader.compactBinary("profile record", new byte[] {'P', '4'}, 1, 2);
    private static final FormatHeader PIPELINE = FormatHeader.json("persona4j-test-pipeline", "test pipeline", 1, 3);

    @Test
    void namedBinaryHeaderLayoutAndRoundTrip() throws Exception {
        byte[] h = NAMED.toBytes(3);
        byte[] name = "persona4j-test".getBytes(StandardCharsets.UTF_8);
        assertEquals(MAGIC.length + 1 + name.length + 1, h.length);
        assertEquals(h.length, NAMED.length());
        assertArrayEquals(MAGIC, Arrays.copyOf(h, 4));
        assertEquals(name.length, h[4]);
        assertArrayEquals(name, Arrays.copyOfRange(h, 5, 5 + name.length));
        assertEquals(3, h[h.length - 1]);

        byte[] file = Arrays.copyOf(h, h.length + 2);
        assertEquals(3, NAMED.check(file, "f"));
        assertEquals(3, NAMED.versionOf(file));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NAMED.write(out, 4);
        out.write(42);
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        assertEquals(4, NAMED.read(in, "f"));
        assertEquals(42, in.read(), "the stream is left at the body");
    }

    @Test
    void compactHeaderIsMagicThenOneVersionByte() {
        assertArrayEquals(new byte[] {'P', '4', 1}, COMPACT.toBytes(1));
        assertEquals(3, COMPACT.length());
        assertEquals(2, COMPACT.check(new byte[] {'P', '4', 2, 0, 0}, null));
        assertEquals(-1, COMPACT.versionOf(new byte[] {'{', '4', 2}));
        assertEquals(9, COMPACT.versionOf(new byte[] {'P', '4', 9}), "versionOf reports out-of-range versions too");
    }

    @Test
    void wrongMagicSaysWhatWasFoundAndExpected() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> COMPACT.check(new byte[] {'{', '"', 1, 2}, "k"));
        assertEquals("k: not a profile record: expected magic 0x5034 at byte 0, found 0x7b22", e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> NAMED.read(new ByteArrayInputStream(new byte[] {'P', 'K', 3, 4, 5}), "a.zip"));
        assertEquals("a.zip: not a test file: expected magic 0x50345458 at byte 0, found 0x504b0304", e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> NAMED.check(new byte[] {'x'}, null));
        assertEquals("not a test file: expected magic 0x50345458 at byte 0, found 0x78 (only 1 bytes)", e.getMessage());
    }

    @Test
    void wrongNameIsRefused() {
        byte[] other = FormatHeader.binary("persona4j-other", "other file", MAGIC, 2, 4).toBytes(2);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> NAMED.check(other, "f"));
        assertEquals("f: not a test file: expected format name \"persona4j-test\" after the magic, found \"persona4j-other\"",
                e.getMessage());
        assertEquals(-1, NAMED.versionOf(other));
    }

    @Test
    void tooNewAndTooOldVersionsNameBoth() {
        byte[] h = NAMED.toBytes(4);
        h[h.length - 1] = 9;
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> NAMED.check(h, "f"));
        assertEquals("f: Unknown test file format version 9 (too new): this SDK supports versions 2 to 4", e.getMessage());
        h[h.length - 1] = 1;
        e = assertThrows(ModelFormatException.class, () -> NAMED.read(new ByteArrayInputStream(h), "f"));
        assertEquals("f: Unknown test file format version 1 (too old): this SDK supports versions 2 to 4", e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> COMPACT.check(new byte[] {'P', '4', (byte) 200}, null));
        assertEquals("Unknown profile record format version 200 (too new): this SDK supports versions 1 to 2", e.getMessage());
    }

    @Test
    void truncatedHeadersAndNullAreRefused() throws Exception {
        byte[] h = NAMED.toBytes(2);
        for (int n = 0; n < h.length; n++) {
            byte[] cut = Arrays.copyOf(h, n);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> NAMED.check(cut, "f"));
            assertTrue(e.getMessage().startsWith("f: truncated test file header: " + n + " bytes, expected " + h.length), e.getMessage());
            assertThrows(ModelFormatException.class, () -> NAMED.read(new ByteArrayInputStream(cut), "f"));
            assertEquals(-1, NAMED.versionOf(cut));
        }
        assertEquals("f: no bytes (null), expected a test file",
                assertThrows(ModelFormatException.class, () -> NAMED.check(null, "f")).getMessage());
    }

    @Test
    void writingAVersionOutOfRangeOrAJsonHeaderAsBinaryIsAProgrammingError() {
        assertThrows(BadInputException.class, () -> NAMED.toBytes(5));
        assertThrows(BadInputException.class, () -> NAMED.toBytes(1));
        assertThrows(BadInputException.class, () -> FormatHeader.compactBinary("x", new byte[0], 1, 1));
        assertThrows(BadInputException.class, () -> FormatHeader.compactBinary("x", new byte[] {1}, 1, 256));
        assertThrows(BadInputException.class, () -> FormatHeader.json("x", "x", 2, 1));
        assertThrows(IllegalStateException.class, () -> PIPELINE.toBytes(1));
        assertThrows(IllegalStateException.class, () -> COMPACT.writeJson(JSON.createObjectNode(), 1));
    }

    @Test
    void jsonHeaderLeadsTheObjectWithFormatAndFormatVersion() throws Exception {
        ObjectNode root = PIPELINE.writeJson(JSON.createObjectNode(), 3);
        root.put("payload", 1);
        assertEquals("{\"format\":\"persona4j-test-pipeline\",\"formatVersion\":3,\"payload\":1}", JSON.writeValueAsString(root));
        assertEquals(3, PIPELINE.checkJson(JSON.readTree(JSON.writeValueAsString(root)), "p.json"));
        ObjectNode legacy = PIPELINE.writeLegacyJson(JSON.createObjectNode(), 2);
        assertEquals("{\"format\":\"persona4j-test-pipeline\",\"version\":2}", JSON.writeValueAsString(legacy));
    }

    @Test
    void jsonReadsTheLegacyVersionKeyAndPrefersTheNewOne() throws Exception {
        assertEquals(2, PIPELINE.checkJson(json("{\"format\":\"persona4j-test-pipeline\",\"version\":2}"), null));
        assertEquals(3, PIPELINE.checkJson(json("{\"format\":\"persona4j-test-pipeline\",\"formatVersion\":3,\"version\":9}"), null));
    }

    @Test
    void jsonErrorsSayWhatWasFoundAndExpected() throws Exception {
        assertEquals("p.json: not a test pipeline file: expected \"format\": \"persona4j-test-pipeline\", found \"other\"",
                jsonError("{\"format\":\"other\",\"formatVersion\":1}"));
        assertEquals("p.json: not a test pipeline file: expected \"format\": \"persona4j-test-pipeline\", found no \"format\" key",
                jsonError("{\"formatVersion\":1}"));
        assertEquals("p.json: not a test pipeline file: expected a JSON object with \"format\": \"persona4j-test-pipeline\", found array",
                jsonError("[1]"));
        assertEquals("p.json: Unknown test pipeline format version 7 (too new): this SDK supports versions 1 to 3",
                jsonError("{\"format\":\"persona4j-test-pipeline\",\"formatVersion\":7}"));
        assertEquals("p.json: Unknown test pipeline format version 0 (too old): this SDK supports versions 1 to 3",
                jsonError("{\"format\":\"persona4j-test-pipeline\",\"version\":0}"));
        assertEquals("p.json: field 'formatVersion': expected an integer format version, found \"1\"",
                jsonError("{\"format\":\"persona4j-test-pipeline\",\"formatVersion\":\"1\"}"));
        assertTrue(jsonError("{\"format\":\"persona4j-test-pipeline\"}").contains("neither \"formatVersion\" nor \"version\""));
        assertThrows(ModelFormatException.class, () -> PIPELINE.checkJson(null, null));
    }

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static String jsonError(String s) throws Exception {
        JsonNode n = json(s);
        return assertThrows(ModelFormatException.class, () -> PIPELINE.checkJson(n, "p.json")).getMessage();
    }
}
