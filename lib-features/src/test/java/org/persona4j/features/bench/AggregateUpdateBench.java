package org.persona4j.features.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateStore;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;

/**
 * JMH: per-user aggregate updates on one thread, per event (ops/s = events/s). A block of
 * {@value #EVENTS} events over {@code users} users and 5,000 items in 40 categories is replayed
 * per invocation into fresh aggregates, through the pre-resolved hot path and through the
 * thread-safe {@link AggregateStore}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AggregateUpdateBench {
    static final int EVENTS = 100_000;

    @Param({"1000", "20000"})
    int users;

    private AggregateConfig config;
    private ItemResolver resolver;
    private List<BehaviorEvent> events;
    private int[] userIndex;
    private long[] ts;
    private EventType[] types;
    private ItemResolver.ItemInfo[] infos;
    private String[] names;
    private UserAggregates[] aggs;
    private AggregateStore store;

    /** Builds the events once. */
    @Setup(Level.Trial)
    public void data() {
        Random r = new Random(42);
        InMemoryCatalog cat = new InMemoryCatalog();
        for (int i = 0; i < 5000; i++) {
            int c = r.nextInt(40);
            cat.put(new Item("i" + i, List.of("C" + (c % 8), "C" + (c % 8) + "/" + c), "B" + r.nextInt(200),
                    1 + r.nextInt(500), null, null, Map.of()));
        }
        config = AggregateConfig.defaults();
        resolver = new ItemResolver(cat, PriceQuantiles.fit(cat));
        events = new ArrayList<>(EVENTS);
        userIndex = new int[EVENTS];
        ts = new long[EVENTS];
        types = new EventType[EVENTS];
        infos = new ItemResolver.ItemInfo[EVENTS];
        names = new String[users];
        for (int u = 0; u < users; u++) {
            names[u] = "u" + u;
        }
        long t = 1_700_000_000_000L;
        for (int k = 0; k < EVENTS; k++) {
            int u = r.nextInt(users);
            t += r.nextInt(5000);
            EventType type = EventType.ofOrdinal(1 + r.nextInt(8));
            String item = "i" + r.nextInt(5000);
            events.add(BehaviorEvent.of(names[u], item, type, t));
            userIndex[k] = u;
            ts[k] = t;
            types[k] = type;
            infos[k] = resolver.resolve(item);
        }
    }

    /** Fresh aggregates for every invocation. */
    @Setup(Level.Invocation)
    public void fresh() {
        aggs = new UserAggregates[users];
        for (int u = 0; u < users; u++) {
            aggs[u] = new UserAggregates(names[u], config);
        }
        store = new AggregateStore(config, resolver);
    }

    /**
     * @param bh sink
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void hotPath(Blackhole bh) {
        for (int k = 0; k < EVENTS; k++) {
            aggs[userIndex[k]].update(ts[k], types[k], infos[k], Double.NaN, 1, -1);
        }
        bh.consume(aggs[0].eventCount());
    }

    /**
     * @param bh sink
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void store(Blackhole bh) {
        for (int k = 0; k < EVENTS; k++) {
            store.update(events.get(k));
        }
        bh.consume(store.size());
    }
}
