package org.persona4j.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/** A small generated shop shared by the tests (generated once per test JVM). */
final class TestShop {
    static final long SEED = 20261206L;
    private static SyntheticShop shop;

    private TestShop() {
    }

    static synchronized SyntheticShop get() {
        if (shop == null) {
            shop = new ShopGenerator(ShopConfig.builder().users(240).items(120).personas(4).days(14).seed(SEED).build()).generate();
        }
        return shop;
    }

    /** @return the shop's events as a DataFrame of {@link SparkEvents#EVENT_SCHEMA}, in 3 partitions */
    static Dataset<Row> events() {
        List<Row> rows = new ArrayList<>();
        for (BehaviorEvent e : get().events()) {
            rows.add(SparkEvents.toRow(e));
        }
        return LocalSpark.get().createDataFrame(rows, SparkEvents.EVENT_SCHEMA).repartition(3);
    }

    /** @return the events per user, users sorted, each history in {@link SparkFeatures#HISTORY_ORDER} */
    static Map<String, List<BehaviorEvent>> histories(List<BehaviorEvent> events) {
        Map<String, List<BehaviorEvent>> m = new TreeMap<>();
        for (BehaviorEvent e : events) {
            m.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
        }
        Map<String, List<BehaviorEvent>> out = new LinkedHashMap<>();
        m.forEach((u, h) -> {
            h.sort(SparkFeatures.HISTORY_ORDER);
            out.put(u, h);
        });
        return out;
    }
}
