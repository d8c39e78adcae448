package org.persona4j.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;

/** Planted outcomes (lapses, persona checkout rates): recoverable from the events, deterministic, off by default. */
class PlantedOutcomesTest {
    private static final long SEED = 20261206L;
    private static final long DAY = 86_400_000L;

    private static ShopConfig.Builder shop() {
        System.out.println("seed " + SEED);
        return ShopConfig.builder().users(800).items(600).days(28).seed(SEED);
    }

    private static Map<String, List<BehaviorEvent>> byUser(SyntheticShop s) {
        Map<String, List<BehaviorEvent>> m = new LinkedHashMap<>();
        for (BehaviorEvent e : s.events()) {
            m.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
        }
        return m;
    }

    @Test
    void offByDefaultEveryUserHasTheBaseRateAndNoLapse() {
        ShopConfig c = shop().users(200).build();
        assertFalse(c.hasPlantedOutcomes());
        SyntheticShop s = new ShopGenerator(c).generate();
        assertEquals(200, s.truth().size());
        for (UserTruth t : s.truth().values()) {
            assertFalse(t.lapsed(), t.toString());
            assertEquals(UserTruth.NEVER, t.lapseAtMillis());
            assertEquals(0.62, t.checkoutRate(), t.toString());
            assertEquals(0.0, t.lapseRate(), t.toString());
            assertEquals(s.personaOfUser().get(t.userId()), t.personaId());
        }
    }

    @Test
    void lapsedUsersGoSilentAtTheirLapseTimeAndOnlyTheirEventsChange() {
        ShopConfig base = shop().build();
        ShopConfig lapsing = base.toBuilder().lapseShare(0.25).build();
        SyntheticShop plain = new ShopGenerator(base).generate();
        SyntheticShop s = new ShopGenerator(lapsing).generate();
        Map<String, List<BehaviorEvent>> before = byUser(plain);
        Map<String, List<BehaviorEvent>> after = byUser(s);
        long start = lapsing.start().toEpochMilli();
        long end = start + lapsing.days() * DAY;
        int lapsed = 0;
        Map<String, double[]> lapsePerPersona = new HashMap<>(); // {users, lapsed}
        for (UserTruth t : s.truth().values()) {
            String u = t.userId();
            double[] pl = lapsePerPersona.computeIfAbsent(t.personaId(), k -> new double[2]);
            pl[0]++;
            List<BehaviorEvent> h = after.getOrDefault(u, List.of());
            if (!t.lapsed()) {
                assertEquals(before.getOrDefault(u, List.of()), h, "a user who does not lapse keeps every event: " + u);
                continue;
            }
            lapsed++;
            pl[1]++;
            long at = t.lapseAtMillis();
            assertTrue(at >= start + 8 * DAY && at <= start + 21 * DAY, "lapse within 30%..75% of the period: " + t);
            assertEquals(0, (at - start) % DAY, "a lapse starts a day: " + t);
            for (BehaviorEvent e : h) {
                assertTrue(e.timestampMillis() < at + 3 * 3_600_000L, "no activity after the lapse: " + u + " " + e);
            }
            // the days before the fading week are the plain shop's
            long fade = at - ShopModel.FADE_DAYS * DAY;
            assertEquals(before.getOrDefault(u, List.of()).stream().filter(e -> e.timestampMillis() < fade - 3_600_000L).toList(),
                    h.stream().filter(e -> e.timestampMillis() < fade - 3_600_000L).toList(), u);
        }
        int users = s.truth().size();
        double share = lapsed / (double) users;
        System.out.printf("lapsed %d of %d users (%.3f)%n", lapsed, users, share);
        assertTrue(share > 0.15 && share < 0.35, "about a quarter lapse: " + share);
        // the persona lapse rates are recovered: observed shares follow the planted rates
        List<double[]> pairs = new ArrayList<>();
        for (Persona p : s.personas()) {
            double[] pl = lapsePerPersona.get(p.id());
            double rate = s.truth().values().stream().filter(t -> t.personaId().equals(p.id())).findFirst().orElseThrow().lapseRate();
            pairs.add(new double[] {rate, pl[1] / pl[0]});
        }
        double r = pearson(pairs);
        System.out.println("lapse rate: planted vs observed per persona, Pearson r " + r);
        assertTrue(r > 0.7, "observed lapse shares follow the planted persona rates: r = " + r);
        // silence at the end is the statistic that recovers a lapse: every lapsed user is silent for a week or more
        for (UserTruth t : s.truth().values()) {
            List<BehaviorEvent> h = after.getOrDefault(t.userId(), List.of());
            long last = h.isEmpty() ? start : h.get(h.size() - 1).timestampMillis();
            if (t.lapsed()) {
                assertTrue(end - last > 6 * DAY, t.toString());
            }
        }
    }

