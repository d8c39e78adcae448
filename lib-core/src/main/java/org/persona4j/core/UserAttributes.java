package org.persona4j.core;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Declared attributes of a user. Personal data: the SDK never logs these values.
 *
 * @param userId the user id, not blank
 * @param age age in years in [0, 150], or -1 when unknown
 * @param gender free text (as the host records it), or null
 * @param region region or postcode prefix, or null
 * @param occupation occupation, or null
 * @param attributes free attributes, possibly empty
 */
public record UserAttributes(String userId, int age, String gender, String region, String occupation,
                             Map<String, String> attributes) {

    /** Validates and copies. @throws BadInputException naming the bad field */
    public UserAttributes {
        Ids.require("userId", userId);
        if (age < -1 || age > 150) {
            throw new BadInputException("user " + userId + ": field 'age': expected 0..150 or -1 for unknown, was " + age);
        }
        gender = Checks.blankToNull(gender);
        region = Checks.blankToNull(region);
        occupation = Checks.blankToNull(occupation);
        attributes = Checks.copyOrdered("attributes", attributes);
    }

    /** @return the age when known */
    public OptionalInt knownAge() {
        return age < 0 ? OptionalInt.empty() : OptionalInt.of(age);
    }

    @Override
    public String toString() {
        // personal attributes stay out of logs and exception messages
        return "UserAttributes{userId=" + userId + ", fields=" + (attributes.size() + 4) + " (redacted)}";
    }
}
