package org.persona4j.features.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.persona4j.core.FeatureSchema;
import org.persona4j.features.aggregate.AggregateSnapshot;

/** The pipeline's layout, field names, schema and extraction all follow from one list of blocks. */
class FeatureBlocksTest {
    private static final TinyShop SHOP = new TinyShop(11, 150, 80);

    private static FittedFeaturePipeline fit() {
        return new FeaturePipeline(FeaturePipelineConfig.defaults().withMinCounts(1, 1)).fit(SHOP.events, SHOP.catalog, SHOP.users);
    }

    @Test
    void fieldNamesAndSchemaAreTheBlocksInOrder() {
        FittedFeaturePipeline p = fit();
        List<String> names = new ArrayList<>();
        FeatureSchema s = p.schema();
        for (FeatureBlock b : p.blocks()) {
            assertTrue(b.width() > 0, b.name());
            for (String f : b.fields()) {
                FeatureSchema.Field field = s.fields().get(names.size());
                assertEquals(f, field.name());
                assertEquals(b.kind().type, field.type(), f);
                if (b.kind() != FeatureBlock.Kind.FITTED_NUMERIC) {
                    assertEquals(b.kind().min, field.min(), f);
                    assertEquals(b.kind().max, field.max(), f);
                }
                names.add(f);
            }
        }
        assertEquals(names, p.fieldNames());
        assertEquals(s.size(), names.size());
        assertEquals(names.size(), names.stream().distinct().count(), "field names are unique");
        assertEquals(FittedFeaturePipeline.numericNames(), p.blocks().get(0).fields());
        assertEquals(List.of("time.hours_00_03", "time.hours_04_07", "time.hours_08_11", "time.hours_12_15", "time.hours_16_19",
                "time.hours_20_23"), p.blocks().stream().filter(b -> b.name().equals("hour bands")).findFirst().orElseThrow().fields());
    }

    @Test
    void everyBlockWritesOnlyItsOwnSlice() {
        FittedFeaturePipeline p = fit();
        int size = p.schema().size();
        for (String u : SHOP.users.keySet()) {
            UserInput in = UserInput.of(u, SHOP.eventsOf(u), SHOP.users.get(u));
            AggregateSnapshot snap = p.snapshot(in);
            float[] whole = new float[size];
            int offset = 0;
            for (FeatureBlock b : p.blocks()) {
                float[] alone = new float[size];
                b.writer().write(new FeatureBlock.Row(snap, in), alone, offset);
                for (int i = 0; i < size; i++) {
                    if (i < offset || i >= offset + b.width()) {
                        assertEquals(0f, alone[i], u + ": block '" + b.name() + "' wrote outside its slice at " + i);
                    } else {
                        whole[i] = alone[i];
                    }
                }
                offset += b.width();
            }
            assertEquals(size, offset);
            float[] x = p.extract(in);
            for (int i = 0; i < size; i++) {
                assertEquals(whole[i], x[i], u + " " + p.schema().fields().get(i).name());
            }
        }
    }
}
