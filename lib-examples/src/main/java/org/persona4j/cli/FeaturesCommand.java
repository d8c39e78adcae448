package org.persona4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.FeatureSchema;
import org.persona4j.core.Tag;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.clean.CleaningConfig;
import org.persona4j.features.clean.CleaningResult;
import org.persona4j.features.clean.EventCleaner;
import org.persona4j.features.pipeline.FeaturePipeline;
import org.persona4j.features.pipeline.FeaturePipelineConfig;
import org.persona4j.features.pipeline.FittedFeaturePipeline;
import org.persona4j.features.pipeline.UserInput;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j features}: reads a data set, optionally cleans it (printing the cleaning
 * report), fits the feature pipeline, saves it as JSON and prints the profile tags of a few users.
 */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Clean a data set, fit the feature pipeline, save it as JSON and show users' tags.")
public final class FeaturesCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true, description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The events file.")
    Path input;

    @Option(names = "--lenient", description = "Skip and count bad rows instead of failing on the first one.")
    boolean lenient;

    @Option(names = "--clean", description = "Clean the events first (duplicates, bots, bad timestamps, missing values) and print the report.")
    boolean clean;

    @Option(names = "--out", description = "Save the fitted pipeline here (JSON).")
    Path out;

    @Option(names = "--show", defaultValue = "3", description = "Print tags of this many users with the most events (default ${DEFAULT-VALUE}).")
    int show;

    @Option(names = "--user", description = "Print the tags and the non-zero features of this user.")
    String user;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Dataset d = Datasets.load(DataFormat.parse(format), input, lenient ? ReadOptions.lenient() : ReadOptions.strict());
        o.println(d.report().summary());
        List<BehaviorEvent> events = d.events();
        if (clean) {
            long end = events.stream().mapToLong(BehaviorEvent::timestampMillis).max().orElse(0);
            CleaningResult r = new EventCleaner(CleaningConfig.defaults(end), d.catalog()).clean(events);
            o.print(r.report());
            events = r.events();
        }
        FittedFeaturePipeline p = new FeaturePipeline(FeaturePipelineConfig.defaults())
                .fit(events, d.catalog(), d.users(), new ConsoleProgress(quiet));
        o.printf("fitted: %d features, schema %s%n", p.schema().size(), p.schema().hash().substring(0, 12));
        if (out != null) {
            p.save(out);
            o.println("saved " + out);
        }
        Map<String, List<BehaviorEvent>> byUser = new LinkedHashMap<>();
        for (BehaviorEvent e : events) {
            byUser.computeIfAbsent(e.userId(), u -> new ArrayList<>()).add(e);
        }
        List<String> users = new ArrayList<>();
        if (user != null) {
            users.add(user);
        } else {
            byUser.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                    .limit(Math.max(0, show)).forEach(e -> users.add(e.getKey()));
        }
        for (String u : users) {
            UserInput in = UserInput.of(u, byUser.getOrDefault(u, List.of()), d.users().get(u));
            AggregateSnapshot s = p.snapshot(in);
            o.printf("user %s: %d events, favourite %s%n", u, s.eventCount(), s.favoriteTopCategory());
            for (Tag t : p.tags(in)) {
                o.printf("  %-28s %.2f  %s%n", t.text(), t.weight(), t.evidence());
            }
            if (user != null) {
                float[] x = p.extract(in);
                List<FeatureSchema.Field> f = p.schema().fields();
                for (int i = 0; i < x.length; i++) {
                    if (x[i] != 0) {
                        o.printf("  %-40s %10.4f%n", f.get(i).name(), x[i]);
                    }
                }
            }
        }
        o.println("bad input counters: " + p.counters());
        o.flush();
        return 0;
    }
}
