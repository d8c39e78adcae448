package org.persona4j.features.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.SchemaMismatchException;

class FeaturePipelineTest {
    private static final TinyShop SHOP = new TinyShop(7, 120, 80);

    private static FittedFeaturePipeline fit() {
        return new FeaturePipeline(FeaturePipelineConfig.defaults().withMinCounts(2, 2)).fit(SHOP.events, SHOP.catalog, SHOP.users);
    }

    private static UserInput input(String u) {
        return UserInput.of(u, SHOP.eventsOf(u), SHOP.users.get(u));
    }

    @Test
    void vectorsMatchSchemaAndAreFinite() {
        FittedFeaturePipeline p = fit();
        FeatureSchema s = p.schema();
        assertTrue(s.fields().stream().anyMatch(f -> f.name().equals("affinity.top=Beauty")));
        assertTrue(s.fields().stream().anyMatch(f -> f.name().equals("attr.gender=F")));
        for (String u : SHOP.users.keySet()) {
            float[] x = p.extract(input(u));
            assertEquals(s.size(), x.length);
            for (int i = 0; i < x.length; i++) {
                assertTrue(Float.isFinite(x[i]), s.fields().get(i).name());
                FeatureSchema.Field f = s.fields().get(i);
                assertTrue(x[i] >= f.min() - 1e-5 && x[i] <= f.max() + 1e-5,
                        u + " " + f.name() + "=" + x[i] + " outside [" + f.min() + ", " + f.max() + "]");
            }
        }
    }

    @Test
    void fittingIsDeterministic() {
        assertEquals(fit().toJson(), fit().toJson());
    }

    @Test
    void saveLoadRoundTripsExactly(@TempDir Path dir) throws Exception {
        FittedFeaturePipeline p = fit();
        Path f = dir.resolve("features.json");
        p.save(f);
        FittedFeaturePipeline q = FittedFeaturePipeline.load(f, SHOP.catalog);
        assertEquals(p.state().normalizers(), q.state().normalizers());
        assertEquals(p.schema(), q.schema());
        assertEquals(Files.readString(f), q.toJson(), "saving the loaded pipeline gives the same text");
        for (String u : SHOP.users.keySet()) {
            assertArrayEquals(p.extract(input(u)), q.extract(input(u)), u);
        }
        FittedFeaturePipeline r = FittedFeaturePipeline.load(f, SHOP.catalog, p.schema().hash());
        assertEquals(p.schema().hash(), r.schema().hash());
    }

    @Test
    void concurrentExtractionEqualsSequential() throws Exception {
        FittedFeaturePipeline p = fit();
        List<String> users = new ArrayList<>(SHOP.users.keySet());
        List<float[]> seq = new ArrayList<>();
        users.forEach(u -> seq.add(p.extract(input(u))));
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> fs = new ArrayList<>();
            users.forEach(u -> fs.add(ex.submit(() -> p.extract(input(u)))));
            for (int i = 0; i < users.size(); i++) {
                assertArrayEquals(seq.get(i), fs.get(i).get());
            }
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void unknownVersionNamesBothVersions() {
        String json = fit().toJson().replace("\"version\" : 1,", "\"version\" : 7,");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> FittedFeaturePipeline.fromJson(json, SHOP.catalog));
        assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("versions 1 to 1"), e.getMessage());
        assertThrows(ModelFormatException.class, () -> FittedFeaturePipeline.fromJson("{\"format\":\"other\"}", SHOP.catalog));
        assertThrows(ModelFormatException.class, () -> FittedFeaturePipeline.fromJson("not json", SHOP.catalog));
    }

    @Test
    void schemaMismatchIsDetected(@TempDir Path dir) throws Exception {
        FittedFeaturePipeline p = fit();
        // a vocabulary edited behind the schema's back
        String edited = p.toJson().replaceFirst("\"ids\" : \\[ \"", "\"ids\" : [ \"X");
        SchemaMismatchException e = assertThrows(SchemaMismatchException.class, () -> FittedFeaturePipeline.fromJson(edited, SHOP.catalog));
        assertTrue(e.getMessage().contains("expected") && e.getMessage().contains("found"), e.getMessage());
        Path f = dir.resolve("p.json");
        p.save(f);
        SchemaMismatchException m = assertThrows(SchemaMismatchException.class, () -> FittedFeaturePipeline.load(f, SHOP.catalog, "abc"));
        assertEquals("abc", m.expected());
        assertEquals(p.schema().hash(), m.actual());
    }

    @Test
    void userFeatureTableHoldsEveryUsersVector() {
        FittedFeaturePipeline p = fit();
        UserFeatureTable t = UserFeatureTable.of(p, SHOP.events, SHOP.users, -1);
        assertEquals(SHOP.users.size(), t.size());
        assertEquals(p.schema().size(), t.dimension());
        assertEquals(p.schema().hash(), t.schemaHash());
        assertArrayEquals(p.extract(input("u3")), t.features("u3"));
        assertEquals(null, t.features("no-such-user"));
        t.features("u3")[0] = 99f;
        assertArrayEquals(p.extract(input("u3")), t.features("u3"), "vectors are copied out");
    }
}
