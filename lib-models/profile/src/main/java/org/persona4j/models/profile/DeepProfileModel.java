package org.persona4j.models.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.SchemaMismatchException;
import org.persona4j.core.UserProfile;
import org.persona4j.core.UserState;
import org.persona4j.features.sequence.EncodedStep;
import org.persona4j.features.encode.IdVocabulary;
import org.persona4j.features.sequence.SequenceEncoder;
import org.persona4j.features.sequence.SequenceEncoderJson;
import org.persona4j.models.nn.LeanProfileNetwork;
import org.persona4j.models.nn.LeanWeights;
import org.persona4j.models.nn.ProfileNetState;
import org.persona4j.models.profile.artifact.ArtifactContents;
import org.persona4j.models.profile.artifact.ArtifactKey;
import org.persona4j.models.profile.artifact.ModelArtifact;

/**
 * The deep profile model: serves profiles from a trained embedding + LSTM network through the
 * plain-Java path of {@link org.persona4j.models.nn} (no ND4J call per request).
 *
 * <p>The user embedding is {@code [u, 1]} where {@code u} is the projection of the last hidden
 * state into the item output space; an item embedding is {@code [w_i, b_i]} (output weights and
 * bias), so their dot product is exactly the next-item logit. The profile also holds the purchase
 * propensity ({@code propensities.purchase}: the probability of a purchase within the trained
 * horizon after the last event), the churn risk ({@code propensities.churn}: the probability of no
 * activity in the trained period after the last event; only for networks with a churn head) and
 * category interests (strongest first, at most 20). Purchase and churn pass through the Platt
 * scaling the trainer fitted on validation users ({@value #CALIBRATION_KEY} in the manifest,
 * {@link PlattScaling}); artifacts written before calibration existed serve the raw purchase output
 * and no churn. The cold-start profile is the network's output for the all-zero state.
 *
 * <p>The long-term embedding ({@link UserProfile#longTermEmbedding()}) is the mean, over every
 * event folded into the state, of the embedding the profile had right after that event:
 * {@code [mean_t(u_t), 1]}, same length and item space as the embedding. Because the item score is
 * linear in the user vector, its dot product with an item embedding is the user's mean next-item
 * logit for that item over their history. The last-state embedding follows the current session;
 * the mean follows the persona, which is what segments should be found on (on a planted-persona
 * shop k-means recovers the personas from the mean far better, see docs/segments.md). It is kept
 * as a running mean in the state, updated in O(projection × hidden) per event (one projection of
 * the new hidden state), so {@link #update} in real time and {@link #encode} over a history give
 * bit-identical results. Cold start (no events): the long-term embedding is empty; the mean of no
 * vectors is undefined and the cold-start embedding says nothing about a persona.
 *
 * <p>It is a plain, equally weighted mean (no decay). A recency-weighted (exponential) mean would
 * follow drifting tastes, but the embedding already follows the present; a half-life would be a
 * serving choice outside the trained weights that states (and stored profiles) would have to carry
 * to stay comparable, so it is not offered.
 *
 * <p>Serving needs only this module: the artifact holds the weights in the project's own format
 * ({@link LeanWeights}), read without DL4J, ND4J or Java deserialization. Models are trained by
 * {@code org.persona4j.models.train.ProfileTrainer} (module {@code persona4j-profile-train}).
 *
 * <p>Thread-safe: the weights are immutable and states are values. The model holds no native
 * memory; {@link #close()} only marks it closed (later calls raise {@link IllegalStateException}).
 */
public final class DeepProfileModel implements ProfileModel {
    /** Number of category interests reported in a profile. */
    public static final int MAX_INTERESTS = 20;
    /** The manifest key of the model version (a content hash of weights and encoder). */
    public static final String MODEL_VERSION_KEY = "modelVersion";
    /**
     * The manifest key of the calibration: {@code {"method": "platt", "purchase": {"a", "b",
     * "examples", "positives"}, "churn": {...}}}, each head optional; or, with method
     * {@code "time-aware"}, per head {@code {"weights": [11 numbers], "bias", "examples",
     * "positives"}} ({@link TimeAwareCalibration}). A head object may name its own {@code "method"}.
     */
    public static final String CALIBRATION_KEY = "calibration";
    /** The propensity key of the purchase head. */
    public static final String PURCHASE = "purchase";
    /** The propensity key of the churn head. */
    public static final String CHURN = "churn";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SequenceEncoder encoder;
    private final LeanProfileNetwork lean;
    private final ObjectNode manifest;
    private final String version;
    private final UserFeatureSource features;
    private final PlattScaling purchaseCalibration;
    private final PlattScaling churnCalibration;
    private final TimeAwareCalibration purchaseTimed;
    private final TimeAwareCalibration churnTimed;
    private volatile boolean closed;

