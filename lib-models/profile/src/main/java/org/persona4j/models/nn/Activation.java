package org.persona4j.models.nn;

/** Element-wise activations used by the lean layers. */
public enum Activation {
    /** f(x) = x. */
    IDENTITY,
    /** f(x) = tanh(x). */
    TANH,
    /** f(x) = 1 / (1 + e^-x). */
    SIGMOID,
    /** f(x) = max(0, x). */
    RELU;

    /** Applies the activation to one value. */
    public float apply(float x) {
        switch (this) {
            case TANH:
                return (float) Math.tanh(x);
            case SIGMOID:
                return (float) (1.0 / (1.0 + Math.exp(-x)));
            case RELU:
                return x > 0f ? x : 0f;
            default:
                return x;
        }
    }
}
