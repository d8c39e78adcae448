package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.features.sequence.EncodedSequence;
import org.persona4j.features.sequence.SequenceEncoder;

/**
 * The trainer's data, plain Java: events grouped by user, the validation split, the encoded
 * training sequences and each epoch's mini-batches (as indices into the sequences).
 *
 * <p>Events are grouped by user in first-seen order and sorted by time (stable). The split
 * ({@link ProfileModelConfig#validation()}) holds out each user's last event (leave-one-out, users
 * with at least three events whose last event names an item) or each user's first item event at or
 * after a time cut (the {@code 1 - validationFraction} quantile of all timestamps); what stays is
 * the user's training history. At most {@link ProfileModelConfig#validationUsers()} validation
 * cases are kept, a seeded sample.
 */
final class TrainingData {
    /**
     * One encoded training sequence: per step the item, event type, category and time-gap indices,
     * and the purchase and churn labels of the cut after that step ({@link PropensityLabels}; null
     * when the sequence has none: every cut censored); a {@code propensityOnly} sequence trains only
     * the purchase and churn heads.
     */
    record Seq(int[] item, int[] type, int[] cat, int[] gap, String userId, float[] purchase, float[] churn,
               boolean propensityOnly) implements java.io.Serializable {
        Seq(int[] item, int[] type, int[] cat, int[] gap, String userId) {
            this(item, type, cat, gap, userId, null, null, false);
        }

        /** @return number of events */
        int len() {
            return item.length;
        }
    }

    private final Map<String, List<BehaviorEvent>> byUser;
    private final Map<String, List<BehaviorEvent>> train;
    private final List<ProfileModelEvaluation.Case> cases;
    private final Map<String, Long> heldOutFrom;
    private final long dataEnd;
    private final boolean timed;
    private final java.util.Set<String> headUsers;

    private TrainingData(Map<String, List<BehaviorEvent>> byUser, Map<String, List<BehaviorEvent>> train,
                         List<ProfileModelEvaluation.Case> cases, Map<String, Long> heldOutFrom, long dataEnd, boolean timed,
                         java.util.Set<String> headUsers) {
        this.byUser = byUser;
        this.train = train;
        this.cases = cases;
        this.heldOutFrom = heldOutFrom;
        this.dataEnd = dataEnd;
        this.timed = timed;
        this.headUsers = headUsers;
    }

    /**
     * A validation user of the purchase and churn heads: the whole history and, per head
     * ({@code 0} purchase, {@code 1} churn), the cut points (event indices) with an observed outcome
     * and their labels.
     *
     * @param userId the user
     * @param history the user's whole history, time-ordered
     * @param cuts per head the event indices after which the head is evaluated
     * @param labels per head the labels of those cuts (1 or 0)
     */
    record HeadCase(String userId, List<BehaviorEvent> history, int[][] cuts, float[][] labels) {
    }

    /** Cut points evaluated per validation user and head, at most (evenly spaced, the latest included). */
    static final int CUTS_PER_USER = 8;

