package org.persona4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.FeatureExtractor;

/**
 * The {@link FeatureExtractor} contract as tests: vectors of the schema's length with finite
 * values, a new array per call, the same vector for the same input (also from several threads),
 * null refused with {@link BadInputException}, unknown ids mapped rather than failing.
 *
 * @param <T> the input type
 */
public abstract class FeatureExtractorContract<T> {
    /** @return the fitted extractor under test */
    protected abstract FeatureExtractor<T> extractor();

    /** @return a few inputs the extractor was fitted on */
    protected abstract List<T> knownInputs();

    /** @return an input carrying ids the extractor never saw (mapped to the out-of-vocabulary value) */
    protected abstract T unknownInput();

    @Test
    public void vectorsHaveTheSchemasLengthAndFiniteValues() {
        FeatureExtractor<T> fx = extractor();
        int n = fx.schema().size();
        List<T> all = new ArrayList<>(knownInputs());
        all.add(unknownInput());
        for (T in : all) {
            float[] v = fx.extract(in);
            assertEquals(n, v.length, "vector length for " + in);
            for (int i = 0; i < v.length; i++) {
                assertTrue(Float.isFinite(v[i]), "component " + i + " of " + in + " is " + v[i]);
            }
        }
    }

    @Test
    public void sameInputSameVectorNewArray() {
        FeatureExtractor<T> fx = extractor();
        for (T in : knownInputs()) {
            float[] a = fx.extract(in);
            float[] b = fx.extract(in);
            assertArrayEquals(a, b);
            assertNotSame(a, b, "extract must return a new array");
            a[0] = Float.NaN;
            assertArrayEquals(b, fx.extract(in), "changing a returned vector must not change the extractor");
        }
    }

    @Test
    public void nullIsBadInput() {
        assertThrows(BadInputException.class, () -> extractor().extract(null));
    }

    @Test
    public void concurrentCallsAgree() throws Exception {
        FeatureExtractor<T> fx = extractor();
        List<T> in = knownInputs();
        List<float[]> expected = new ArrayList<>();
        for (T t : in) {
            expected.add(fx.extract(t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> got = new ArrayList<>();
            for (int rep = 0; rep < 8; rep++) {
                for (T t : in) {
                    got.add(pool.submit(() -> fx.extract(t)));
                }
            }
            for (int i = 0; i < got.size(); i++) {
                assertArrayEquals(expected.get(i % in.size()), got.get(i).get(), "concurrent call " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
