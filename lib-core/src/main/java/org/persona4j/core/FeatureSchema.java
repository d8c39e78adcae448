package org.persona4j.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names, types, ranges and vocabulary sizes of the values a {@link FeatureExtractor} emits, in
 * order. Its {@link #hash()} ties saved models to the features they were trained on.
 *
 * @param fields the fields in output order, unique names
 */
public record FeatureSchema(List<Field> fields) {

    /** How a field's values are to be read. */
    public enum Type {
        /** A real number (normalised or raw). */
        NUMERIC,
        /** 0 or 1 (one-hot, multi-hot, flags). */
        BINARY,
        /** An index into a vocabulary of {@code vocabularySize} entries. */
        INDEX
    }

    /**
     * One field.
     *
     * @param name unique name ("rfm.recency_days", "category=Beauty")
     * @param type how to read it
     * @param min smallest value seen at fit time (or the defined lower bound)
     * @param max largest value seen at fit time (or the defined upper bound)
     * @param vocabularySize for INDEX fields the number of indices, else 0
     */
    public record Field(String name, Type type, double min, double max, int vocabularySize) {
        /** Validates. @throws BadInputException naming the bad field */
        public Field {
            Checks.requireId("name", name);
            if (type == null) {
                throw new BadInputException("schema field " + name + ": 'type' is required");
            }
            if (vocabularySize < 0 || (type == Type.INDEX && vocabularySize == 0)) {
                throw new BadInputException("schema field " + name + ": 'vocabularySize' must be > 0 for INDEX fields and >= 0 otherwise, was " + vocabularySize);
            }
            if (min > max) {
                throw new BadInputException("schema field " + name + ": 'min' " + min + " > 'max' " + max);
            }
        }
    }

    /** Validates and copies. @throws BadInputException on duplicate names */
    public FeatureSchema {
        fields = List.copyOf(fields);
        Set<String> seen = new HashSet<>();
        for (Field f : fields) {
            if (!seen.add(f.name())) {
                throw new BadInputException("feature schema: duplicate field name '" + f.name() + "'");
            }
        }
    }

    /** @return the number of fields, i.e. the length of an extracted vector */
    public int size() {
        return fields.size();
    }

    /** @return SHA-256 (hex) of the names, types and vocabulary sizes, stable across runs and JVMs */
    public String hash() {
        StringBuilder sb = new StringBuilder();
        for (Field f : fields) {
            sb.append(f.name()).append('\u0001').append(f.type()).append('\u0001').append(f.vocabularySize()).append('\n');
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : d) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /**
     * @param expectedHash the hash a saved artifact recorded
     * @throws SchemaMismatchException when this schema's hash differs
     */
    public void requireHash(String expectedHash) {
        String h = hash();
        if (!h.equals(expectedHash)) {
            throw new SchemaMismatchException("feature schema hash", expectedHash, h);
        }
    }
}
