package org.persona4j.eval.profile;

import java.util.Map;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.UserProfile;

/**
 * The profile model's own heads: {@code propensities.purchase}, {@code propensities.churn} and the
 * {@code interests} map of {@link ProfileModel#profile(String, java.util.List, long)} on the history, as of
 * the case's cutoff (or its last event when the windows start there). A
 * propensity key the model does not give is reported as not scored.
 */
public final class DeepProfileScorer implements CaseScorer {
    /** The propensity key of the purchase head. */
    public static final String PURCHASE = "purchase";
    /** The propensity key of the churn head. */
    public static final String CHURN = "churn";

    private final ProfileModel model;
    private final String name;
    private boolean sawPurchase;
    private boolean sawChurn;
    private boolean sawInterests;

    /**
     * @param model the model, not closed by this scorer
     * @param name the row name, e.g. "deep"
     */
    public DeepProfileScorer(ProfileModel model, String name) {
        if (model == null || name == null || name.isBlank()) {
            throw new BadInputException("deep profile scorer: 'model' and 'name' are required");
        }
        this.model = model;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "the profile model's propensities and interests (model " + model.version() + ")";
    }

    @Override
    public Scores score(ProfileCase c) {
        long asOf = c.cutoffMillis() >= 0 ? c.cutoffMillis() : c.lastEventMillis();
        UserProfile p = model.profile(c.userId(), c.history(), asOf);
        Map<String, Double> prop = p.propensities();
        Double purchase = prop.get(PURCHASE);
        Double churn = prop.get(CHURN);
        sawPurchase |= purchase != null;
        sawChurn |= churn != null;
        sawInterests |= !p.interests().isEmpty();
        return new Scores(purchase == null ? Double.NaN : purchase, churn == null ? Double.NaN : churn,
                p.interests());
    }

    @Override
    public String note() {
        StringBuilder sb = new StringBuilder();
        if (!sawPurchase) {
            sb.append("the model gives no propensities.purchase; ");
        }
        if (!sawChurn) {
            sb.append("the model gives no propensities.churn (no churn head in this artifact); ");
        }
        if (!sawInterests) {
            sb.append("the model gives no interests; ");
        }
        return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 2);
    }
}
