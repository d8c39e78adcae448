package org.persona4j.models.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.persona4j.core.BadInputException;

/**
 * A bounded, seeded search over the few hyper-parameters of the profile model that change most from
 * one data set to the next, run on the validation split of the user's own data
 * ({@link ProfileTrainer#search}).
 *
 * <p>Trial 1 is the configuration as given; every other trial draws each setting of {@link #SPACE}
 * at random (seeded from the configuration's seed, no two trials alike): the item embedding size
 * (with the projection, so that the residual user vector and tied embeddings keep their shapes),
 * training windows per user, the residual user vector, tied item embeddings and the next-items
 * loss. The learning rate, its decays and dropout stay as configured, so that every trial learns
 * at the same pace and the early rungs rank what a trial will end at, not how fast it starts.
 *
 * <p>The trials race by successive halving, and the winner is continued, never retrained: every
 * trial trains {@code epochsPerTrial} epochs (early stopping as configured; no refit, no blend);
 * the better half by the best validation value of the early-stopping metric so far (the lower trial
 * number on a tie) goes on from its own checkpoint to twice as many epochs, and so on until one is
 * left. That one's training then simply goes on with the full schedule (refit, blend and
 * calibration as usual), so a search costs the losers' epochs only, and the late rungs score the
 * trials after many epochs, where a fast start no longer wins by itself. {@link Budget#epochs()}
 * is the most epochs the losers can cost; every trial is written into the artifact's provenance
 * under {@code search}.
 */
public final class HyperparameterSearch {
    /**
     * The searched settings by {@link ProfileOptions} name and their values. {@code emb} also sets
     * {@code proj}; {@code tie} is dropped where the shapes do not allow it (sampled softmax).
     */
    public static final Map<String, List<String>> SPACE = space();

    private HyperparameterSearch() {
    }

    private static Map<String, List<String>> space() {
        Map<String, List<String>> s = new LinkedHashMap<>();
        // not the learning rate, its decays or dropout: a rung compares trials after a few epochs, and
        // those settings change how fast a trial starts far more than where it ends (measured on
        // MovieLens 100K: lr 0.01 with dropout 0.2 led the preset by 70% after 3 epochs and by 12%
        // after 8, and ended 4-7% below it), so every trial learns at the configuration's pace
        s.put("emb", List.of("64", "128"));
        s.put("windows", List.of("1", "8", "16"));
        s.put("residual", List.of("true", "false"));
        s.put("tie", List.of("true", "false"));
        s.put("next-items", List.of("1", "2", "3"));
        return java.util.Collections.unmodifiableMap(s);
    }

    /**
     * The search budget.
     *
     * @param trials configurations trained, {@code >= 1} (the first is the given one)
     * @param epochsPerTrial the epochs of the first rung, {@code >= 1}: every trial trains that
     *     many; each later rung doubles them for the better half
     */
    public record Budget(int trials, int epochsPerTrial) {
        /** Validates. @throws BadInputException naming the bad field */
        public Budget {
            if (trials < 1 || trials > 1000) {
                throw new BadInputException("search: field 'trials': expected 1..1000, was " + trials);
            }
            if (epochsPerTrial < 1) {
                throw new BadInputException("search: field 'epochsPerTrial': expected >= 1, was " + epochsPerTrial);
            }
        }

        /**
         * @return the most training epochs the search can spend on trials other than the one it
         *     chooses (whose epochs its final training continues), with no cap on the schedule
         */
        public int epochs() {
            return epochs(Integer.MAX_VALUE);
        }

        /**
         * @param maxEpochs the configuration's epoch cap
         * @return {@link #epochs()} when no trial trains more than {@code maxEpochs}
         */
        public int epochs(int maxEpochs) {
            long total = 0;
            int alive = trials;
            long reached = 0;
            long target = Math.min(epochsPerTrial, maxEpochs);
            while (alive > 1) {
                total += alive * (target - reached);
                int next = (alive + 1) / 2;
                // the losers of this rung stop here; the survivors' epochs so far may be continued
                reached = target;
                alive = next;
                if (alive > 1) {
                    target = Math.min(2 * target, maxEpochs);
                }
            }
            // the chosen trial's epochs are not spent: its final training continues them
            total -= reached;
            return (int) Math.min(Integer.MAX_VALUE, total);
        }

