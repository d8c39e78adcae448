package org.persona4j.spring.boot;

/**
 * The {@code persona4j.*} configuration cannot give an engine: a required property is missing, a
 * value is wrong, a file cannot be read or a module the configuration names is not on the class
 * path. The message names the property, the bad value and what was expected; {@link #action()}
 * says how to fix it (Spring Boot prints both at start-up through {@link PersonaFailureAnalyzer}).
 */
public final class PersonaConfigurationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String action;

    /**
     * @param message what is wrong, naming the property and the value
     * @param action what to change
     */
    public PersonaConfigurationException(String message, String action) {
        this(message, action, null);
    }

    /**
     * @param message what is wrong, naming the property and the value
     * @param action what to change
     * @param cause the underlying failure, or null
     */
    public PersonaConfigurationException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** @return what to change in the configuration or the class path */
    public String action() {
        return action;
    }
}
