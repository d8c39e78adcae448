package org.persona4j.models.train;

import org.persona4j.core.PersonaException;

/** Training failed: a NaN or infinite loss (naming epoch and batch), or no trainable data. */
public class ModelTrainingException extends PersonaException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and where */
    public ModelTrainingException(String message) {
        super(message);
    }
}