    /**
     * Groups and splits the events.
     *
     * @param events the events, any order
     * @param config the validation split, its sample size and seed
     * @return the grouped and split data
     */
    static TrainingData split(List<BehaviorEvent> events, ProfileModelConfig config) {
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : events) {
            byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        for (List<BehaviorEvent> l : byUser.values()) {
            l.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
        }
        Map<String, List<BehaviorEvent>> train = new LinkedHashMap<>();
        List<ProfileModelEvaluation.Case> cases = new ArrayList<>();
        if (config.validation() == ValidationSplit.TEMPORAL) {
            temporal(byUser, config.validationFraction(), train, cases);
        } else {
            leaveLastOut(byUser, config.validation() == ValidationSplit.LEAVE_ONE_OUT, train, cases);
        }
        if (config.validationUsers() > 0 && cases.size() > config.validationUsers()) {
            Collections.shuffle(cases, new Random(config.seed() ^ 0x5DEECE66DL));
            cases = new ArrayList<>(cases.subList(0, config.validationUsers()));
        }
        // the propensity labels of the training sequences see a user's events only up to the first held-out one
        Map<String, Long> heldOutFrom = new LinkedHashMap<>();
        long dataEnd = Long.MIN_VALUE;
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> all = u.getValue();
            int kept = train.get(u.getKey()).size();
            if (kept < all.size()) {
                heldOutFrom.put(u.getKey(), all.get(kept).timestampMillis());
            }
            if (!all.isEmpty()) {
                dataEnd = Math.max(dataEnd, all.get(all.size() - 1).timestampMillis());
            }
        }
        // the heads' validation users: a seeded share whose labels never train the purchase and churn heads
        java.util.Set<String> headUsers = new java.util.LinkedHashSet<>();
        if (config.validation() != ValidationSplit.NONE) {
            List<String> ids = new ArrayList<>();
            byUser.forEach((u, l) -> {
                if (l.size() >= 2) {
                    ids.add(u);
                }
            });
            Collections.shuffle(ids, new Random(config.seed() ^ 0x9E3779B97F4A7C15L));
            headUsers.addAll(ids.subList(0, (int) Math.ceil(ids.size() * config.propensityValidationShare())));
        }
        return new TrainingData(byUser, train, cases, heldOutFrom, dataEnd, PropensityLabels.timed(events), headUsers);
    }

    /**
     * @param targets the horizons
     * @param wholeInput whether the labels may see every event (refit), or only the training histories'
     * @return the labeller of the purchase and churn heads' training (or refit) sequences; the heads'
     *     validation users stay unlabelled either way
     */
    PropensityLabels labels(ProfileModelConfig.Targets targets, boolean wholeInput) {
        return new PropensityLabels(targets, timed, dataEnd, wholeInput ? Map.of() : heldOutFrom, headUsers);
    }

    /**
     * The validation cases of the purchase and churn heads: per validation user (of the heads), up to
     * {@link #CUTS_PER_USER} cut points with an observed outcome, labelled from the whole history,
     * observed until the end of the data.
     *
     * @param targets the horizons
     * @return the cases (users without an observed cut left out)
     */
    List<HeadCase> headCases(ProfileModelConfig.Targets targets) {
        PropensityLabels all = new PropensityLabels(targets, timed, dataEnd, Map.of(), java.util.Set.of());
        List<HeadCase> out = new ArrayList<>();
        for (String u : headUsers) {
            List<BehaviorEvent> h = byUser.get(u);
            float[][] l = all.label(u, h);
            int[][] cuts = new int[2][];
            float[][] ys = new float[2][];
            boolean any = false;
            for (int k = 0; k < 2; k++) {
                int[] obs = new int[h.size()];
                int m = 0;
                for (int i = 0; i < h.size(); i++) {
                    if (l[k][i] != PropensityLabels.CENSORED) {
                        obs[m++] = i;
                    }
                }
                int take = Math.min(m, CUTS_PER_USER);
                cuts[k] = new int[take];
                ys[k] = new float[take];
                for (int j = 0; j < take; j++) {
                    int i = obs[(int) ((long) (j + 1) * m / take) - 1];
                    cuts[k][j] = i;
                    ys[k][j] = l[k][i];
                }
                any |= take > 0;
            }
            if (any) {
                out.add(new HeadCase(u, h, cuts, ys));
            }
        }
        return out;
    }

    private static void temporal(Map<String, List<BehaviorEvent>> byUser, double fraction, Map<String, List<BehaviorEvent>> train,
                                 List<ProfileModelEvaluation.Case> cases) {
        long[] ts = byUser.values().stream().flatMap(List::stream).mapToLong(BehaviorEvent::timestampMillis).sorted().toArray();
        long cut = ts.length == 0 ? 0 : ts[(int) Math.min(ts.length - 1, Math.floor(ts.length * (1 - fraction)))];
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> before = new ArrayList<>();
            BehaviorEvent after = null;
            for (BehaviorEvent e : u.getValue()) {
                if (e.timestampMillis() < cut) {
                    before.add(e);
                } else if (after == null && e.itemId() != null) {
                    after = e;
                }
            }
            train.put(u.getKey(), before);
            if (after != null && !before.isEmpty()) {
                cases.add(new ProfileModelEvaluation.Case(u.getKey(), before, after.itemId()));
            }
        }
    }

    private static void leaveLastOut(Map<String, List<BehaviorEvent>> byUser, boolean holdOut, Map<String, List<BehaviorEvent>> train,
                                     List<ProfileModelEvaluation.Case> cases) {
        for (Map.Entry<String, List<BehaviorEvent>> u : byUser.entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            BehaviorEvent last = h.get(h.size() - 1);
            if (holdOut && h.size() >= 3 && last.itemId() != null) {
                List<BehaviorEvent> in = h.subList(0, h.size() - 1);
                train.put(u.getKey(), in);
                cases.add(new ProfileModelEvaluation.Case(u.getKey(), in, last.itemId()));
            } else {
                train.put(u.getKey(), h);
            }
        }
    }

    /** @return every user's events, time-ordered (validation events included) */
    Map<String, List<BehaviorEvent>> byUser() {
        return byUser;
    }

    /** @return every user's training history */
    Map<String, List<BehaviorEvent>> train() {
        return train;
    }

    /** @return the training histories' events, user after user */
    List<BehaviorEvent> trainingEvents() {
        List<BehaviorEvent> out = new ArrayList<>();
        train.values().forEach(out::addAll);
        return out;
    }

    /** @return the validation cases (the seeded sample) */
    List<ProfileModelEvaluation.Case> cases() {
        return cases;
    }

    /** @return the last timestamp of the data (the end of observation) */
    long dataEnd() {
        return dataEnd;
    }

    /** @return whether the events carry usable time */
    boolean timed() {
        return timed;
    }

    /** @return the number of events */
    int events() {
        int n = 0;
        for (List<BehaviorEvent> l : byUser.values()) {
            n += l.size();
        }
        return n;
    }

    /**
     * Training sequences of histories: per user the newest window of {@code maxLen + 1} events,
     * then up to {@code windows - 1} earlier ones, each ending at the first event of the next.
     *
     * @param histories time-ordered events per user
     * @param enc the fitted encoder
     * @param maxLen the longest input ({@link ProfileModelConfig#maxLen()})
     * @param windows windows per user ({@link ProfileModelConfig#windows()})
     * @return the sequences, user after user, newest window first (without propensity labels)
     */
    static List<Seq> sequences(Map<String, List<BehaviorEvent>> histories, SequenceEncoder enc, int maxLen, int windows) {
        return sequences(histories, enc, maxLen, windows, null);
    }

    /**
     * Training sequences of histories, as {@link #sequences(Map, SequenceEncoder, int, int)}, each
     * step labelled for the purchase and churn heads from the user's whole history; when the user's
     * latest labelled cut is not an input step of those windows (its horizon must end before the data
     * does, so it lies before the newest events), one more sequence ends right after it and trains
     * only the purchase and churn heads ({@link Seq#propensityOnly()}).
     *
     * @param histories time-ordered events per user
     * @param enc the fitted encoder
     * @param maxLen the longest input ({@link ProfileModelConfig#maxLen()})
     * @param windows windows per user ({@link ProfileModelConfig#windows()})
     * @param labels the labeller, or null for none
     * @return the sequences, user after user, newest window first
     */
    static List<Seq> sequences(Map<String, List<BehaviorEvent>> histories, SequenceEncoder enc, int maxLen, int windows,
                               PropensityLabels labels) {
        List<Seq> seqs = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : histories.entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            float[][] lab = labels == null || h.size() < 2 || labels.withheld(u.getKey()) ? null : labels.label(u.getKey(), h);
            int end = h.size();
            int firstInput = h.size();
            for (int w = 0; w < windows && end >= 2; w++) {
                EncodedSequence es = enc.encode(end == h.size() ? h : h.subList(0, end), maxLen + 1, false);
                if (es.length() < 2) {
                    break;
                }
                seqs.add(seq(es, u.getKey(), lab, end, false));
                firstInput = end - es.length();
                end -= maxLen;
            }
            // the newest windows' cuts are mostly censored (their horizons reach the end of the data): one more
            // window ends right after the user's latest labelled cut, to train the purchase and churn heads only
            int latest = -1;
            for (int k = h.size() - 2; lab != null && k >= 0 && latest < 0; k--) {
                if (lab[0][k] != PropensityLabels.CENSORED || lab[1][k] != PropensityLabels.CENSORED) {
                    latest = k;
                }
            }
            if (latest >= 0 && latest < firstInput) {
                EncodedSequence es = enc.encode(h.subList(0, latest + 2), maxLen + 1, false);
                seqs.add(seq(es, u.getKey(), lab, latest + 2, true));
            }
        }
        return seqs;
    }

    private static Seq seq(EncodedSequence es, String userId, float[][] lab, int end, boolean propensityOnly) {
        float[] p = lab == null ? null : Arrays.copyOfRange(lab[0], end - es.length(), end);
        float[] c = lab == null ? null : Arrays.copyOfRange(lab[1], end - es.length(), end);
        return new Seq(es.items(), es.types(), es.categories(), es.gaps(), userId, p, c, propensityOnly);
    }

    /** @param seqs sequences @return their training positions (each sequence's length minus one) */
    static long positions(List<Seq> seqs) {
        long p = 0;
        for (Seq s : seqs) {
            p += s.len() - 1;
        }
        return p;
    }

    /**
     * @param seed the configuration's seed
     * @param epoch the epoch, 1-based (refit epochs continue the numbering)
     * @return the generator of that epoch's batch order and sampled negatives
     */
    static Random epochRandom(long seed, int epoch) {
        return new Random(seed * 1_000_003L + epoch);
    }

    /**
     * One epoch's mini-batches: a seeded permutation, sorted by length within windows of
     * {@code bucketWindow} batches (when {@code bucketWindow > 0}), cut into batches, and the
     * batches shuffled.
     *
     * @param seqs the sequences
     * @param batchSize sequences per batch
     * @param bucketWindow the bucketing window in batches, 0 = none
     * @param rng the epoch's generator
     * @return the batches, each an array of sequence indices
     */
    static List<int[]> batches(List<Seq> seqs, int batchSize, int bucketWindow, Random rng) {
        int n = seqs.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<int[]> out = new ArrayList<>();
        int window = bucketWindow == 0 ? batchSize : batchSize * bucketWindow;
        for (int w = 0; w < n; w += window) {
            Integer[] win = new Integer[Math.min(n, w + window) - w];
            for (int i = 0; i < win.length; i++) {
                win[i] = order[w + i];
            }
            if (bucketWindow > 0) {
                Arrays.sort(win, (p, q) -> Integer.compare(seqs.get(p).len(), seqs.get(q).len()));
            }
            for (int s = 0; s < win.length; s += batchSize) {
                int[] batch = new int[Math.min(win.length, s + batchSize) - s];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = win[s + i];
                }
                out.add(batch);
            }
        }
        Collections.shuffle(out, rng);
        return out;
    }
}
