package org.persona4j.features.item;

import java.util.List;
import java.util.Map;
import org.persona4j.core.FeatureExtractor;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.testkit.FeatureExtractorContract;

/** The fitted item features keep the {@link FeatureExtractor} contract. */
class ItemFeaturesContractTest extends FeatureExtractorContract<Item> {
    private static final List<Item> ITEMS = List.of(
            new Item("a", List.of("Beauty", "Skin care"), "Glow", 10, "night cream", null, Map.of()),
            new Item("b", List.of("Beauty", "Skin care"), "Glow", 30, "day cream", null, Map.of()),
            new Item("c", List.of("Beauty", "Makeup"), "Rouge", 20, "red lipstick", null, Map.of()),
            new Item("d", List.of("Home"), null, Double.NaN, null, null, Map.of()));
    private static final ItemFeatures FEATURES = ItemFeatures.fit(new InMemoryCatalog(ITEMS), 1, 8);

    @Override
    protected FeatureExtractor<Item> extractor() {
        return FEATURES;
    }

    @Override
    protected List<Item> knownInputs() {
        return ITEMS;
    }

    @Override
    protected Item unknownInput() {
        return new Item("z", List.of("Garden", "Tools"), "Nobody", 99, "unseen words only", null, Map.of());
    }
}
