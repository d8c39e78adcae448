package org.persona4j.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Item;
import org.persona4j.core.Progress;

class ShopGeneratorTest {
    private static final long SEED = 20261122L;

    private static ShopConfig.Builder small() {
        System.out.println("seed " + SEED);
        return ShopConfig.builder().users(400).items(600).days(14).seed(SEED);
    }

    private static String hash(Path dir) throws IOException, NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String f : ShopGenerator.FILES) {
            md.update(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(dir.resolve(f)));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void sameConfigGivesByteIdenticalFilesWhateverTheThreads(@TempDir Path tmp) throws Exception {
        ShopConfig c = small().defaultNoise().build();
        new ShopGenerator(c).writeTo(tmp.resolve("a"), null);
        new ShopGenerator(c).writeTo(tmp.resolve("b"), null);
        new ShopGenerator(c.toBuilder().threads(3).build()).writeTo(tmp.resolve("c"), null);
        new ShopGenerator(c.toBuilder().seed(SEED + 1).build()).writeTo(tmp.resolve("d"), null);
        String a = hash(tmp.resolve("a"));
        assertEquals(a, hash(tmp.resolve("b")), "same config, same bytes");
        assertEquals(a, hash(tmp.resolve("c")), "3 threads give the bytes of 1 thread");
        assertNotEquals(a, hash(tmp.resolve("d")), "another seed gives another shop");
    }

    @Test
    void inMemoryShopEqualsTheWrittenFilesMinusMalformedRows(@TempDir Path tmp) throws Exception {
        ShopConfig c = small().defaultNoise().malformedRate(0.01).build();
        ShopGenerator g = new ShopGenerator(c);
        SyntheticShop shop = g.generate();
        GenerationSummary s = g.writeTo(tmp, null);
        List<List<String>> rows = CsvTestParser.records(tmp.resolve("events.csv"));
        assertEquals(ShopGenerator.EVENTS_HEADER, String.join(",", rows.get(0)));
        List<BehaviorEvent> parsed = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            BehaviorEvent e = CsvTestParser.event(r);
            if (e != null) {
                parsed.add(e);
            }
        }
        assertEquals(shop.events().size(), parsed.size());
        assertEquals(shop.events(), parsed, "written events equal the in-memory ones, field by field");
        assertEquals(s.events(), parsed.size());

        // items, users and personas agree too
        List<List<String>> items = CsvTestParser.records(tmp.resolve("items.csv"));
        assertEquals(List.of("item_id", "category_path", "brand", "price", "title", "description"), items.get(0));
        assertEquals(c.items(), items.size() - 1);
        for (List<String> r : items.subList(1, items.size())) {
            assertEquals(6, r.size(), r.toString());
            Item it = shop.catalog().item(r.get(0)).orElseThrow();
            assertEquals(it.categoryLabel(), r.get(1));
            assertEquals(3, r.get(1).split(" > ").length, r.get(1));
            assertEquals(it.brand(), r.get(2));
            assertEquals(it.price(), Double.parseDouble(r.get(3)));
            assertTrue(it.price() > 0);
            assertEquals(it.title(), r.get(4));
            assertEquals(it.description(), r.get(5));
        }
        List<List<String>> users = CsvTestParser.records(tmp.resolve("users.csv"));
        assertEquals(List.of("user_id", "age", "gender", "region", "occupation"), users.get(0));
        assertEquals(c.users(), users.size() - 1);
        for (List<String> r : users.subList(1, users.size())) {
            var a = shop.users().get(r.get(0));
            assertNotNull(a, r.get(0));
            assertEquals(a.age() < 0 ? "" : Integer.toString(a.age()), r.get(1));
            assertEquals(a.gender() == null ? "" : a.gender(), r.get(2));
            assertEquals(a.occupation() == null ? "" : a.occupation(), r.get(4));
        }
        List<List<String>> personas = CsvTestParser.records(tmp.resolve("personas.csv"));
        assertEquals(List.of("user_id", "persona"), personas.get(0));
        Map<String, String> personaOf = new LinkedHashMap<>();
        personas.subList(1, personas.size()).forEach(r -> personaOf.put(r.get(0), r.get(1)));
        assertEquals(shop.personaOfUser(), personaOf);

        JsonNode json = new ObjectMapper().readTree(tmp.resolve("personas.json").toFile());
        assertEquals(c.personas(), json.get("personas").size());
        for (JsonNode p : json.get("personas")) {
            Persona ps = shop.persona(p.get("id").asText());
            assertEquals(ps.favoriteCategory(), p.get("favoriteCategory").asText());
            assertEquals(ps.favoriteWeight(), p.get("categoryWeights").get(ps.favoriteCategory()).asDouble());
            assertEquals(ps.priceSensitivity(), p.get("priceSensitivity").asDouble());
        }
        // CJK text flows through the files
        assertTrue(Files.readString(tmp.resolve("items.csv")).contains("食品饮料 > "));
    }

    @Test
    void noiseCountsInTheSummaryMatchTheFiles(@TempDir Path tmp) throws Exception {
        ShopConfig c = small().users(600).duplicateRate(0.02).botShare(0.02).malformedRate(0.005).build();
        List<Progress> progress = new ArrayList<>();
        GenerationSummary s = new ShopGenerator(c).writeTo(tmp, progress::add);
        System.out.println(s);
        List<List<String>> rows = CsvTestParser.records(tmp.resolve("events.csv"));
        long valid = 0;
        long malformed = 0;
        long duplicates = 0;
        Map<EventType, Long> perType = new EnumMap<>(EventType.class);
        List<String> previous = null;
        for (List<String> r : rows.subList(1, rows.size())) {
            BehaviorEvent e = CsvTestParser.event(r);
            if (e == null) {
                malformed++;
                continue;
            }
            valid++;
            perType.merge(e.type(), 1L, Long::sum);
            if (r.equals(previous)) {
                duplicates++;
            }
            previous = r;
        }
        assertTrue(malformed > 0 && duplicates > 0 && s.botUsers() > 0, "noise present: " + s);
        assertEquals(s.malformedRows(), malformed);
        assertEquals(s.malformedPerKind().values().stream().mapToLong(Long::longValue).sum(), malformed);
        assertEquals(s.duplicateEvents(), duplicates);
        assertEquals(s.events(), valid);
        for (EventType t : EventType.values()) {
            assertEquals(s.eventsPerType().get(t), perType.getOrDefault(t, 0L), t.name());
        }
        long bots = CsvTestParser.records(tmp.resolve("personas.csv")).stream().filter(r -> r.get(1).equals(SyntheticShop.BOT)).count();
        assertEquals(s.botUsers(), bots);
        assertEquals(c.users(), s.users());
        assertEquals(ShopGenerator.FILES.size(), s.files().size());
        long bytes = 0;
        for (Path f : s.files()) {
            bytes += Files.size(f);
        }
        assertEquals(bytes, s.bytesWritten());
        Progress last = progress.get(progress.size() - 1);
        assertEquals(s.events(), last.done());
        assertEquals(1.0, last.fraction());
    }

    @Test
    void usersFollowTheirPlantedFavouriteCategory() {
        SyntheticShop shop = new ShopGenerator(small().users(1500).items(2000).days(28).build()).generate();
        Map<String, Map<String, Integer>> perUser = new HashMap<>();
        for (BehaviorEvent e : shop.events()) {
            if (e.itemId() != null) {
                String top = shop.catalog().item(e.itemId()).orElseThrow().topCategory();
                perUser.computeIfAbsent(e.userId(), k -> new HashMap<>()).merge(top, 1, Integer::sum);
            }
        }
        double shareSum = 0;
        int users = 0;
        int favouriteIsTop = 0;
        for (Map.Entry<String, Map<String, Integer>> en : perUser.entrySet()) {
            int total = en.getValue().values().stream().mapToInt(Integer::intValue).sum();
            if (total < 20) {
                continue;
            }
            String fav = shop.persona(shop.personaOfUser().get(en.getKey())).favoriteCategory();
            shareSum += en.getValue().getOrDefault(fav, 0) / (double) total;
            users++;
            String most = Collections.max(en.getValue().entrySet(), Map.Entry.comparingByValue()).getKey();
            if (most.equals(fav)) {
                favouriteIsTop++;
            }
        }
        double share = shareSum / users;
        double hit = favouriteIsTop / (double) users;
        System.out.printf("users with >= 20 item events: %d, mean favourite share %.3f, favourite most frequent for %.3f%n",
                users, share, hit);
        assertTrue(users > 1000, "most users have 20 events or more: " + users);
        assertTrue(share >= 0.6 && share <= 0.75, "mean favourite share " + share);
        assertTrue(hit >= 0.95, "favourite is the most frequent top-level category for " + hit);
        for (Persona p : shop.personas()) {
            assertTrue(p.favoriteWeight() >= 0.6 && p.favoriteWeight() <= 0.75, p.toString());
            assertEquals(1.0, p.categoryWeights().values().stream().mapToDouble(Double::doubleValue).sum(), 0.01, p.toString());
        }
    }

    @Test
    void userAttributesFollowThePersona() {
        SyntheticShop shop = new ShopGenerator(small().users(3000).items(500).days(1).build()).generate();
        Map<String, Map<String, Integer>> regions = new HashMap<>();
        for (Map.Entry<String, String> e : shop.personaOfUser().entrySet()) {
            String region = shop.users().get(e.getKey()).region();
            regions.computeIfAbsent(e.getValue(), k -> new HashMap<>()).merge(region, 1, Integer::sum);
        }
        int checked = 0;
        for (Map.Entry<String, Map<String, Integer>> e : regions.entrySet()) {
            int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            if (n < 150) {
                continue;
            }
            int mode = Collections.max(e.getValue().values());
            // 8 regions: about 1/8 each without a persona preference, about half with one
            assertTrue(mode > 0.35 * n, "persona " + e.getKey() + " region counts " + e.getValue());
            checked++;
        }
        assertTrue(checked >= 4, "personas checked: " + checked);
    }

    @Test
    void sessionsFollowDailyAndWeeklyCycles() {
        SyntheticShop shop = new ShopGenerator(small().users(1000).items(500).days(28).build()).generate();
        Map<String, int[]> inPreferred = new HashMap<>(); // persona -> {sessions, starting in a preferred hour}
        Set<String> started = new HashSet<>();
        long[] perWeekday = new long[7];
        for (BehaviorEvent e : shop.events()) {
            java.time.ZonedDateTime t = e.timestamp().atZone(java.time.ZoneOffset.UTC);
            perWeekday[t.getDayOfWeek().getValue() - 1]++;
            if (started.add(e.sessionId().orElseThrow())) {
                Persona p = shop.persona(shop.personaOfUser().get(e.userId()));
                int[] c = inPreferred.computeIfAbsent(p.id(), k -> new int[2]);
                c[0]++;
                for (int h : p.preferredHours()) {
                    if (h == t.getHour()) {
                        c[1]++;
                    }
                }
            }
        }
        for (Map.Entry<String, int[]> en : inPreferred.entrySet()) {
            double share = en.getValue()[1] / (double) en.getValue()[0];
            // 2 or 3 preferred hours out of 24 would hold about 10% of the sessions by chance
            assertTrue(share > 0.55, "persona " + en.getKey() + ": share of sessions in preferred hours " + share);
        }
        double weekday = (perWeekday[0] + perWeekday[1] + perWeekday[2] + perWeekday[3]) / 4.0;
        double weekend = (perWeekday[5] + perWeekday[6]) / 2.0;
        assertTrue(weekend > 1.15 * weekday, "weekend " + weekend + " vs weekday " + weekday);
    }

    @Test
    void sessionsFollowTheFunnel() {
        SyntheticShop shop = new ShopGenerator(small().build()).generate();
        Map<String, Set<String>> seenInSession = new HashMap<>();
        Map<String, Set<String>> cartInSession = new HashMap<>();
        Map<String, Set<String>> boughtByUser = new HashMap<>();
        Map<String, Set<String>> boughtItems = new HashMap<>();
        long last = Long.MIN_VALUE;
        int purchases = 0;
        int repeats = 0;
        for (BehaviorEvent e : shop.events()) {
            assertTrue(e.timestampMillis() >= last, "time order");
            last = e.timestampMillis();
            String s = e.sessionId().orElseThrow();
            Set<String> seen = seenInSession.computeIfAbsent(s, k -> new HashSet<>());
            Set<String> cart = cartInSession.computeIfAbsent(s, k -> new HashSet<>());
            switch (e.type()) {
                case SEARCH -> assertTrue(e.query().isPresent() && e.itemId() == null, e.toString());
                case VIEW -> {
                    assertTrue(e.dwellMillis().isPresent(), e.toString());
                    seen.add(e.itemId());
                }
                case CLICK -> seen.add(e.itemId());
                case ADD_TO_CART -> {
                    assertTrue(seen.contains(e.itemId()), "cart after a view/click in the session: " + e);
                    assertTrue(e.quantity().isPresent() && e.price().isPresent(), e.toString());
                    cart.add(e.itemId());
                }
                case REMOVE_FROM_CART -> assertTrue(cart.contains(e.itemId()), "removed from the cart after adding: " + e);
                case PURCHASE -> {
                    assertTrue(cart.contains(e.itemId()) && seen.contains(e.itemId()),
                            "purchase preceded by a view and a cart of the item in the session: " + e);
                    assertTrue(e.quantity().getAsInt() >= 1 && e.price().getAsDouble() > 0, e.toString());
                    purchases++;
                    if (!boughtItems.computeIfAbsent(e.userId(), k -> new HashSet<>()).add(e.itemId())) {
                        repeats++;
                    }
                    boughtByUser.computeIfAbsent(e.userId(), k -> new HashSet<>()).add(e.itemId());
                }
                case RATE, REVIEW -> {
                    assertTrue(boughtByUser.getOrDefault(e.userId(), Set.of()).contains(e.itemId()),
                            "rated or reviewed after buying: " + e);
                    double r = e.rating().orElseThrow();
                    assertTrue(r >= 1 && r <= 5, e.toString());
                    if (e.type() == EventType.REVIEW) {
                        assertTrue(e.reviewText().isPresent(), e.toString());
                    }
                }
                case FAVORITE -> assertTrue(seen.contains(e.itemId()), e.toString());
                default -> throw new AssertionError(e.toString());
            }
        }
        assertTrue(purchases > 100, "purchases " + purchases);
        assertTrue(repeats > 0, "consumables are bought again");
    }

    @Test
    void popularityIsHeavyTailedAndPricesFollowCategories() {
        SyntheticShop shop = new ShopGenerator(small().users(1000).items(2000).build()).generate();
        Map<String, Integer> views = new HashMap<>();
        int total = 0;
        for (BehaviorEvent e : shop.events()) {
            if (e.type() == EventType.VIEW) {
                views.merge(e.itemId(), 1, Integer::sum);
                total++;
            }
        }
        List<Integer> counts = new ArrayList<>(views.values());
        counts.sort(Collections.reverseOrder());
        int top = counts.subList(0, 20).stream().mapToInt(Integer::intValue).sum(); // 1% of the items
        System.out.printf("top 1%% of items get %.3f of the views%n", top / (double) total);
        assertTrue(top > 0.1 * total, "the top 1% of items draw more than 10% of views: " + top + "/" + total);
        // laptops cost more than phone cases (medians)
        assertTrue(median(shop, "Laptops") > 10 * median(shop, "Cases"));
    }

    private static double median(SyntheticShop shop, String leaf) {
        List<Double> p = new ArrayList<>();
        for (Item it : shop.catalog().items()) {
            if (leaf.equals(it.leafCategory())) {
                p.add(it.price());
            }
        }
        Collections.sort(p);
        assertFalse(p.isEmpty(), leaf);
        return p.get(p.size() / 2);
    }
}
