package org.persona4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateStore;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.aggregate.PriceQuantiles;
import org.persona4j.features.aggregate.UserAggregates;
import org.persona4j.features.pipeline.FeaturePipeline;
import org.persona4j.features.pipeline.FeaturePipelineConfig;
import org.persona4j.features.pipeline.FittedFeaturePipeline;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-features}: throughput of the per-user aggregates (events per second on one
 * thread, through the pre-resolved hot path and through the thread-safe {@link AggregateStore}) on
 * a generated shop, and the time and peak memory of fitting the whole feature pipeline on a real
 * file (Amazon Beauty) and on the generated shop.
 */
@Command(name = "bench-features", mixinStandardHelpOptions = true,
        description = "Benchmark per-user aggregate updates/s and feature-pipeline fitting (seconds, peak memory).")
public final class BenchFeaturesCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", description = "A real data file to fit the pipeline on (e.g. Beauty.txt); skipped when absent.")
    Path input;

    @Option(names = "--format", defaultValue = "s3rec", description = "Format of --input (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--users", defaultValue = "11000", description = "Generated shop users (default ${DEFAULT-VALUE}, about 1M events).")
    int users;

    @Option(names = "--items", defaultValue = "20000", description = "Generated shop items (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "42", description = "Generator seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed passes over the events (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--passes", defaultValue = "5", description = "Timed passes over the events (default ${DEFAULT-VALUE}).")
    int passes;

    @Option(names = "--save", description = "Save the pipeline fitted on the generated shop here (JSON).")
    Path save;

    @Option(names = "--json", description = "Write the figures here as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = mapper.createObjectNode();
        report.put("java", System.getProperty("java.version"));
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);

        if (input != null && Files.exists(input)) {
            gc();
            long base = heapUsed();
            resetPeaks();
            long t0 = System.nanoTime();
            Dataset d = Datasets.load(DataFormat.parse(format), input, ReadOptions.strict());
            double readS = (System.nanoTime() - t0) / 1e9;
            gc();
            long loaded = heapUsed();
            resetPeaks();
            long t1 = System.nanoTime();
            FittedFeaturePipeline p = new FeaturePipeline(FeaturePipelineConfig.defaults()).fit(d.events(), d.catalog(), d.users());
            double fitS = (System.nanoTime() - t1) / 1e9;
            long peak = heapPeak();
            ObjectNode r = report.putObject("fitReal");
            r.put("file", input.toString());
            r.put("events", d.events().size());
            r.put("users", d.users().isEmpty() ? countUsers(d.events()) : d.users().size());
            r.put("catalogItems", d.catalog().size());
            r.put("readSeconds", round(readS));
            r.put("fitSeconds", round(fitS));
            r.put("dataHeapMiB", (loaded - base) >> 20);
            r.put("fitPeakHeapMiB", peak >> 20);
            r.put("fitPeakAboveDataMiB", Math.max(0, peak - loaded) >> 20);
            r.put("schemaSize", p.schema().size());
            out.printf("fit on %s: %,d events, %,d users: read %.2f s, fit %.2f s, heap peak %d MiB (data %d MiB), %d features%n",
                    input.getFileName(), d.events().size(), r.get("users").asLong(), readS, fitS, peak >> 20, (loaded - base) >> 20,
                    p.schema().size());
            out.flush();
        } else if (input != null) {
            out.println("input " + input + " not found: real-data fit skipped");
        }

        long g0 = System.nanoTime();
        SyntheticShop shop = new ShopGenerator(ShopConfig.builder().users(users).items(items).seed(seed).build()).generate();
        double genS = (System.nanoTime() - g0) / 1e9;
        List<BehaviorEvent> events = shop.events();
        out.printf("generated shop: %,d users, %,d items, %,d events in %.1f s%n", users, items, events.size(), genS);
        out.flush();

        // aggregates: hot path on pre-resolved events
        AggregateConfig cfg = AggregateConfig.defaults();
        ItemResolver resolver = new ItemResolver(shop.catalog(), PriceQuantiles.fit(shop.catalog()));
        int n = events.size();
        Map<String, Integer> userIndex = new HashMap<>();
        int[] uIdx = new int[n];
        long[] ts = new long[n];
        EventType[] type = new EventType[n];
        ItemResolver.ItemInfo[] info = new ItemResolver.ItemInfo[n];
        double[] price = new double[n];
        int[] qty = new int[n];
        long[] dwell = new long[n];
        for (int i = 0; i < n; i++) {
            BehaviorEvent e = events.get(i);
            uIdx[i] = userIndex.computeIfAbsent(e.userId(), u -> userIndex.size());
            ts[i] = e.timestampMillis();
            type[i] = e.type();
            info[i] = resolver.resolve(e.itemId());
            price[i] = e.priceOrNaN();
            qty[i] = e.quantityOrOne();
            dwell[i] = e.dwellMillisOrMinus1();
        }
        String[] names = new String[userIndex.size()];
        userIndex.forEach((k, v) -> names[v] = k);
        double[] hot = new double[passes];
        long sink = 0;
        for (int pass = -warmup; pass < passes; pass++) {
            UserAggregates[] aggs = new UserAggregates[names.length];
            for (int u = 0; u < aggs.length; u++) {
                aggs[u] = new UserAggregates(names[u], cfg);
            }
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                aggs[uIdx[i]].update(ts[i], type[i], info[i], price[i], qty[i], dwell[i]);
            }
            long el = System.nanoTime() - t;
            sink += aggs[0].eventCount();
            if (pass >= 0) {
                hot[pass] = n / (el / 1e9);
            }
        }
        double[] store = new double[passes];
        for (int pass = -warmup; pass < passes; pass++) {
            AggregateStore s = new AggregateStore(cfg, resolver);
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                s.update(events.get(i));
            }
            long el = System.nanoTime() - t;
            sink += s.size();
            if (pass >= 0) {
                store[pass] = n / (el / 1e9);
            }
        }
        ObjectNode a = report.putObject("aggregates");
        a.put("events", n);
        a.put("users", names.length);
        a.put("hotPathEventsPerSecondMedian", Math.round(median(hot)));
        a.put("hotPathEventsPerSecondBest", Math.round(Arrays.stream(hot).max().orElse(0)));
        a.put("storeEventsPerSecondMedian", Math.round(median(store)));
        a.put("storeEventsPerSecondBest", Math.round(Arrays.stream(store).max().orElse(0)));
        a.put("bytesPerUserBound", cfg.bytesPerUserBound());
        out.printf("aggregate updates, one thread: hot path %,.0f events/s (median of %d), store %,.0f events/s (median); bound %d bytes/user [%d]%n",
                median(hot), passes, median(store), cfg.bytesPerUserBound(), sink % 10);
        out.flush();

        // fit on the generated shop
        gc();
        long loaded = heapUsed();
        resetPeaks();
        long t1 = System.nanoTime();
        FittedFeaturePipeline p = new FeaturePipeline(FeaturePipelineConfig.defaults()).fit(events, shop.catalog(), shop.users());
        double fitS = (System.nanoTime() - t1) / 1e9;
        long peak = heapPeak();
        ObjectNode f = report.putObject("fitGenerated");
        f.put("events", n);
        f.put("users", names.length);
        f.put("fitSeconds", round(fitS));
        f.put("dataHeapMiB", loaded >> 20);
        f.put("fitPeakHeapMiB", peak >> 20);
        f.put("fitPeakAboveDataMiB", Math.max(0, peak - loaded) >> 20);
        f.put("schemaSize", p.schema().size());
        out.printf("fit on generated shop: %,d events, %,d users: fit %.2f s, heap peak %d MiB (with data %d MiB), %d features%n",
                n, names.length, fitS, peak >> 20, loaded >> 20, p.schema().size());
        if (save != null) {
            p.save(save);
            out.println("saved " + save);
        }
        report.put("peakRssMiB", peakRssMiB());
        out.printf("process peak RSS %d MiB%n", report.get("peakRssMiB").asLong());
        out.flush();
        if (json != null) {
            mapper.writeValue(json.toFile(), report);
        }
        return 0;
    }

    private static long countUsers(List<BehaviorEvent> es) {
        return es.stream().map(BehaviorEvent::userId).distinct().count();
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? 0 : s[s.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                b.resetPeakUsage();
            }
        }
    }

    /** Sum of the heap pools' peaks since the last reset (an upper bound of the peak heap in use). */
    private static long heapPeak() {
        long s = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) {
                s += b.getPeakUsage().getUsed();
            }
        }
        return s;
    }

    private static long peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
