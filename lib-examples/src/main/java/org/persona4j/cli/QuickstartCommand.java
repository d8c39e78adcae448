package org.persona4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.DatasetStats;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j quickstart}: the whole SDK on built-in synthetic data, step by step — generate a
 * shop with planted personas, read it back with the strict reader and print its statistics.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the SDK end to end on a generated shop: generate, read back, describe.")
public final class QuickstartCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "persona4j-quickstart", description = "Working folder (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--users", defaultValue = "1100", description = "Shoppers to simulate (default ${DEFAULT-VALUE}, ~100k events).")
    int users;

    @Option(names = "--items", defaultValue = "2000", description = "Catalogue size (default ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    private PrintWriter w;
    private long t0;
    private int step;

    @Override
    public Integer call() {
        w = spec.commandLine().getOut();
        t0 = System.nanoTime();
        Path shopDir = out.resolve("shop");

        header("Generate a synthetic shop with planted personas");
        ShopConfig config = ShopConfig.builder().users(users).items(items).seed(seed).build();
        GenerationSummary summary = new ShopGenerator(config).writeTo(shopDir, new ConsoleProgress(quiet));
        w.print(summary);

        header("Read it back (strict events-csv reader, items.csv and users.csv side files)");
        long r0 = System.nanoTime();
        Dataset data = Datasets.load(DataFormat.EVENTS_CSV, shopDir.resolve("events.csv"), ReadOptions.strict());
        double secs = (System.nanoTime() - r0) / 1e9;
        w.printf(Locale.ROOT, "read %,d events, %,d catalogue items, %,d user records in %.2f s%n",
                data.events().size(), data.catalog().size(), data.users().size(), secs);
        w.println(data.report().summary());
        w.println(DatasetStats.of(data));

        w.printf(Locale.ROOT, "%nquickstart finished in %.1f s; files under %s%n", elapsed(), out.toAbsolutePath());
        w.flush();
        return 0;
    }

    private void header(String title) {
        step++;
        w.printf(Locale.ROOT, "%n== %d. %s  [%.1f s]%n", step, title, elapsed());
        w.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }
}
