package org.persona4j.models.train;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.persona4j.eval.EvalSplit;
import org.persona4j.models.profile.DeepProfileModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last model the evaluation harness trained, kept as an artifact in a temporary file, so that
 * {@code lstm}, {@code lstm-hybrid} and {@code default} in one {@code evaluate} run train it once:
 * the same split (the same object) and the same options load it again (a fresh model each time;
 * the callers close theirs). One entry; the file is deleted when replaced and at JVM exit.
 */
final class TrainedModelCache {
    private static final Logger LOG = LoggerFactory.getLogger(TrainedModelCache.class);
    private static WeakReference<EvalSplit> split = new WeakReference<>(null);
    private static String key;
    private static Path file;

    private TrainedModelCache() {
    }

    /** @return the kept model for this split and key, loaded anew, or null */
    static synchronized DeepProfileModel load(EvalSplit s, String k) {
        if (file == null || split.get() != s || !k.equals(key)) {
            return null;
        }
        try {
            DeepProfileModel m = DeepProfileModel.load(file);
            LOG.info("reusing the model trained earlier in this run for the same split and options ({})", m.version());
            return m;
        } catch (IOException e) {
            LOG.warn("the kept model {} could not be read again ({}): training anew", file, e.toString());
            return null;
        }
    }

    /**
     * Keeps a copy of {@code m} for this split and key, replacing the previous one; when the copy
     * cannot be written, nothing is kept (a later fit trains again) and a warning says why.
     */
    static synchronized void keep(EvalSplit s, String k, DeepProfileModel m) {
        clear();
        try {
            Path f = Files.createTempFile("persona4j-eval-model-", ".zip");
            f.toFile().deleteOnExit();
            file = f;
            m.save(f);
            split = new WeakReference<>(s);
            key = k;
        } catch (IOException e) {
            LOG.warn("the trained model could not be kept for reuse ({}): a later recommender trains it again", e.toString());
            clear();
        }
    }

    /** @return whether a model is kept for this split (tests) */
    static synchronized boolean holds(EvalSplit s) {
        return file != null && split.get() == s;
    }

    /** Forgets the kept model and deletes its file. */
    static synchronized void clear() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", file, e.toString());
            }
        }
        file = null;
        key = null;
        split = new WeakReference<>(null);
    }
}
