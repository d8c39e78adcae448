package org.persona4j.io;

import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Catalog;
import org.persona4j.core.ReadReport;
import org.persona4j.core.UserAttributes;

/**
 * A data set read whole into memory by {@link Datasets#load}.
 *
 * @param name a short name (the file or folder name)
 * @param events the events in file order (unmodifiable)
 * @param catalog items from the side files, or an empty catalogue
 * @param users declared user attributes from the side files, possibly empty (unmodifiable)
 * @param report what was read and skipped, side files included
 */
public record Dataset(String name, List<BehaviorEvent> events, Catalog catalog, Map<String, UserAttributes> users,
                      ReadReport report) {
    /** Copies the collections. */
    public Dataset {
        events = List.copyOf(events);
        users = Map.copyOf(users);
    }
}
