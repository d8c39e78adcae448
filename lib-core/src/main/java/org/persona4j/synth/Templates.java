package org.persona4j.synth;

import java.util.List;

/**
 * The readable material the generator draws from: a category tree with median prices and
 * consumable flags, title adjectives, brand syllables, review texts and user attribute values.
 * One top-level category is written in Chinese so that CJK text flows through every file.
 */
final class Templates {
    private Templates() {
    }

    /** A leaf category: name, median price and whether it is bought again and again. */
    record Leaf(String name, double medianPrice, boolean consumable) {
    }

    /** A second-level category and its leaves. */
    record Sub(String name, List<Leaf> leaves) {
    }

    /** A top-level category with its subcategories and words for titles. */
    record Top(String name, List<Sub> subs, List<String> adjectives, boolean chinese, double femaleShare, List<String> sizes) {
    }

    static Leaf l(String name, double price) {
        return new Leaf(name, price, false);
    }

    static Leaf c(String name, double price) {
        return new Leaf(name, price, true);
    }

    static Sub s(String name, Leaf... leaves) {
        return new Sub(name, List.of(leaves));
    }

    static final List<Top> TOPS = List.of(
            new Top("Electronics", List.of(
                    s("Phones", l("Smartphones", 450), l("Cases", 15), l("Chargers", 20), c("Screen protectors", 9)),
                    s("Computers", l("Laptops", 900), l("Monitors", 220), l("Keyboards", 60), l("Mice", 30)),
                    s("Audio", l("Headphones", 120), l("Earbuds", 80), l("Speakers", 90), l("Microphones", 70)),
                    s("Cameras", l("Digital cameras", 550), l("Lenses", 400), l("Tripods", 45), c("Memory cards", 20))),
                    List.of("Wireless", "Pro", "Ultra", "Compact", "Smart", "Fast", "Noise-cancelling", "4K"), false, 0.3, List.of("Black", "White", "Silver", "Blue", "128 GB", "2-pack")),
            new Top("Beauty", List.of(
                    s("Skin care", c("Serum", 30), c("Moisturiser", 25), c("Cleanser", 15), c("Sunscreen", 18)),
                    s("Makeup", c("Lipstick", 20), c("Foundation", 32), c("Mascara", 18), l("Eyeshadow", 24)),
                    s("Hair care", c("Shampoo", 10), c("Conditioner", 11), c("Hair oil", 16), l("Hair dryers", 60)),
                    s("Fragrance", l("Eau de parfum", 75), l("Eau de toilette", 55), c("Body mist", 15), l("Gift sets", 45))),
                    List.of("Hydrating", "Gentle", "Matte", "Radiant", "Organic", "Vitamin C", "Long-lasting", "Nourishing"), false, 0.8, List.of("30 ml", "50 ml", "100 ml", "Travel size", "Refill")),
            new Top("Home & Kitchen", List.of(
                    s("Cookware", l("Frying pans", 40), l("Pots", 55), l("Knives", 45), l("Baking trays", 18)),
                    s("Appliances", l("Coffee machines", 180), l("Blenders", 70), l("Kettles", 35), l("Air fryers", 110)),
                    s("Furniture", l("Chairs", 120), l("Desks", 220), l("Shelves", 80), l("Lamps", 45)),
                    s("Bedding", l("Pillows", 30), l("Duvets", 90), l("Sheets", 40), l("Blankets", 35))),
                    List.of("Non-stick", "Stainless", "Cosy", "Modern", "Oak", "Compact", "Premium", "Classic"), false, 0.6, List.of("Small", "Large", "Set of 3", "Grey", "White")),
            new Top("Fashion", List.of(
                    s("Women", l("Dresses", 60), l("Tops", 30), l("Jeans", 55), l("Coats", 140)),
                    s("Men", l("Shirts", 40), l("Trousers", 50), l("Jackets", 120), l("T-shirts", 20)),
                    s("Shoes", l("Sneakers", 85), l("Boots", 110), l("Sandals", 40), l("Running shoes", 95)),
                    s("Accessories", l("Bags", 70), l("Watches", 150), l("Belts", 30), l("Sunglasses", 60))),
                    List.of("Slim-fit", "Linen", "Denim", "Vintage", "Casual", "Leather", "Oversized", "Summer"), false, 0.65, List.of("S", "M", "L", "XL", "Black", "Navy")),
            new Top("食品饮料", List.of(
                    s("茶叶", c("绿茶", 25), c("红茶", 22), c("乌龙茶", 30), c("花茶", 18)),
                    s("零食", c("坚果", 15), c("饼干", 6), c("巧克力", 8), c("果干", 10)),
                    s("调味品", c("酱油", 5), c("醋", 4), c("辣椒酱", 6), c("香料", 7)),
                    s("咖啡", c("咖啡豆", 18), c("速溶咖啡", 9), c("挂耳咖啡", 12), c("咖啡胶囊", 14))),
                    List.of("精选", "有机", "特级", "原味", "家庭装", "礼盒装", "新品", "经典"), true, 0.55, List.of("250g", "500g", "1kg", "罐装", "袋装", "12包")),
            new Top("Sports & Outdoors", List.of(
                    s("Fitness", l("Yoga mats", 25), l("Dumbbells", 40), l("Resistance bands", 15), c("Protein powder", 35)),
                    s("Cycling", l("Bikes", 600), l("Helmets", 60), l("Bike lights", 25), c("Inner tubes", 8)),
                    s("Camping", l("Tents", 150), l("Sleeping bags", 80), l("Backpacks", 90), l("Headlamps", 25)),
                    s("Team sports", l("Footballs", 25), l("Basketballs", 30), l("Jerseys", 60), l("Shin guards", 18))),
                    List.of("Lightweight", "Waterproof", "Pro", "Trail", "Breathable", "Durable", "Foldable", "Carbon"), false, 0.35, List.of("S", "M", "L", "Pack of 2", "Black")),
            new Top("Baby & Kids", List.of(
                    s("Diapering", c("Diapers", 25), c("Wipes", 8), l("Changing mats", 20), c("Diaper cream", 9)),
                    s("Feeding", c("Formula", 30), l("Bottles", 15), l("High chairs", 120), c("Baby food", 4)),
                    s("Toys", l("Building blocks", 35), l("Plush toys", 18), l("Puzzles", 15), l("Ride-on toys", 70)),
                    s("Kids clothing", l("Bodysuits", 15), l("Pyjamas", 20), l("Kids shoes", 35), l("Hats", 12))),
                    List.of("Soft", "Sensitive", "Eco", "Colourful", "Safe", "Cotton", "Educational", "Sturdy"), false, 0.7, List.of("0-6 months", "6-12 months", "Size 3", "Pack of 4")),
            new Top("Books & Media", List.of(
                    s("Fiction", l("Novels", 15), l("Crime", 13), l("Science fiction", 14), l("Poetry", 12)),
                    s("Non-fiction", l("Biographies", 18), l("History", 20), l("Cookbooks", 25), l("Self-help", 16)),
                    s("Children's books", l("Picture books", 10), l("Early readers", 8), l("Activity books", 7), l("Comics", 9)),
                    s("Music & Film", l("Vinyl", 28), l("CDs", 12), l("Blu-ray", 18), l("Box sets", 45))),
                    List.of("Illustrated", "Hardcover", "Paperback", "Collector's", "Bestselling", "Signed", "Deluxe", "Remastered"), false, 0.5, List.of("Paperback", "Hardcover", "2nd edition", "Anniversary edition")),
            new Top("Pet Supplies", List.of(
                    s("Dogs", c("Dog food", 45), l("Dog toys", 12), l("Leashes", 18), l("Dog beds", 55)),
                    s("Cats", c("Cat food", 30), c("Cat litter", 15), l("Scratching posts", 40), l("Cat toys", 9)),
                    s("Aquarium", c("Fish food", 7), l("Filters", 35), l("Tanks", 90), c("Water conditioner", 9)),
                    s("Small pets", c("Hay", 10), l("Cages", 70), c("Pet bedding", 12), c("Treats", 6))),
                    List.of("Grain-free", "Chew-proof", "Natural", "Large", "Small", "Senior", "Puppy", "Indoor"), false, 0.55, List.of("2 kg", "5 kg", "Small", "Large", "Pack of 6")),
            new Top("Health & Household", List.of(
                    s("Vitamins", c("Multivitamins", 18), c("Vitamin D", 12), c("Omega-3", 20), c("Probiotics", 25)),
                    s("Cleaning", c("Detergent", 14), c("Dish soap", 5), c("Sponges", 4), c("Surface spray", 6)),
                    s("Personal care", c("Toothpaste", 5), l("Electric toothbrushes", 70), c("Razors", 25), c("Deodorant", 6)),
                    s("Medical", l("Thermometers", 20), c("Bandages", 6), c("Pain relief", 8), c("Masks", 10))),
                    List.of("Daily", "Extra strength", "Sensitive", "Fresh", "Eco", "Family size", "Travel", "Gentle"), false, 0.55, List.of("60 tablets", "120 tablets", "500 ml", "Pack of 6")));