        /**
         * @param rung 0 for the first
         * @param maxEpochs the configuration's epoch cap
         * @return the epochs a trial has trained after that rung
         */
        int rungEpochs(int rung, int maxEpochs) {
            long e = (long) epochsPerTrial << Math.min(rung, 30);
            return (int) Math.min(e, maxEpochs);
        }
    }

    /**
     * One trained trial.
     *
     * @param number 1-based
     * @param settings the searched settings of this trial, by option name
     * @param score the best validation value of the early-stopping metric
     * @param bestEpoch the epoch of that value
     * @param epochs epochs trained in the search
     * @param seconds training seconds in the search
     * @param rungs the rungs it raced in (1 = it stopped after the first)
     */
    public record Trial(int number, Map<String, String> settings, double score, int bestEpoch, int epochs, double seconds,
                        int rungs) {
        /** Copies the settings. */
        public Trial {
            settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        /** @return the trial as plain values, for the manifest and JSON reports */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trial", number);
            m.put("settings", settings);
            m.put("score", score);
            m.put("bestEpoch", bestEpoch);
            m.put("epochs", epochs);
            m.put("seconds", seconds);
            m.put("rungs", rungs);
            return m;
        }
    }

    /**
     * What a search found.
     *
     * @param budget the budget it ran under
     * @param metric the validation metric that scored the trials
     * @param trials every trial, in order
     * @param chosen the number of the chosen trial
     * @param candidates the caller's candidates when the trials were given rather than drawn, else null
     */
    public record Result(Budget budget, String metric, List<Trial> trials, int chosen, List<Map<String, String>> candidates) {
        /** Copies the trials. */
        public Result {
            trials = List.copyOf(trials);
            candidates = candidates == null ? null : List.copyOf(candidates);
        }

        /** A search that drew its trials from {@link #SPACE}. */
        public Result(Budget budget, String metric, List<Trial> trials, int chosen) {
            this(budget, metric, trials, chosen, null);
        }

        /** @return the chosen trial */
        public Trial best() {
            return trials.get(chosen - 1);
        }

        /** @return the search as plain values: budget, metric, space, trials and the chosen trial */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trials", budget.trials());
            m.put("epochsPerTrial", budget.epochsPerTrial());
            m.put("schedule", "successive halving; the chosen trial continued by the final training");
            m.put("metric", metric);
            if (candidates != null) {
                m.put("candidates", candidates);
            } else {
                m.put("space", SPACE);
            }
            List<Map<String, Object>> t = new ArrayList<>();
            for (Trial x : trials) {
                t.add(x.toMap());
            }
            m.put("results", t);
            m.put("chosen", chosen);
            return m;
        }

