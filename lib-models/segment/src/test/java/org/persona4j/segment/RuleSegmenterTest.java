package org.persona4j.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.UserProfile;

/** Rule parsing, evaluation order, and validation errors naming rule and field. */
class RuleSegmenterTest {
    static UserProfile user(String id, double purchase, double beauty, long events) {
        return new UserProfile(id, null, Map.of("Beauty", beauty), Map.of("purchase", purchase, "churn", 0.2),
                Map.of("aov", 30.0), null, null, events, null, null);
    }

    final RuleSegmenter seg = RuleSegmenter.builder("intent")
            .rule("beauty-buyers", "Beauty buyers", "propensity.purchase > 0.7 and interest.Beauty >= 0.3")
            .rule("buyers", "Ready to buy", "propensity.purchase > 0.7 or (events >= 100 and not feature.aov < 20)")
            .otherwise("other", "Everyone else").build();

    @Test
    void evaluatesInOrderWithAndOrNot() {
        assertEquals("beauty-buyers", seg.assign(user("a", 0.8, 0.3, 1)).id());
        assertEquals("buyers", seg.assign(user("b", 0.8, 0.1, 1)).id());
        assertEquals("buyers", seg.assign(user("c", 0.1, 0.9, 150)).id());
        assertEquals("other", seg.assign(user("d", 0.7, 0.9, 99)).id());
        // absent interest counts as 0
        UserProfile noInterest = new UserProfile("e", null, null, Map.of("purchase", 0.9), Map.of("aov", 1.0), null, null, 0,
                null, null);
        assertEquals("buyers", seg.assign(noInterest).id());
        assertEquals(List.of("propensity.purchase", "interest.Beauty"), seg.expressions().get(0).fields());
    }

    @Test
    void quotedNamesAndAliases() {
        RuleSegmenter s = RuleSegmenter.builder("x").rule("skin", "Skin care", "interests.\"Skin care\" > 0.5 AND events > 2")
                .build();
        UserProfile p = new UserProfile("u", null, Map.of("Skin care", 0.6), null, null, null, null, 3, null, null);
        assertEquals("skin", s.assign(p).id());
    }

    @Test
    void syntaxErrorsNameRuleAndPosition() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> RuleSegmenter.builder("x").rule("r1", "R", "propensity.purchase >").build());
        assertTrue(e.getMessage().contains("rule 'r1'") && e.getMessage().contains("expected a number"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> RuleSegmenter.builder("x").rule("r2", "R", "age > 3").build());
        assertTrue(e.getMessage().contains("rule 'r2'") && e.getMessage().contains("expected a field"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> RuleSegmenter.builder("x").rule("r3", "R", "(events > 3").build());
        assertTrue(e.getMessage().contains("expected ')'"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> RuleSegmenter.builder("x").rule("r4", "R", "events > 3 xor events < 1").build());
        assertTrue(e.getMessage().contains("position 12"), e.getMessage());
    }

    @Test
    void validationNamesRuleAndField() {
        BadInputException e = assertThrows(BadInputException.class, () -> RuleSegmenter.builder("x")
                .knownPropensities(Set.of("purchase", "churn")).rule("r", "R", "propensity.purchse > 0.5").build());
        assertTrue(e.getMessage().contains("rule 'r'") && e.getMessage().contains("propensity.purchse"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> RuleSegmenter.builder("x").rule("hi", "R", "propensity.churn > 1.5").build());
        assertTrue(e.getMessage().contains("rule 'hi'") && e.getMessage().contains("propensity.churn"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> RuleSegmenter.builder("x").rule("a", "A", "events > 1").rule("a", "B", "events > 2").build());
        assertTrue(e.getMessage().contains("duplicate"), e.getMessage());
        // an absent propensity is an error at assignment naming the rule, user and field
        RuleSegmenter s = RuleSegmenter.builder("x").rule("c", "C", "propensity.churn > 0.5").build();
        UserProfile p = new UserProfile("u9", null, null, null, null, null, null, 0, null, null);
        e = assertThrows(BadInputException.class, () -> s.assign(p));
        assertTrue(e.getMessage().contains("rule 'c'") && e.getMessage().contains("u9")
                && e.getMessage().contains("propensity.churn"), e.getMessage());
    }

    @Test
    void compositeCarriesSeveralMemberships() {
        RfmSegmenter rfm = RfmSegmenter.fit("value", RfmSegmenterTest.fixture());
        UserProfile a = RfmSegmenter.profileOf("a", RfmSegmenterTest.fixture().get("a"));
        a = new UserProfile("a", null, Map.of("Beauty", 0.5), Map.of("purchase", 0.9), a.features(), null, null, 3, null, null);
        CompositeSegmenter c = new CompositeSegmenter(List.of(seg, rfm));
        UserProfile labelled = c.label(a);
        assertEquals(Map.of("intent", "beauty-buyers", "value", "rfm-champions"), labelled.segments());
        assertThrows(BadInputException.class, () -> new CompositeSegmenter(List.of(seg, seg)));
    }
}
