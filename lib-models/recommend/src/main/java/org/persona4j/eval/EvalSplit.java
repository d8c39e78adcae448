package org.persona4j.eval;

import java.util.List;

/**
 * A data set split by a protocol.
 *
 * @param protocol the protocol's description ("loo: ...")
 * @param train events to fit the test-time model on (validation targets included)
 * @param trainForValidation events to fit on when scoring {@code validation} (for tuning, early stopping)
 * @param validation validation cases (targets held out of {@code trainForValidation})
 * @param test test cases (targets held out of {@code train})
 * @param itemCount distinct items in the whole data set (the coverage denominator)
 */
public record EvalSplit(String protocol, List<org.persona4j.core.BehaviorEvent> train,
                        List<org.persona4j.core.BehaviorEvent> trainForValidation, List<EvalCase> validation,
                        List<EvalCase> test, int itemCount) {
    /** Copies the lists. */
    public EvalSplit {
        train = List.copyOf(train);
        trainForValidation = List.copyOf(trainForValidation);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
    }

    /** @return the same split with the validation cases as the test cases, fitted on {@code trainForValidation} */
    public EvalSplit validationAsTest() {
        return new EvalSplit(protocol + " (validation)", trainForValidation, trainForValidation, List.of(), validation,
                itemCount);
    }
}
