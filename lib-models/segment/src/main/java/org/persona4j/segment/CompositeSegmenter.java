package org.persona4j.segment;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;

/**
 * Several segmenters applied together, so that a user carries a behaviour segment, a value group
 * and rule segments at once: {@link #label(UserProfile)} records each membership under the
 * segmenter's name with {@link UserProfile#withSegment(String, String)}. Names must be distinct.
 * Immutable and thread-safe when its parts are.
 */
public final class CompositeSegmenter {
    private final List<Segmenter> parts;

    /**
     * @param parts the segmenters, in order; distinct names
     * @throws BadInputException on no parts or a repeated name
     */
    public CompositeSegmenter(List<? extends Segmenter> parts) {
        if (parts == null || parts.isEmpty()) {
            throw new BadInputException("composite segmenter: expected at least one segmenter");
        }
        Set<String> names = new HashSet<>();
        for (Segmenter s : parts) {
            if (!names.add(s.name())) {
                throw new BadInputException("composite segmenter: two segmenters are named '" + s.name()
                        + "': memberships are keyed by name, so names must differ");
            }
        }
        this.parts = List.copyOf(parts);
    }

    /** @return the segmenters */
    public List<Segmenter> parts() {
        return parts;
    }

    /**
     * @param profile a profile
     * @return the segment of each segmenter, keyed by segmenter name, in order
     */
    public Map<String, Segment> assignAll(UserProfile profile) {
        Map<String, Segment> out = new LinkedHashMap<>();
        for (Segmenter s : parts) {
            out.put(s.name(), s.assign(profile));
        }
        return out;
    }

    /**
     * @param profile a profile
     * @return a copy carrying every membership (segmenter name → segment id)
     */
    public UserProfile label(UserProfile profile) {
        UserProfile p = profile;
        for (Segmenter s : parts) {
            p = p.withSegment(s.name(), s.assign(profile).id());
        }
        return p;
    }
}
