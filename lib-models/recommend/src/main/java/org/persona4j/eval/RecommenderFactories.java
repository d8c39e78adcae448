package org.persona4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.persona4j.core.BadInputException;

/** Finds {@link RecommenderFactory} services by name. */
public final class RecommenderFactories {
    private RecommenderFactories() {
    }

    /** @return every factory on the class path, by name (sorted) */
    public static Map<String, RecommenderFactory> all() {
        Map<String, RecommenderFactory> m = new TreeMap<>();
        for (RecommenderFactory f : ServiceLoader.load(RecommenderFactory.class, RecommenderFactories.class.getClassLoader())) {
            m.putIfAbsent(f.name(), f);
        }
        return m;
    }

    /** @return the known names, sorted */
    public static List<String> names() {
        return new ArrayList<>(all().keySet());
    }

    /**
     * @param name a factory name
     * @return the factory
     * @throws BadInputException for an unknown name, listing the known ones
     */
    public static RecommenderFactory get(String name) {
        RecommenderFactory f = all().get(name == null ? "" : name.trim());
        if (f == null) {
            throw new BadInputException("unknown recommender \"" + name + "\": known recommenders are " + names());
        }
        return f;
    }
}
