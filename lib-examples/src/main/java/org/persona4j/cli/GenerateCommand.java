package org.persona4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j generate}: writes a synthetic shop (events.csv, items.csv, users.csv,
 * personas.csv, personas.json, truth.csv) into a folder, with a progress bar and a summary. Presets give
 * shops of about 100 thousand, 1 million and 10 million events.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a synthetic shop with planted personas: events.csv (events-csv format), items.csv, "
            + "users.csv, personas.csv (ground truth), personas.json and truth.csv (planted lapses and purchase rates). "
            + "Same options and seed give the same bytes.",
            "About 115 events per user with the default 28 days: --users 8800 (--preset 1m) gives about 1 million events."})
public final class GenerateCommand implements CliCommand {
    /** Shop sizes by name: users, items. */
    enum Preset {
        SMALL(1_000, 2_000), ONE_MILLION(8_800, 20_000), TEN_MILLION(88_000, 100_000);

        final int users;
        final int items;

        Preset(int users, int items) {
            this.users = users;
            this.items = items;
        }

        static Preset parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "small": case "100k": return SMALL;
                case "1m": return ONE_MILLION;
                case "10m": return TEN_MILLION;
                default:
                    throw new org.persona4j.core.BadInputException("generate: --preset must be one of small, 1m, 10m, was '" + s + "'");
            }
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--preset", description = "Shop size: small (~100k events), 1m (~1M events: 8,800 users, 20,000 items), "
            + "10m (~10M events: 88,000 users, 100,000 items). --users and --items override it.")
    String preset;

    @Option(names = "--users", description = "Users (default 1,000, or the preset's).")
    Integer users;

    @Option(names = "--items", description = "Items (default 2,000, or the preset's).")
    Integer items;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--days", defaultValue = "28", description = "Days simulated (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--start", defaultValue = "2026-01-05T00:00:00Z", description = "First instant, UTC (default ${DEFAULT-VALUE}).")
    java.time.Instant start;

    @Option(names = "--personas", defaultValue = "8", description = "Planted personas (default ${DEFAULT-VALUE}).")
    int personas;

    @Option(names = "--categories", defaultValue = "10", description = "Top-level categories, 2..10 (default ${DEFAULT-VALUE}).")
    int categories;

    @Option(names = "--noise", description = "Add noise: 1%% duplicate events, 0.5%% bot users, 0.1%% malformed rows.")
    boolean noise;

    @Option(names = "--duplicate-rate", description = "Share of duplicated events (overrides --noise).")
    Double duplicateRate;

    @Option(names = "--bot-share", description = "Share of bot users (overrides --noise).")
    Double botShare;

    @Option(names = "--malformed-rate", description = "Malformed rows per valid row of events.csv (overrides --noise).")
    Double malformedRate;

    @Option(names = "--outcomes", description = "Plant outcomes: 20%% of shoppers lapse, persona checkout rates spread "
            + "by 50%% (as --lapse-share 0.2 --purchase-rate-spread 0.5; the quickstart's shop).")
    boolean outcomes;

    @Option(names = "--lapse-share", description = "Mean share of shoppers who stop all activity before the end, 0..0.6 "
            + "(overrides --outcomes).")
    Double lapseShare;

    @Option(names = "--purchase-rate-spread", description = "Relative spread of the personas' checkout rates around 0.62, "
            + "0..0.6 (overrides --outcomes).")
    Double purchaseRateSpread;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads; the output does not depend on it (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        Preset p = preset == null ? Preset.SMALL : Preset.parse(preset);
        ShopConfig.Builder b = ShopConfig.builder().users(users == null ? p.users : users).items(items == null ? p.items : items)
                .seed(seed).days(days).start(start).personas(personas).topCategories(categories).threads(threads);
        if (noise) {
            b.defaultNoise();
        }
        if (duplicateRate != null) {
            b.duplicateRate(duplicateRate);
        }
        if (botShare != null) {
            b.botShare(botShare);
        }
        if (malformedRate != null) {
            b.malformedRate(malformedRate);
        }
        if (outcomes) {
            b.plantedOutcomes();
        }
        if (lapseShare != null) {
            b.lapseShare(lapseShare);
        }
        if (purchaseRateSpread != null) {
            b.purchaseRateSpread(purchaseRateSpread);
        }
        ShopConfig config = b.build();
        GenerationSummary s = new ShopGenerator(config).writeTo(out, new ConsoleProgress(quiet));
        PrintWriter w = spec.commandLine().getOut();
        w.println("generated a shop into " + out + " (seed " + seed + ")");
        w.print(s);
        w.flush();
        return 0;
    }
}
