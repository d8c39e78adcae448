package org.persona4j.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link PersonaConfigurationException} anywhere in a failed start into Spring Boot's
 * "APPLICATION FAILED TO START" report: its message as the description, its action as the action.
 * Registered in {@code META-INF/spring.factories}.
 */
public final class PersonaFailureAnalyzer extends AbstractFailureAnalyzer<PersonaConfigurationException> {
    /** Creates the analyzer (Spring Boot instantiates it). */
    public PersonaFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PersonaConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
