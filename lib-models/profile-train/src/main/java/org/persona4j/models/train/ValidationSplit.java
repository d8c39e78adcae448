package org.persona4j.models.train;

/** How the trainer holds out validation targets for early stopping. */
public enum ValidationSplit {
    /** No validation: train for the configured number of epochs. */
    NONE,
    /** Each user's last event is the validation target; the rest is trained on. */
    LEAVE_ONE_OUT,
    /**
     * Events after a time cut (the {@code 1 - validationFraction} quantile of timestamps) are held
     * out; a user's first event after the cut is its validation target.
     */
    TEMPORAL
}