    private DeepProfileModel(SequenceEncoder encoder, LeanProfileNetwork lean, ObjectNode manifest, UserFeatureSource features) {
        this.encoder = encoder;
        this.lean = lean;
        this.features = features;
        String v = manifest.path(MODEL_VERSION_KEY).asText("");
        if (v.isEmpty()) {
            v = contentVersion(lean, encoder);
            manifest = manifest.deepCopy();
            manifest.put(MODEL_VERSION_KEY, v);
        }
        this.manifest = manifest;
        this.version = v;
        int staticSize = manifest.path("staticFeatures").path("dimension").asInt(0);
        if (staticSize != lean.staticSize()) {
            throw new ModelFormatException("the manifest's static feature dimension " + staticSize
                    + " differs from the network's " + lean.staticSize());
        }
        Object pc = calibration(manifest, PURCHASE);
        Object cc = calibration(manifest, CHURN);
        this.purchaseCalibration = pc instanceof PlattScaling p ? p : null;
        this.churnCalibration = cc instanceof PlattScaling p ? p : null;
        this.purchaseTimed = pc instanceof TimeAwareCalibration t ? t : null;
        this.churnTimed = cc instanceof TimeAwareCalibration t ? t : null;
    }

    private static final String PLATT = "platt";
    private static final String TIME_AWARE = "time-aware";

