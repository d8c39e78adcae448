package org.persona4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.persona4j.core.EventSource;
import org.persona4j.core.ReadReport;
import org.persona4j.io.ColumnMapping;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.DatasetStats;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j stats}: streams a data file once and prints its statistics (users, items, events
 * per type, time span, events per user) and the read report (lines, events, skipped records by
 * reason); with {@code --load} it loads the data set with its side files and also counts catalogue
 * items and user records. Exit code 2 on bad input in strict mode.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Read a data file (streaming) and print dataset statistics and the read report.")
public final class StatsCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", required = true,
            description = "Input format: events-csv, taobao, retailrocket, movielens, recbole, s3rec, sessions.")
    String format;

    @Option(names = "--input", required = true, description = "The data file (.gz allowed) or its folder.")
    Path input;

    @Option(names = "--lenient", description = "Skip and count bad records instead of failing on the first.")
    boolean lenient;

    @Option(names = "--max-errors", defaultValue = "-1", description = "Lenient mode: fail past this many bad records (-1: no cap).")
    long maxErrors;

    @Option(names = "--columns", description = "events-csv column mapping, e.g. user_id=visitor,timestamp=ts.")
    String columns;

    @Option(names = "--epoch-seconds", description = "events-csv: numeric timestamps are Unix seconds, not milliseconds.")
    boolean epochSeconds;

    @Option(names = "--load", description = "Load the whole data set with its side files (items, users) and also report those.")
    boolean load;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        DataFormat f = DataFormat.parse(format);
        ReadOptions o = (lenient ? ReadOptions.lenient() : ReadOptions.strict()).withMaxErrors(maxErrors)
                .withColumnMapping(ColumnMapping.parse(columns)).withEpochSeconds(epochSeconds).withProgress(new ConsoleProgress(quiet));
        String name = input.toAbsolutePath().normalize().getFileName().toString();
        DatasetStats.Accumulator acc = new DatasetStats.Accumulator(name + " (" + f.cliName() + ")");
        ReadReport report;
        if (load) {
            Dataset d = Datasets.load(f, input, o);
            d.events().forEach(acc);
            report = d.report();
            out.print(acc.finish());
            out.println(String.format(Locale.ROOT, "  %-20s %,15d", "catalogue items", d.catalog().size()));
            out.println(String.format(Locale.ROOT, "  %-20s %,15d", "user records", d.users().size()));
        } else {
            try (EventSource src = Datasets.open(f, input, o)) {
                src.forEachRemaining(acc);
                report = src.report();
            }
            out.print(acc.finish());
        }
        out.println();
        printReport(out, report);
        out.flush();
        return 0;
    }

    static void printReport(PrintWriter out, ReadReport r) {
        out.println("read report " + r.source());
        out.println(String.format(Locale.ROOT, "  %-40s %,15d", "lines read", r.linesRead()));
        out.println(String.format(Locale.ROOT, "  %-40s %,15d", "events", r.eventsRead()));
        out.println(String.format(Locale.ROOT, "  %-40s %,15d", "skipped", r.skippedTotal()));
        for (Map.Entry<String, Long> e : r.skipped().entrySet()) {
            out.println(String.format(Locale.ROOT, "    %-38s %,15d", e.getKey(), e.getValue()));
        }
    }
}
