package org.persona4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Recommender;

/** Service lookup by name. */
class RecommenderFactoriesTest {
    @Test
    void builtinsAreRegisteredAndFit() {
        List<String> names = RecommenderFactories.names();
        assertTrue(names.containsAll(List.of("pop", "itemknn", "sknn", "content", "hybrid", "trending")), names.toString());
        List<BehaviorEvent> ev = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 4; i++) {
                ev.add(BehaviorEvent.of("u" + u, "i" + (u + i), EventType.VIEW, i));
            }
        }
        EvalSplit split = Protocols.leaveOneOut(ev);
        for (String n : List.of("pop", "itemknn", "sknn", "hybrid")) {
            Recommender r = RecommenderFactories.get(n).fit(new FitContext(split, null, Map.of(), 42, 1, null));
            assertEquals(n, r.name());
        }
    }

    @Test
    void unknownNameListsKnownOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> RecommenderFactories.get("nope"));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("itemknn"), e.getMessage());
    }

    @Test
    void badOptionValueNamesTheOption() {
        FitContext c = new FitContext(Protocols.leaveOneOut(List.of()), null, Map.of("neighbours", "many"), 1, 1, null);
        BadInputException e = assertThrows(BadInputException.class, () -> c.intOption("neighbours", 5));
        assertTrue(e.getMessage().contains("neighbours"));
    }
}
