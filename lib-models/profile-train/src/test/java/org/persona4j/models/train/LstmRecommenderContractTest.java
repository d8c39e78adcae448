package org.persona4j.models.train;

import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.Recommender;
import org.persona4j.eval.EvalSplit;
import org.persona4j.eval.FitContext;
import org.persona4j.testkit.RecommenderContract;

/** The flagship {@code lstm} recommender (the trained profile model behind retrieval) keeps the recommender contract. */
class LstmRecommenderContractTest extends RecommenderContract {
    @Override
    protected Recommender create(List<BehaviorEvent> events, Catalog catalog) {
        EvalSplit split = new EvalSplit("contract", events, events, List.of(), List.of(), 40);
        Map<String, String> small = Map.of("emb", "8", "proj", "8", "hidden", "12", "epochs", "2", "max-len", "10",
                "batch", "16", "validation-users", "0", "refit-epochs", "0", "windows", "1", "lr", "0.01");
        return new LstmRecommenderFactory().fit(new FitContext(split, catalog, small, 7, 1, null));
    }
}