    static final String[] LATIN_SYLLABLES = {"no", "va", "ke", "lo", "ri", "ta", "mi", "zen", "or", "bel", "ca", "dor",
        "fi", "lux", "ma", "ne", "ox", "pra", "qui", "sol", "tek", "ul", "vi", "xo", "ya", "ar", "en", "is"};
    static final String[] CHINESE_BRAND_CHARS = {"山", "禾", "茶", "语", "福", "源", "味", "香", "明", "月", "田", "园", "春", "和",
        "嘉", "美", "良", "品", "金", "谷"};
    static final String[] QUERY_PREFIX_CHEAP = {"cheap", "budget", "discount", "best value"};
    static final String[] QUERY_PREFIX_PREMIUM = {"best", "premium", "top rated", "luxury"};
    static final String[] CHINESE_QUERY_CHEAP = {"便宜", "特价", "实惠"};
    static final String[] CHINESE_QUERY_PREMIUM = {"高端", "正品", "好评"};

    static final String[] REVIEWS_GOOD = {
        "Great %s, exactly as described. Would buy again!",
        "Love it: fast delivery, solid quality, fair price.",
        "Five stars. My second %s from this brand and still \"perfect\".",
        "Really happy with this %s, recommended to friends.",
        "Pros: quality, price, packaging.\nCons: none so far."};
    static final String[] REVIEWS_MID = {
        "Okay %s, does the job, nothing special.",
        "Decent, but delivery took a while.",
        "Good value, although the colour is a bit \"off\" compared to the photos.",
        "Fine for the price; I expected a little more."};
    static final String[] REVIEWS_BAD = {
        "Disappointed: the %s broke after a week.",
        "Not as described, returned it.",
        "Poor quality, wouldn't buy again.\nCustomer service was slow, too."};
    static final String[] REVIEWS_CHINESE_GOOD = {"质量很好，物流很快！", "味道不错，会回购。", "包装精美，送人很合适。"};
    static final String[] REVIEWS_CHINESE_MID = {"还可以，性价比一般。", "口味一般，包装还行。"};
    static final String[] REVIEWS_CHINESE_BAD = {"和描述不符，不推荐。", "日期不新鲜，失望。"};

