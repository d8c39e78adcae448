package org.persona4j.synth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.UserAttributes;

/**
 * A generated shop held in memory (see {@link ShopGenerator#generate()}): the same events, items,
 * users and personas that {@link ShopGenerator#writeTo} writes, minus the malformed rows.
 *
 * @param events all events in time order (ties in a fixed simulation order; one user's events in the order they happened)
 * @param catalog the items
 * @param users user attributes by user id, in user order
 * @param personas the planted personas
 * @param personaOfUser the persona id of every user ({@link #BOT} for bot users)
 * @param truth the planted outcome truth of every user (lapse, persona purchase rate), by user id, in user order
 */
public record SyntheticShop(List<BehaviorEvent> events, InMemoryCatalog catalog, Map<String, UserAttributes> users,
                            List<Persona> personas, Map<String, String> personaOfUser, Map<String, UserTruth> truth) {
    /** The persona id given to bot users (noise); no {@link Persona} carries it. */
    public static final String BOT = "bot";

    /**
     * Copies the lists and maps into unmodifiable ones.
     *
     * @param events events in time order
     * @param catalog the items
     * @param users user attributes by user id
     * @param personas the personas
     * @param personaOfUser persona id by user id
     * @param truth planted outcome truth by user id
     */
    public SyntheticShop {
        events = List.copyOf(events);
        users = Collections.unmodifiableMap(new LinkedHashMap<>(users));
        personas = List.copyOf(personas);
        personaOfUser = Collections.unmodifiableMap(new LinkedHashMap<>(personaOfUser));
        truth = Collections.unmodifiableMap(new LinkedHashMap<>(truth));
    }

    /**
     * @param userId a user id
     * @return the user's planted outcome truth
     * @throws java.util.NoSuchElementException when no user has the id
     */
    public UserTruth truth(String userId) {
        UserTruth t = truth.get(userId);
        if (t == null) {
            throw new java.util.NoSuchElementException("no user " + userId);
        }
        return t;
    }

    /**
     * @param personaId a persona id
     * @return that persona
     * @throws java.util.NoSuchElementException when no persona has the id
     */
    public Persona persona(String personaId) {
        return personas.stream().filter(p -> p.id().equals(personaId)).findFirst()
                .orElseThrow(() -> new java.util.NoSuchElementException("no persona " + personaId));
    }
}
