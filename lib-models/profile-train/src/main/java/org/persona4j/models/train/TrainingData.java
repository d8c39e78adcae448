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
    /** One encoded training sequence: per step the item, event type, category and time-gap indices. */
    record Seq(int[] item, int[] type, int[] cat, int[] gap, String userId) {
        /** @return number of events */
        int len() {
            return item.length;
        }
    }

    private final Map<String, List<BehaviorEvent>> byUser;
    private final Map<String, List<BehaviorEvent>> train;
    private final List<ProfileModelEvaluation.Case> cases;

    private TrainingData(Map<String, List<BehaviorEvent>> byUser, Map<String, List<BehaviorEvent>> train,
                         List<ProfileModelEvaluation.Case> cases) {
        this.byUser = byUser;
        this.train = train;
        this.cases = cases;
    }

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
        return new TrainingData(byUser, train, cases);
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
     * @return the sequences, user after user, newest window first
     */
    static List<Seq> sequences(Map<String, List<BehaviorEvent>> histories, SequenceEncoder enc, int maxLen, int windows) {
        List<Seq> seqs = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : histories.entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            int end = h.size();
            for (int w = 0; w < windows && end >= 2; w++) {
                EncodedSequence es = enc.encode(end == h.size() ? h : h.subList(0, end), maxLen + 1, false);
                if (es.length() < 2) {
                    break;
                }
                seqs.add(new Seq(es.items(), es.types(), es.categories(), es.gaps(), u.getKey()));
                end -= maxLen;
            }
        }
        return seqs;
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
