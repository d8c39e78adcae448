package org.persona4j.features.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.persona4j.core.FeatureSchema;
import org.persona4j.features.aggregate.AggregateSnapshot;

/**
 * One contiguous block of a {@link FittedFeaturePipeline} vector: a name, its field names (the
 * block's width is their number), the kind of its values (schema type and default bounds) and how
 * it writes its slice. The pipeline's layout, field names, implied schema and extraction are all
 * derived from its list of blocks, so they cannot drift apart.
 *
 * @param name the block name (for messages and tests)
 * @param kind the type and default bounds of every field
 * @param fields the field names in slot order
 * @param writer writes the block's values into {@code x[offset .. offset + width())}
 */
record FeatureBlock(String name, Kind kind, List<String> fields, Writer writer) {
    /** The schema type and default bounds of a block's fields. */
    enum Kind {
        /** Normalised numerics; the bounds are the fitted training range (0 / 0 until fitted). */
        FITTED_NUMERIC(FeatureSchema.Type.NUMERIC, 0, 0),
        /** 0 or 1. */
        BINARY(FeatureSchema.Type.BINARY, 0, 1),
        /** Shares and proportions in [0, 1]. */
        SHARE(FeatureSchema.Type.NUMERIC, 0, 1),
        /** Values in [-1, 1]: sines, cosines, signed hashed TF-IDF. */
        SIGNED(FeatureSchema.Type.NUMERIC, -1, 1);

        final FeatureSchema.Type type;
        final double min;
        final double max;

        Kind(FeatureSchema.Type type, double min, double max) {
            this.type = type;
            this.min = min;
            this.max = max;
        }
    }

    /** What a block reads: the user's aggregates and the input they came from. */
    record Row(AggregateSnapshot snapshot, UserInput input) {
    }

    /** Writes a block's slice. */
    @FunctionalInterface
    interface Writer {
        /**
         * @param row the user
         * @param x the vector (zeros in the block's slice)
         * @param offset where the block starts
         */
        void write(Row row, float[] x, int offset);
    }

    /**
     * A value of the snapshot with its field name.
     *
     * @param field the field name
     * @param value computes the value
     */
    record Scalar(String field, ToDoubleFunction<AggregateSnapshot> value) {
    }

    FeatureBlock {
        fields = List.copyOf(fields);
    }

    /** @return a block of one field per scalar, each name next to the value it names */
    static FeatureBlock scalars(String name, Kind kind, List<Scalar> scalars) {
        List<Scalar> sc = List.copyOf(scalars);
        List<String> fields = new ArrayList<>(sc.size());
        sc.forEach(s -> fields.add(s.field()));
        return new FeatureBlock(name, kind, fields, (row, x, o) -> {
            for (int j = 0; j < sc.size(); j++) {
                x[o + j] = (float) sc.get(j).value().applyAsDouble(row.snapshot());
            }
        });
    }

    /** @return a 0/1 scalar */
    static Scalar flag(String field, Predicate<AggregateSnapshot> p) {
        return new Scalar(field, s -> p.test(s) ? 1 : 0);
    }

    /** @return the number of fields */
    int width() {
        return fields.size();
    }
}
