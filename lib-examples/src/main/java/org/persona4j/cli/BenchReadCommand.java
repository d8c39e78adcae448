package org.persona4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.ProgressListener;
import org.persona4j.core.ReadReport;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j bench-read}: measures streaming read speed (events per second, one thread).
 * One warm-up read (with a progress bar), then {@code --repeat} measured reads; prints the best and
 * the median of the wall-clock rate, plus the median rate per CPU-second of the reading thread (a
 * steadier figure on a shared machine), and optionally writes them as JSON. Each read builds every event object and touches
 * its fields, as a real consumer would.
 */
@Command(name = "bench-read", mixinStandardHelpOptions = true,
        description = "Measure streaming read speed (events/s, one thread): warm-up, then measured runs; best and median.")
public final class BenchReadCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true,
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The data file (.gz allowed) or its folder.")
    Path input;

    @Option(names = "--repeat", defaultValue = "5", description = "Measured runs after the warm-up (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--lenient", description = "Read in lenient mode.")
    boolean lenient;

    @Option(names = "--json", description = "Write the figures here as JSON.")
    Path json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (repeat < 1) {
            throw new BadInputException("--repeat: expected >= 1, was " + repeat);
        }
        DataFormat f = DataFormat.parse(format);
        ReadOptions base = lenient ? ReadOptions.lenient() : ReadOptions.strict();
        Run warm = read(f, base.withProgress(new ConsoleProgress(quiet)));
        out.println(String.format(Locale.ROOT, "warm-up: %,d events in %.3f s (%,.0f events/s)", warm.events,
                warm.seconds, warm.events / warm.seconds));
        double[] secs = new double[repeat];
        double[] cpuSecs = new double[repeat];
        long checksum = warm.checksum;
        for (int i = 0; i < repeat; i++) {
            Run r = read(f, base.withProgress(ProgressListener.NONE));
            if (r.events != warm.events || r.checksum != checksum) {
                throw new IllegalStateException("run " + (i + 1) + " read different events than the warm-up");
            }
            secs[i] = r.seconds;
            cpuSecs[i] = r.cpuSeconds;
            out.println(String.format(Locale.ROOT, "run %d: %.3f s (%,.0f events/s), reading thread CPU %.3f s (%,.0f events per CPU-second)",
                    i + 1, r.seconds, r.events / r.seconds, r.cpuSeconds, r.events / r.cpuSeconds));
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double best = sorted[0];
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double[] sortedCpu = cpuSecs.clone();
        Arrays.sort(sortedCpu);
        double medianCpu = sortedCpu.length % 2 == 1 ? sortedCpu[sortedCpu.length / 2]
                : (sortedCpu[sortedCpu.length / 2 - 1] + sortedCpu[sortedCpu.length / 2]) / 2;
        long bytes = Files.isRegularFile(input) ? Files.size(input) : -1;
        out.println(String.format(Locale.ROOT, "%s %s: %,d events, best %,.0f events/s, median %,.0f events/s%s",
                f.cliName(), input, warm.events, warm.events / best, warm.events / median,
                bytes > 0 ? String.format(Locale.ROOT, " (%.1f MB/s best)", bytes / best / 1e6) : ""));
        out.println(String.format(Locale.ROOT, "median events per CPU-second of the reading thread: %,.0f", warm.events / medianCpu));
        out.println(warm.report.summary());
        out.flush();
        if (json != null) {
            ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode n = m.createObjectNode();
            n.put("format", f.cliName());
            n.put("input", input.toString());
            n.put("bytes", bytes);
            n.put("events", warm.events);
            n.put("skipped", warm.report.skippedTotal());
            n.put("repeat", repeat);
            n.putPOJO("runSeconds", secs);
            n.put("bestEventsPerSecond", warm.events / best);
            n.put("medianEventsPerSecond", warm.events / median);
            n.putPOJO("runCpuSeconds", cpuSecs);
            n.put("medianEventsPerCpuSecond", warm.events / medianCpu);
            n.put("java", System.getProperty("java.version"));
            n.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            n.put("cores", Runtime.getRuntime().availableProcessors());
            m.writeValue(json.toFile(), n);
        }
        return 0;
    }

    private static final class Run {
        long events;
        long checksum;
        double seconds;
        double cpuSeconds;
        ReadReport report;
    }

    private Run read(DataFormat f, ReadOptions o) {
        Run r = new Run();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpu = mx.isCurrentThreadCpuTimeSupported();
        long c0 = cpu ? mx.getCurrentThreadCpuTime() : 0;
        long t0 = System.nanoTime();
        try (EventSource src = Datasets.open(f, input, o)) {
            long n = 0;
            long sum = 0;
            while (src.hasNext()) {
                BehaviorEvent e = src.next();
                n++;
                sum += e.timestampMillis() + e.type().ordinal() + e.userId().length();
            }
            r.report = src.report();
            r.events = n;
            r.checksum = sum;
        }
        r.seconds = (System.nanoTime() - t0) / 1e9;
        r.cpuSeconds = cpu ? (mx.getCurrentThreadCpuTime() - c0) / 1e9 : Double.NaN;
        return r;
    }
}