    static final String[] REGIONS = {"North", "South", "East", "West", "Central", "Capital", "Coast", "Overseas"};
    static final String[] OCCUPATIONS = {"student", "engineer", "teacher", "nurse", "manager", "designer", "retired",
        "homemaker", "sales", "self-employed", "developer", "doctor", "driver", "chef", "researcher"};

    /** Relative traffic per hour of day (UTC) for sessions outside a persona's preferred hours. */
    static final double[] HOUR_WEIGHTS = {2, 1, 0.6, 0.4, 0.3, 0.4, 1, 2, 3, 3.5, 4, 4.5, 5.5, 5, 4.5, 4.2, 4.2,
        4.5, 5, 6, 7, 7, 5.5, 3.5};

    /** Preferred-hour styles: hours of day (UTC) and a readable label. */
    static final int[][] HOUR_STYLES = {{7, 8, 9}, {12, 13}, {19, 20, 21}, {22, 23, 0}, {10, 11, 15}};
    static final String[] HOUR_STYLE_NAMES = {"early bird", "lunch-break shopper", "evening shopper", "night owl",
        "daytime browser"};

    /** Activity multiplier per day of week, Monday first. */
    static final double[] WEEKDAY = {0.9, 0.88, 0.9, 0.92, 1.0, 1.2, 1.2};
}
