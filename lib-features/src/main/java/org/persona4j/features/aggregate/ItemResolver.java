package org.persona4j.features.aggregate;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.persona4j.core.BadInputException;
import org.persona4j.core.Catalog;
import org.persona4j.core.Item;

/**
 * Resolves item ids against a {@link Catalog} to the dense ids the aggregates work with: top-level
 * category, leaf category (the full path label, "Beauty &gt; Skin care"), brand, catalogue price
 * and its percentile within the top-level category. Results are cached per item (an item changed
 * in the catalogue after it was first resolved keeps its first resolution; make a new resolver to
 * pick up such changes); items the catalogue does not know resolve to null (the caller counts
 * them) and are looked up again next time, so items added later are found. Thread-safe.
 *
 * <p>Memory: one small {@link ItemInfo} per distinct item seen, plus the names of categories and
 * brands.
 */
public final class ItemResolver {
    /**
     * What the aggregates need of an item.
     *
     * @param topCategory top-level category id, -1 when the item has no category
     * @param leafCategory full-path category id, -1 when none
     * @param brand brand id, -1 when none
     * @param price catalogue price, NaN when unknown
     * @param pricePercentile percentile of the catalogue price within its top-level category, NaN when unknown
     * @param breakpoints price quantile breakpoints of its top-level category (shared), or null
     */
    public record ItemInfo(int topCategory, int leafCategory, int brand, double price, double pricePercentile,
                           double[] breakpoints) {
    }

    private final Catalog catalog;
    private final PriceQuantiles prices;
    private final NameDictionary topCategories = new NameDictionary();
    private final NameDictionary leafCategories = new NameDictionary();
    private final NameDictionary brands = new NameDictionary();
    private final ConcurrentHashMap<String, ItemInfo> cache = new ConcurrentHashMap<>();

    /**
     * @param catalog the catalogue, not null
     * @param prices the fitted price quantiles, not null
     */
    public ItemResolver(Catalog catalog, PriceQuantiles prices) {
        if (catalog == null || prices == null) {
            throw new BadInputException("item resolver: 'catalog' and 'prices' are required");
        }
        this.catalog = catalog;
        this.prices = prices;
    }

    /**
     * @param itemId an item id, may be null
     * @return what the aggregates need, or null when the catalogue does not know the item
     */
    public ItemInfo resolve(String itemId) {
        if (itemId == null) {
            return null;
        }
        ItemInfo info = cache.get(itemId);
        if (info != null) {
            return info;
        }
        Optional<Item> item = catalog.item(itemId);
        if (item.isEmpty()) {
            return null;
        }
        info = infoOf(item.get());
        ItemInfo prev = cache.putIfAbsent(itemId, info);
        return prev != null ? prev : info;
    }

    /**
     * @param item an item (need not be in the catalogue)
     * @return its info (not cached)
     */
    public ItemInfo infoOf(Item item) {
        String top = item.topCategory();
        int t = top == null ? -1 : topCategories.assign(top);
        int l = top == null ? -1 : leafCategories.assign(item.categoryLabel());
        int b = item.brand() == null ? -1 : brands.assign(item.brand());
        double[] bp = prices.breakpoints(top);
        return new ItemInfo(t, l, b, item.price(), PriceQuantiles.percentile(bp, item.price()), bp);
    }

    /** @return the names of top-level categories by id */
    public NameDictionary topCategories() {
        return topCategories;
    }

    /** @return the names of leaf categories (full path labels) by id */
    public NameDictionary leafCategories() {
        return leafCategories;
    }

    /** @return the names of brands by id */
    public NameDictionary brands() {
        return brands;
    }

    /** @return the price quantiles in use */
    public PriceQuantiles prices() {
        return prices;
    }

    /** @return the catalogue */
    public Catalog catalog() {
        return catalog;
    }
}