    @Test
    void highCheckoutPersonasBuyAGreaterShareOfTheirCarts() {
        ShopConfig c = shop().users(1200).purchaseRateSpread(0.5).build();
        SyntheticShop s = new ShopGenerator(c).generate();
        Map<String, long[]> perPersona = new HashMap<>(); // {carts, purchases}
        for (BehaviorEvent e : s.events()) {
            String p = s.personaOfUser().get(e.userId());
            long[] n = perPersona.computeIfAbsent(p, k -> new long[2]);
            if (e.type() == EventType.ADD_TO_CART) {
                n[0]++;
            } else if (e.type() == EventType.PURCHASE) {
                n[1]++;
            }
        }
        List<double[]> pairs = new ArrayList<>();
        double lo = 1;
        double hi = 0;
        for (Persona p : s.personas()) {
            double rate = s.truth().values().stream().filter(t -> t.personaId().equals(p.id())).findFirst().orElseThrow()
                    .checkoutRate();
            lo = Math.min(lo, rate);
            hi = Math.max(hi, rate);
            long[] n = perPersona.get(p.id());
            pairs.add(new double[] {rate, n[1] / (double) n[0]});
            System.out.printf("%s checkout rate %.3f: purchases per cart %.3f (%d carts)%n", p.id(), rate, n[1] / (double) n[0], n[0]);
        }
        assertEquals(0.31, lo, 1e-9, "stratified over 0.62 * (1 -+ 0.5)");
        assertEquals(0.93, hi, 1e-9);
        double r = pearson(pairs);
        System.out.println("checkout rate: planted vs purchases per cart, Pearson r " + r);
        assertTrue(r > 0.9, "purchases per cart follow the planted checkout rates: r = " + r);
        assertTrue(s.truth().values().stream().noneMatch(UserTruth::lapsed), "no lapses unless asked for");
    }

    @Test
    void plantedShopIsDeterministicAndTruthCsvEqualsTheInMemoryTruth(@TempDir Path tmp) throws Exception {
        ShopConfig c = shop().users(300).plantedOutcomes().botShare(0.02).build();
        ShopGenerator g = new ShopGenerator(c);
        SyntheticShop a = g.generate();
        SyntheticShop b = new ShopGenerator(c.toBuilder().threads(3).build()).generate();
        assertEquals(a.events(), b.events());
        assertEquals(a.truth(), b.truth());
        g.writeTo(tmp.resolve("x"), null);
        new ShopGenerator(c.toBuilder().threads(3).build()).writeTo(tmp.resolve("y"), null);
        for (String f : ShopGenerator.FILES) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("x").resolve(f)),
                    Files.readAllBytes(tmp.resolve("y").resolve(f))), f);
        }
        SyntheticShop other = new ShopGenerator(c.toBuilder().seed(SEED + 1).build()).generate();
        assertFalse(a.truth().equals(other.truth()), "another seed plants other lapses");

        List<List<String>> rows = CsvTestParser.records(tmp.resolve("x/truth.csv"));
        assertEquals(List.of(ShopGenerator.TRUTH_HEADER.split(",")), rows.get(0));
        assertEquals(a.truth().size(), rows.size() - 1);
        int bots = 0;
        for (List<String> r : rows.subList(1, rows.size())) {
            UserTruth t = a.truth(r.get(0));
            assertEquals(t.personaId(), r.get(1));
            if (t.personaId().equals(SyntheticShop.BOT)) {
                bots++;
                assertEquals("", r.get(2));
                assertTrue(Double.isNaN(t.checkoutRate()));
            } else {
                assertEquals(t.checkoutRate(), Double.parseDouble(r.get(2)), 1e-12);
                assertEquals(t.lapseRate(), Double.parseDouble(r.get(3)), 1e-12);
            }
            assertEquals(Boolean.toString(t.lapsed()), r.get(4));
            assertEquals(t.lapsed() ? Long.toString(t.lapseAtMillis()) : "", r.get(5));
        }
        assertTrue(bots > 0 && a.truth().values().stream().anyMatch(UserTruth::lapsed), "bots and lapses present");
        JsonNode json = new ObjectMapper().readTree(tmp.resolve("x/personas.json").toFile());
        for (JsonNode p : json.get("personas")) {
            assertTrue(p.get("checkoutRate").isNumber() && p.get("lapseRate").isNumber(), p.toString());
        }
        assertThrows(java.util.NoSuchElementException.class, () -> a.truth("nobody"));
    }

    @Test
    void badSettingsAreRefusedByName() {
        BadInputException e = assertThrows(BadInputException.class, () -> ShopConfig.builder().lapseShare(0.7));
        assertTrue(e.getMessage().contains("lapseShare") && e.getMessage().contains("0.7"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ShopConfig.builder().purchaseRateSpread(-0.1));
        assertTrue(e.getMessage().contains("purchaseRateSpread"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ShopConfig.builder().days(1).lapseShare(0.2).build());
        assertTrue(e.getMessage().contains("lapseShare") && e.getMessage().contains("days"), e.getMessage());
        assertThrows(BadInputException.class, () -> new UserTruth("u1", "p0", 0.5, 0.1, true, UserTruth.NEVER));
    }

    private static double pearson(List<double[]> xy) {
        int n = xy.size();
        double mx = xy.stream().mapToDouble(p -> p[0]).sum() / n;
        double my = xy.stream().mapToDouble(p -> p[1]).sum() / n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (double[] p : xy) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