        @Override
        public String toString() {
            Trial b = best();
            return String.format(Locale.ROOT, "trial %d of %d (%s %.4f): %s", chosen, trials.size(), metric, b.score(), b.settings());
        }
    }

    /**
     * The settings of every trial: the base configuration's values first, then seeded random draws
     * from {@link #SPACE}, no two alike (fewer trials when the space runs out).
     *
     * @param base the configuration as given
     * @param trials how many
     * @return one map of option values per trial
     */
    static List<Map<String, String>> draw(ProfileModelConfig base, int trials) {
        List<Map<String, String>> out = new ArrayList<>();
        Set<Map<String, String>> seen = new LinkedHashSet<>();
        Map<String, String> first = new LinkedHashMap<>();
        for (String name : SPACE.keySet()) {
            first.put(name, ProfileOptions.find(name).orElseThrow().value(base));
        }
        out.add(first);
        seen.add(effective(base, first));
        SplittableRandom r = new SplittableRandom(base.seed() * 0x9E3779B97F4A7C15L + 17);
        for (int attempt = 0; out.size() < trials && attempt < 200 * trials; attempt++) {
            Map<String, String> s = new LinkedHashMap<>();
            for (Map.Entry<String, List<String>> e : SPACE.entrySet()) {
                s.put(e.getKey(), e.getValue().get(r.nextInt(e.getValue().size())));
            }
            if (seen.add(effective(base, s))) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The trials of a race between given candidates: the configuration as given (no settings),
     * then each candidate's settings, applied to it by {@link #apply}; a candidate that leaves the
     * configuration as it is (its settings are already the given ones) or gives the same
     * configuration as an earlier one is left out.
     *
     * @param base the configuration as given
     * @param candidates option values by name, one map per candidate, at least one
     * @return one map of option values per trial (only the configuration as given when no candidate changes it)
     * @throws BadInputException on an unknown option name or a value the configuration rejects
     */
    static List<Map<String, String>> race(ProfileModelConfig base, List<Map<String, String>> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new BadInputException("search: candidates: expected at least one, was none");
        }
        List<Map<String, String>> out = new ArrayList<>();
        out.add(Map.of());
        // one trial per distinct configuration: a candidate that changes nothing, or gives the same
        // configuration as an earlier one, would race a configuration against itself
        Set<Map<String, Object>> configs = new LinkedHashSet<>();
        configs.add(base.toMap());
        for (Map<String, String> c : candidates) {
            for (String name : c.keySet()) {
                if (ProfileOptions.find(name).isEmpty()) {
                    throw new BadInputException("search candidates: unknown option '" + name + "' in " + c
                            + "; expected the profile model's option names (persona4j train --help)");
                }
            }
            if (configs.add(apply(base, c).toMap())) { // apply validates the values now, not after the first trials
                out.add(Map.copyOf(c));
            }
        }
        return out;
    }

    /**
     * Parses race candidates written as text: candidates separated by {@code ;}, each a
     * comma-separated list of {@code name=value} option settings, e.g.
     * {@code next-items=2,mask-seen=true}.
     *
     * @param text the candidates
     * @return one map per candidate
     * @throws BadInputException naming the part that is not {@code name=value}
     */
    public static List<Map<String, String>> parseCandidates(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String cand : text.split(";")) {
            if (cand.isBlank()) {
                continue;
            }
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : cand.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw new BadInputException("search candidates: '" + kv.trim() + "' in \"" + text
                            + "\": expected name=value, candidates separated by ';', settings by ','");
                }
                m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            out.add(m);
        }
        if (out.isEmpty()) {
            throw new BadInputException("search candidates: none in \"" + text + "\"");
        }
        return out;
    }

    /** The settings as they apply to the base (tie dropped where the shapes forbid it). */
    private static Map<String, String> effective(ProfileModelConfig base, Map<String, String> s) {
        ProfileModelConfig c = apply(base, s);
        Map<String, String> e = new LinkedHashMap<>();
        for (String name : SPACE.keySet()) {
            e.put(name, ProfileOptions.find(name).orElseThrow().value(c));
        }
        return e;
    }

    /**
     * The base configuration with a trial's settings: {@code emb} sets the projection too when the
     * base had them equal; tied embeddings and the residual user vector are kept only where their
     * shapes allow.
     *
     * @param base the configuration as given
     * @param settings option values by name
     * @return the trial's configuration
     */
    static ProfileModelConfig apply(ProfileModelConfig base, Map<String, String> settings) {
        ProfileModelConfig.Builder b = base.toBuilder();
        Map<String, String> s = new LinkedHashMap<>(settings);
        boolean sameSize = base.itemEmbedding() == base.projection();
        if (s.containsKey("emb") && sameSize) {
            s.put("proj", s.get("emb"));
        }
        String tie = s.remove("tie");
        String residual = s.remove("residual");
        ProfileOptions.apply(b, s);
        ProfileModelConfig.Architecture a = b.architecture();
        b.itemResidual(residual == null ? a.itemResidual() && a.residualAllowed() : Boolean.parseBoolean(residual) && a.residualAllowed());
        b.tieItemEmbeddings(tie == null ? a.tieItemEmbeddings() && a.tieAllowed() : Boolean.parseBoolean(tie) && a.tieAllowed());
        return b.build();
    }

    /**
     * The configuration of one trial's training up to a rung: the trial's settings, at most
     * {@code epochs} epochs in all, no refit.
     */
    static ProfileModelConfig trialConfig(ProfileModelConfig base, Map<String, String> settings, int epochs) {
        return apply(base, settings).toBuilder().epochs(Math.min(base.epochs(), epochs)).refitEpochs(0).build();
    }
}
