package org.persona4j.segment;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;

/**
 * Segments by declarative rules over profile fields and propensities, e.g.
 * {@code propensity.purchase > 0.7 and interest.Beauty >= 0.3} (grammar in {@link RuleExpression}).
 * Rules are tried in order; the first that holds gives the segment; users matching none fall in
 * the fallback segment. Everything is validated when built: blank or duplicate ids, syntax errors,
 * thresholds outside [0, 1] for propensities, and (when known names are declared) unknown
 * propensity, interest or feature names; every message names the rule and the field.
 *
 * <pre>{@code
 * RuleSegmenter s = RuleSegmenter.builder("intent")
 *         .knownPropensities(Set.of("purchase", "churn"))
 *         .rule("ready-to-buy", "Ready to buy", "propensity.purchase > 0.7")
 *         .rule("beauty-browsers", "Beauty browsers", "interest.Beauty >= 0.3 and propensity.purchase <= 0.7")
 *         .otherwise("other", "Everyone else")
 *         .build();
 * }</pre>
 */
public final class RuleSegmenter implements Segmenter {
    private final String name;
    private final List<String> ids;
    private final List<RuleExpression> expressions;
    private final List<Segment> segments;

    private RuleSegmenter(String name, List<String> ids, List<RuleExpression> expressions, List<Segment> segments) {
        this.name = name;
        this.ids = List.copyOf(ids);
        this.expressions = List.copyOf(expressions);
        this.segments = List.copyOf(segments);
    }

    /**
     * @param name the segmenter name (key in {@link UserProfile#segments()})
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Segment> segments() {
        return segments;
    }

    @Override
    public Segment assign(UserProfile profile) {
        if (profile == null) {
            throw new BadInputException("rule segmenter '" + name + "': profile is null");
        }
        for (int i = 0; i < expressions.size(); i++) {
            if (expressions.get(i).test(ids.get(i), profile)) {
                return segments.get(i);
            }
        }
        return segments.get(segments.size() - 1);
    }

    /** @return the rule expressions in order (the fallback has none) */
    public List<RuleExpression> expressions() {
        return expressions;
    }

    /**
     * Counts the users of each segment so that sizes and shares describe a population.
     *
     * @param users the population
     * @return a copy whose segments carry sizes and shares
     */
    public RuleSegmenter fitted(List<UserProfile> users) {
        long[] c = new long[segments.size()];
        for (UserProfile u : users) {
            Segment s = assign(u);
            c[segments.indexOf(s)]++;
        }
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            double share = users.isEmpty() ? 0 : c[i] / (double) users.size();
            Map<String, String> sum = new LinkedHashMap<>(s.summary());
            sum.put("size", Long.toString(c[i]));
            sum.put("share", String.format(Locale.ROOT, "%.4f", share));
            out.add(new Segment(s.id(), s.kind(), s.name(), c[i], share, sum));
        }
        return new RuleSegmenter(name, ids, expressions, out);
    }

    /** Builder; not thread-safe. Fails fast on every bad rule. */
    public static final class Builder {
        private final String name;
        private final List<String[]> rules = new ArrayList<>();
        private String otherwiseId = "other";
        private String otherwiseName = "Everyone else";
        private Set<String> propensities = Set.of();
        private Set<String> interests = Set.of();
        private Set<String> features = Set.of();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new BadInputException("rule segmenter: field 'name': must not be blank, was " + name);
            }
            this.name = name;
        }

        /**
         * @param id the segment id, unique
         * @param label the readable segment name
         * @param expression the condition
         * @return this
         */
        public Builder rule(String id, String label, String expression) {
            rules.add(new String[] {id, label, expression});
            return this;
        }

        /** @param id fallback segment id @param label its name @return this */
        public Builder otherwise(String id, String label) {
            this.otherwiseId = id;
            this.otherwiseName = label;
            return this;
        }

        /** @param names the propensity names profiles carry (unknown names in rules are refused) @return this */
        public Builder knownPropensities(Set<String> names) {
            this.propensities = Set.copyOf(names);
            return this;
        }

        /** @param names the interest names profiles carry @return this */
        public Builder knownInterests(Set<String> names) {
            this.interests = Set.copyOf(names);
            return this;
        }

        /** @param names the feature names profiles carry @return this */
        public Builder knownFeatures(Set<String> names) {
            this.features = Set.copyOf(names);
            return this;
        }

        /**
         * @return the validated segmenter (sizes 0 until {@link RuleSegmenter#fitted})
         * @throws BadInputException naming the rule and the field
         */
        public RuleSegmenter build() {
            if (rules.isEmpty()) {
                throw new BadInputException("rule segmenter '" + name + "': no rules: expected at least one rule");
            }
            Set<String> seen = new HashSet<>();
            List<String> ids = new ArrayList<>();
            List<RuleExpression> ex = new ArrayList<>();
            List<Segment> segs = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                String[] r = rules.get(i);
                String id = r[0];
                if (id == null || id.isBlank()) {
                    throw new BadInputException("rule segmenter '" + name + "': rule " + (i + 1) + ": field 'id': must not be blank");
                }
                if (!seen.add(id)) {
                    throw new BadInputException("rule segmenter '" + name + "': rule '" + id + "': duplicate id");
                }
                if (r[1] == null || r[1].isBlank()) {
                    throw new BadInputException("rule '" + id + "': field 'name': must not be blank");
                }
                RuleExpression e = RuleExpression.parse(id, r[2]);
                e.validate(id, propensities, interests, features);
                ids.add(id);
                ex.add(e);
                segs.add(new Segment(id, Segment.Kind.RULE, r[1], 0, 0, Map.of("rule", e.text())));
            }
            if (otherwiseId == null || otherwiseId.isBlank() || !seen.add(otherwiseId)) {
                throw new BadInputException("rule segmenter '" + name + "': fallback id '" + otherwiseId
                        + "': must be non-blank and differ from the rule ids");
            }
            segs.add(new Segment(otherwiseId, Segment.Kind.RULE, otherwiseName, 0, 0, Map.of("rule", "no rule above holds")));
            return new RuleSegmenter(name, ids, ex, segs);
        }
    }
}