    /**
     * The calibration of one head recorded in the manifest: a {@link PlattScaling}, a
     * {@link TimeAwareCalibration}, or null when there is none.
     */
    private static Object calibration(ObjectNode manifest, String head) {
        com.fasterxml.jackson.databind.JsonNode c = manifest.path(CALIBRATION_KEY);
        if (c.isMissingNode() || c.isNull()) {
            return null;
        }
        if (!c.isObject()) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + " must be an object, was " + c.getNodeType());
        }
        String top = c.path("method").asText(PLATT);
        if (!PLATT.equals(top) && !TIME_AWARE.equals(top)) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + ".method must be \"platt\" or \"" + TIME_AWARE
                    + "\", was \"" + top + "\"");
        }
        com.fasterxml.jackson.databind.JsonNode h = c.path(head);
        if (h.isMissingNode() || h.isNull()) {
            return null;
        }
        String method = h.path("method").asText(top);
        if (TIME_AWARE.equals(method)) {
            return timeAware(h, head);
        }
        if (!PLATT.equals(method)) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + "." + head + " method must be \"platt\" or \""
                    + TIME_AWARE + "\", was \"" + method + "\"");
        }
        if (!h.path("a").isNumber() || !h.path("b").isNumber()) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + "." + head + " needs numbers a and b, was " + h);
        }
        try {
            return new PlattScaling(h.path("a").asDouble(), h.path("b").asDouble(), h.path("examples").asInt(0),
                    h.path("positives").asInt(0));
        } catch (BadInputException e) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + "." + head + ": " + e.getMessage(), e);
        }
    }

    private static TimeAwareCalibration timeAware(com.fasterxml.jackson.databind.JsonNode h, String head) {
        com.fasterxml.jackson.databind.JsonNode w = h.path("weights");
        if (!w.isArray() || w.size() != TimeAwareCalibration.FEATURES.size() || !h.path("bias").isNumber()) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + "." + head + " needs " + TimeAwareCalibration.FEATURES.size()
                    + " weights " + TimeAwareCalibration.FEATURES + " and a number bias, was " + h);
        }
        double[] ws = new double[w.size()];
        for (int i = 0; i < ws.length; i++) {
            if (!w.get(i).isNumber()) {
                throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + "." + head + ".weights[" + i + "] must be a number, was "
                        + w.get(i));
            }
            ws[i] = w.get(i).asDouble();
        }
        try {
            return new TimeAwareCalibration(ws, h.path("bias").asDouble(), h.path("examples").asInt(0), h.path("positives").asInt(0));
        } catch (BadInputException e) {
            throw new ModelFormatException("the manifest's " + CALIBRATION_KEY + "." + head + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param head {@value #PURCHASE} or {@value #CHURN}
     * @return the time-aware calibration of that head, empty when it has none (see {@link #calibration})
     */
    public Optional<TimeAwareCalibration> timeAwareCalibration(String head) {
        return Optional.ofNullable(PURCHASE.equals(head) ? purchaseTimed : CHURN.equals(head) ? churnTimed : null);
    }

    /**
     * @param head {@value #PURCHASE} or {@value #CHURN}
     * @return the Platt scaling applied to that head, empty when it is served raw, time-aware (or absent)
     */
    public Optional<PlattScaling> calibration(String head) {
        return Optional.ofNullable(PURCHASE.equals(head) ? purchaseCalibration : CHURN.equals(head) ? churnCalibration : null);
    }

    /** The first 16 hex digits of the SHA-256 of the serving weights and the encoder JSON. */
    private static String contentVersion(LeanProfileNetwork lean, SequenceEncoder encoder) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            try (java.io.OutputStream os = new java.security.DigestOutputStream(java.io.OutputStream.nullOutputStream(), md)) {
                LeanWeights.write(lean, os);
                os.write(SequenceEncoderJson.toJson(encoder).getBytes(StandardCharsets.UTF_8));
            }
            StringBuilder sb = new StringBuilder();
            for (byte x : md.digest()) {
                sb.append(String.format("%02x", x));
            }
            return sb.substring(0, 16);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the model", e);
        }
    }

    /**
     * A model from its parts; the training module's way to hand over what it trained.
     *
     * @param encoder the fitted sequence encoder
     * @param network the serving weights
     * @param manifestJson the manifest (hyper-parameters, provenance, schema hash; {@value #MODEL_VERSION_KEY}
     *     if the trainer fixed it, otherwise it is computed from the weights and the encoder)
     * @param features static user features, or null
     * @return the model
     * @throws ModelFormatException when the parts do not fit together
     */
    public static DeepProfileModel create(SequenceEncoder encoder, LeanProfileNetwork network, String manifestJson,
                                          UserFeatureSource features) {
        ObjectNode m;
        try {
            m = (ObjectNode) JSON.readTree(manifestJson);
        } catch (IOException | ClassCastException e) {
            throw new ModelFormatException("the manifest is not a JSON object: " + e.getMessage(), e);
        }
        return new DeepProfileModel(encoder, network, m, features);
    }

    /**
     * Loads an artifact written by {@link #save(Path)}; a model trained with static user features
     * needs {@link #load(Path, String, UserFeatureSource)}.
     *
     * @param file the artifact
     * @return the model
     * @throws IOException when the file cannot be read
     * @throws ModelFormatException when it is corrupt, truncated, too new or not an artifact
     * @throws SchemaMismatchException when the model needs static features
     */
    public static DeepProfileModel load(Path file) throws IOException {
        return load(file, null, null);
    }

    /**
     * Loads an artifact that must be signed with the key ({@link #save(Path, ArtifactKey)}).
     *
     * @param file the artifact
     * @param key the key it must be signed with, or null to accept an unsigned artifact (as {@link #load(Path)})
     * @return the model
     * @throws IOException when the file cannot be read
     * @throws ModelFormatException when it is unsigned, its signature does not match the key, or it
     *     is corrupt, truncated, too new or not an artifact
     */
    public static DeepProfileModel load(Path file, ArtifactKey key) throws IOException {
        return load(file, null, null, key);
    }

    /**
     * Loads an artifact and checks it against the caller's feature schema.
     *
     * @param file the artifact
     * @param expectedSchemaHash the sequence-feature schema hash the caller expects, or null to skip the check
     * @param features static user features (required when the model was trained with them), or null
     * @return the model
     * @throws IOException when the file cannot be read
     * @throws ModelFormatException when it is corrupt, truncated, too new or not an artifact
     * @throws SchemaMismatchException when a schema hash or the static feature dimension differs
     */
    public static DeepProfileModel load(Path file, String expectedSchemaHash, UserFeatureSource features) throws IOException {
        return load(file, expectedSchemaHash, features, null);
    }

    /**
     * Loads an artifact, checks its signature when a key is given, and checks it against the
     * caller's feature schema.
     *
     * @param file the artifact
     * @param expectedSchemaHash the sequence-feature schema hash the caller expects, or null to skip the check
     * @param features static user features (required when the model was trained with them), or null
     * @param key the key the artifact must be signed with, or null to accept an unsigned artifact
     * @return the model
     * @throws IOException when the file cannot be read
     * @throws ModelFormatException when it is unsigned or wrongly signed (with a key), corrupt,
     *     truncated, too new or not an artifact
     * @throws SchemaMismatchException when a schema hash or the static feature dimension differs
     */
    public static DeepProfileModel load(Path file, String expectedSchemaHash, UserFeatureSource features,
                                        ArtifactKey key) throws IOException {
        ArtifactContents a = ModelArtifact.read(file, key);
        ObjectNode m = a.manifest();
        SequenceEncoder enc;
        try {
            enc = SequenceEncoderJson.fromJson(a.encoderJson());
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
        String recorded = m.path("featureSchemaHash").asText("");
        String actual = enc.schema().hash();
        if (!recorded.equals(actual)) {
            throw new SchemaMismatchException(file + ": feature schema hash (manifest vs encoder)", recorded, actual);
        }
        if (expectedSchemaHash != null && !expectedSchemaHash.equals(recorded)) {
            throw new SchemaMismatchException(file + ": feature schema hash", expectedSchemaHash, recorded);
        }
        int staticDim = m.path("staticFeatures").path("dimension").asInt(0);
        int given = features == null ? 0 : features.dimension();
        if (staticDim != given) {
            throw new SchemaMismatchException(file + ": static user feature dimension", staticDim, given);
        }
        if (staticDim > 0) {
            String h = m.path("staticFeatures").path("schemaHash").asText("");
            if (!h.equals(features.schemaHash())) {
                throw new SchemaMismatchException(file + ": static user feature schema hash", h, features.schemaHash());
            }
        }
        try {
            return new DeepProfileModel(enc, a.network(), m, features);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the model artifact atomically.
     *
     * @param file the target
     * @throws IOException when writing fails
     */
    public void save(Path file) throws IOException {
        save(file, null);
    }

    /**
     * Writes the model artifact atomically, signed with HMAC-SHA256 under the key (see
     * {@link ModelArtifact}); load it with {@link #load(Path, ArtifactKey)}.
     *
     * @param file the target
     * @param key the signing key, or null for an unsigned artifact
     * @throws IOException when writing fails
     */
    public void save(Path file, ArtifactKey key) throws IOException {
        requireOpen();
        ModelArtifact.write(file, new ArtifactContents(manifest, SequenceEncoderJson.toJson(encoder), lean), key);
    }

    /** @return a copy of the manifest (hyper-parameters, provenance, schema hash) as JSON text */
    public String manifestJson() {
        return manifest.toPrettyString();
    }

    /** @return the fitted sequence encoder (vocabularies) */
    public SequenceEncoder encoder() {
        return encoder;
    }

    /** @return the hash of the sequence-feature schema the model was trained on */
    public String featureSchemaHash() {
        return encoder.schema().hash();
    }

    /** @return the known item ids, in the order of {@link #itemScores(UserState)} */
    public List<String> itemIds() {
        return encoder.items().ids();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public int embeddingSize() {
        return lean.projectionSize() + 1;
    }

    @Override
    public UserState newState(String userId) {
        requireOpen();
        requireUser(userId);
        return new DeepUserState(userId, 0, -1, new ActivityCounters(), lean.initialState(), new double[lean.projectionSize()], version);
    }

    /** The state as this model's own, after checking that the event is there and is its user's. */
    private DeepUserState checked(UserState state, BehaviorEvent event) {
        requireOpen();
        DeepUserState s = own(state);
        if (event == null) {
            throw new BadInputException("update: event is required, was null");
        }
        if (!event.userId().equals(s.userId)) {
            throw new BadInputException("update: event of user '" + event.userId() + "' folded into the state of user '" + s.userId + "'");
        }
        return s;
    }

    @Override
    public UserState update(UserState state, BehaviorEvent event) {
        DeepUserState s = checked(state, event);
        return step(s, event);
    }

    /**
     * {@inheritDoc} Here the recurrent state and the running mean are overwritten in place: per
     * event only short-lived scratch arrays are allocated.
     */
    @Override
    public UserState updateOwned(UserState state, BehaviorEvent event) {
        DeepUserState s = checked(state, event);
        EncodedStep e = encoder.encodeStep(event, s.lastMillis);
        lean.stepInPlace(s.net, e.item(), e.type(), e.category(), e.gap());
        long n = s.count + 1;
        foldMean(s.meanUser, lean.userVector(s.net), n, s.meanUser);
        s.count = n;
        s.activity.add(event.timestampMillis(), event.type());
        s.lastMillis = event.timestampMillis();
        return s;
    }

    private DeepUserState step(DeepUserState s, BehaviorEvent event) {
        EncodedStep e = encoder.encodeStep(event, s.lastMillis);
        ProfileNetState next = lean.step(s.net, e.item(), e.type(), e.category(), e.gap());
        long n = s.count + 1;
        double[] mean = foldMean(s.meanUser, lean.userVector(next), n, new double[s.meanUser.length]);
        ActivityCounters activity = s.activity.copy();
        activity.add(event.timestampMillis(), event.type());
        return new DeepUserState(s.userId, n, event.timestampMillis(), activity, next, mean, version);
    }

    /**
     * The running mean in double after the {@code n}-th user vector {@code u}:
     * {@code m_n = m_(n-1) + (u_n - m_(n-1)) / n} ({@code m_1 = u_1} exactly), written to {@code out}
     * (which may be {@code prev} itself).
     */
    private static double[] foldMean(double[] prev, float[] u, long n, double[] out) {
        for (int i = 0; i < u.length; i++) {
            out[i] = prev[i] + (u[i] - prev[i]) / n;
        }
        return out;
    }

    /** {@inheritDoc} Here: as of the state's last event (no quiet time). */
    @Override
    public UserProfile profile(UserState state) {
        requireOpen();
        DeepUserState s = own(state);
        return profile(s, s.lastMillis);
    }

    /**
     * {@inheritDoc} With a time-aware calibration ({@link TimeAwareCalibration}) the purchase and
     * churn propensities count the quiet time from the last event to {@code asOfMillis} and the
     * tenure from the first event; with Platt scaling, or none, time is not read.
     */
    @Override
    public UserProfile profile(UserState state, long asOfMillis) {
        requireOpen();
        return profile(own(state), asOfMillis);
    }

    @Override
    public UserProfile profile(String userId, List<BehaviorEvent> history, long asOfMillis) {
        return profile(encode(userId, history), asOfMillis);
    }

    private UserProfile profile(DeepUserState s, long asOfMillis) {
        float[] u = lean.userVector(s.net);
        float[] emb = new float[u.length + 1];
        System.arraycopy(u, 0, emb, 0, u.length);
        emb[u.length] = 1f;
        float[] longTerm = new float[0];
        if (s.count > 0) {
            longTerm = new float[u.length + 1];
            for (int i = 0; i < u.length; i++) {
                longTerm[i] = (float) s.meanUser[i];
            }
            longTerm[u.length] = 1f;
        }
        float[] staticF = null;
        if (features != null) {
            staticF = features.features(s.userId);
        }
        float[] heads = lean.heads(s.net, staticF);
        Map<String, Double> prop = new LinkedHashMap<>();
        prop.put(PURCHASE, calibrated(purchaseCalibration, purchaseTimed, heads[0], s.activity, asOfMillis));
        if (lean.hasChurnHead()) {
            prop.put(CHURN, calibrated(churnCalibration, churnTimed, heads[heads.length - 1], s.activity, asOfMillis));
        }
        int[] top = strongest(heads, 1 + IdVocabulary.FIRST_ID, 1 + encoder.categories().size(), MAX_INTERESTS);
        int n = top.length;
        Map<String, Double> interests = new LinkedHashMap<>(2 * n);
        for (int i = 0; i < n; i++) {
            interests.put(encoder.categories().id(top[i] - 1), clamp01(heads[top[i]]));
        }
        return new UserProfile(s.userId, emb, longTerm, interests, prop, Map.of(), List.of(), Map.of(), s.count,
                s.lastMillis < 0 ? Instant.EPOCH : Instant.ofEpochMilli(s.lastMillis), version);
    }

    /**
     * The indices in {@code [from, to)} of the {@code k} largest values, largest first, ties in
     * index order (what a stable descending sort gives), by bounded insertion: O(n k) at worst, no
     * boxing (this runs at every write-behind of a changed user).
     */
    static int[] strongest(float[] v, int from, int to, int k) {
        int[] top = new int[Math.max(0, Math.min(k, to - from))];
        int n = 0;
        for (int i = from; i < to; i++) {
            float x = v[i];
            if (n == top.length && (n == 0 || !(Float.compare(x, v[top[n - 1]]) > 0))) {
                continue;
            }
            int j = n < top.length ? n++ : n - 1;
            while (j > 0 && Float.compare(x, v[top[j - 1]]) > 0) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = i;
        }
        return top;
    }

    private static double calibrated(PlattScaling c, TimeAwareCalibration t, float raw, ActivityCounters a, long asOfMillis) {
        if (t != null) {
            return t.apply(a.inputs(raw, asOfMillis));
        }
        return c == null ? clamp01(raw) : Math.max(0.0, Math.min(1.0, c.apply(raw)));
    }

    private static double clamp01(float v) {
        return Math.max(0.0, Math.min(1.0, v));
    }

    @Override
    public UserProfile profile(String userId, List<BehaviorEvent> history) {
        return profile(encode(userId, history));
    }

    /**
     * Folds a whole history (oldest first) into a state, event by event. The events are taken as
     * {@code userId}'s whatever user id they carry (unlike {@link #update}, which refuses another
     * user's event).
     *
     * @param userId the user
     * @param history the events, possibly empty
     * @return the state
     */
    public UserState encode(String userId, List<BehaviorEvent> history) {
        if (history == null) {
            throw new BadInputException("profile: history is required, was null");
        }
        DeepUserState s = (DeepUserState) newState(userId);
        for (BehaviorEvent e : history) {
            if (e == null) {
                throw new BadInputException("profile: history event is null (user '" + userId + "')");
            }
            // the caller names the history's owner: events are folded whatever user id they carry
            // (a session file may tag one anonymous session's later events with a login id)
            s = step(s, e);
        }
        return s;
    }

    /**
     * The next-item scores (logits) of every known item for a state, aligned with {@link #itemIds()}.
     *
     * @param state a state of this model
     * @return one score per known item
     */
    public float[] itemScores(UserState state) {
        requireOpen();
        float[] all = lean.scores(lean.userVector(own(state).net));
        float[] out = new float[all.length - IdVocabulary.FIRST_ID];
        System.arraycopy(all, IdVocabulary.FIRST_ID, out, 0, out.length);
        return out;
    }

    @Override
    public Optional<float[]> itemEmbedding(String itemId) {
        requireOpen();
        if (!encoder.items().contains(itemId)) {
            return Optional.empty();
        }
        return Optional.of(lean.itemVector(encoder.items().index(itemId)));
    }

    /** @return the category names the interest head covers (vocabulary order) */
    public List<String> categories() {
        return Collections.unmodifiableList(encoder.categories().ids());
    }

    /**
     * The serving network (immutable; shared, not copied).
     *
     * @return the network
     */
    public LeanProfileNetwork network() {
        return lean;
    }

    private DeepUserState own(UserState state) {
        if (state == null) {
            throw new BadInputException("state is required, was null");
        }
        if (!(state instanceof DeepUserState)) {
            throw new BadInputException("state of type " + state.getClass().getName() + " does not belong to a DeepProfileModel");
        }
        DeepUserState s = (DeepUserState) state;
        if (!s.modelVersion.equals(version)) {
            throw new BadInputException("state was made by model " + s.modelVersion + ", this model is " + version);
        }
        return s;
    }

    private static void requireUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("userId is required, was " + (userId == null ? "null" : "blank"));
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("DeepProfileModel " + version + " is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "DeepProfileModel{version=" + version + ", items=" + encoder.items().knownIds() + ", embedding=" + embeddingSize() + "}";
    }
}
