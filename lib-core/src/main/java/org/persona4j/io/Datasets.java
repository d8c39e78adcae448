package org.persona4j.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ReadReport;
import org.persona4j.core.UserAttributes;

/**
 * Entry point of the readers: {@link #open} streams the events of a file; {@link #load} reads a
 * whole data set (events, side-file catalogue and users) into memory.
 *
 * <p>The path is either the data file (plain or gzip-compressed, {@code .gz}) or a folder holding
 * the format's conventional file ({@code events.csv}, {@code UserBehavior.csv}, {@code u.data},
 * one {@code *.inter}, one {@code *.txt}, ...). Stateless and thread-safe; each returned source is
 * for one consumer.
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Opens a streaming source with strict options.
     *
     * @param format the file format
     * @param path the file or its folder
     * @return the source; close it when done (it closes itself at the end of the input)
     * @throws BadInputException when the file is missing or its header is wrong
     */
    public static EventSource open(DataFormat format, Path path) {
        return open(format, path, ReadOptions.strict());
    }

    /**
     * Opens a streaming source: the file is read record by record, never whole.
     *
     * @param format the file format
     * @param path the file or its folder
     * @param options strict or lenient, column mapping, progress (null: strict)
     * @return the source; close it when done (it closes itself at the end of the input). Iterating
     *     raises {@link BadInputException} on the first bad record in strict mode.
     * @throws BadInputException when the file is missing or its header is wrong
     */
    public static EventSource open(DataFormat format, Path path, ReadOptions options) {
        requireFormat(format);
        return open(format, Inputs.mainFile(format, path), options, null);
    }

    private static AbstractEventReader open(DataFormat format, Path file, ReadOptions options, Map<String, String> categories) {
        if (format == null) {
            throw new BadInputException("data format must not be null");
        }
        ReadOptions o = options == null ? ReadOptions.strict() : options;
        AbstractEventReader r;
        switch (format) {
            case EVENTS_CSV: r = new EventsCsvReader(file, o); break;
            case TAOBAO: r = new TaobaoReader(file, o, categories); break;
            case RETAILROCKET: r = new RetailRocketReader(file, o); break;
            case MOVIELENS: r = MovieLensReader.open(file, o); break;
            case RECBOLE: r = new RecBoleReader(file, o); break;
            case S3REC: r = new S3RecReader(file, o); break;
            case SESSIONS: r = SessionsReader.open(file, o); break;
            default: throw new IllegalStateException(format.toString());
        }
        r.start();
        return r;
    }

    /**
     * Reads a whole data set with strict options.
     *
     * @param format the file format
     * @param path the file or its folder
     * @return the data set
     * @throws BadInputException on the first bad record
     */
    public static Dataset load(DataFormat format, Path path) {
        return load(format, path, ReadOptions.strict());
    }

    /**
     * Reads a whole data set: the events in file order, plus the catalogue and user attributes from
     * the side files next to the main file when present ({@code items.csv} and {@code users.csv} for
     * events-csv; {@code <name>.item} and {@code <name>.user} for RecBole;
     * {@code <name>_item2attributes.json} for S3-Rec; Taobao items get their category id as a
     * one-level category path). Side-file skips are counted in the report under the side file's name.
     *
     * @param format the file format
     * @param path the file or its folder
     * @param options strict or lenient, column mapping, progress (null: strict)
     * @return the data set
     * @throws BadInputException on the first bad record (strict) or past the lenient limit
     */
    public static Dataset load(DataFormat format, Path path, ReadOptions options) {
        requireFormat(format);
        ReadOptions o = options == null ? ReadOptions.strict() : options;
        Path file = Inputs.mainFile(format, path);
        Map<String, String> categories = format == DataFormat.TAOBAO ? new HashMap<>() : null;
        List<BehaviorEvent> events = new ArrayList<>();
        ReadReport eventsReport;
        try (AbstractEventReader r = open(format, file, o, categories)) {
            while (r.hasNext()) {
                events.add(r.next());
            }
            eventsReport = r.report();
        }
        Path dir = file.toAbsolutePath().getParent();
        String stem = stem(file);
        InMemoryCatalog catalog = new InMemoryCatalog();
        Map<String, UserAttributes> users = new LinkedHashMap<>();
        Problems side = new Problems(o);
        switch (format) {
            case EVENTS_CSV: {
                Path items = SideFiles.find(dir, "items.csv");
                if (items != null) {
                    SideFiles.itemsCsv(items, side, catalog::put);
                }
                Path us = SideFiles.find(dir, "users.csv");
                if (us != null) {
                    SideFiles.usersCsv(us, side, u -> users.put(u.userId(), u));
                }
                break;
            }
            case RECBOLE: {
                Path items = SideFiles.find(dir, stem + ".item");
                if (items != null) {
                    SideFiles.recboleItems(items, side, catalog::put);
                }
                Path us = SideFiles.find(dir, stem + ".user");
                if (us != null) {
                    SideFiles.recboleUsers(us, side, u -> users.put(u.userId(), u));
                }
                break;
            }
            case S3REC: {
                Path attrs = SideFiles.find(dir, stem + "_item2attributes.json");
                if (attrs == null) {
                    attrs = single(dir, "_item2attributes.json");
                }
                if (attrs != null) {
                    SideFiles.item2attributes(attrs, side, catalog::put);
                }
                break;
            }
            case TAOBAO:
                categories.forEach((item, cat) -> catalog.put(new Item(item, List.of(cat), null, Double.NaN, null, null, Map.of())));
                break;
            default:
                break;
        }
        Map<String, Long> skipped = new LinkedHashMap<>(eventsReport.skipped());
        side.counts().forEach((k, v) -> skipped.merge(k, v, Long::sum));
        ReadReport report = new ReadReport(eventsReport.source(), eventsReport.linesRead(), eventsReport.eventsRead(), skipped);
        String name = Files.isDirectory(path) ? path.toAbsolutePath().normalize().getFileName().toString() : stem;
        return new Dataset(name, events, catalog, users, report);
    }

    private static void requireFormat(DataFormat format) {
        if (format == null) {
            throw new BadInputException("data format must not be null");
        }
    }

    private static String stem(Path file) {
        String n = Inputs.baseName(file);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static Path single(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> found = s.filter(p -> Inputs.baseName(p).endsWith(suffix)).toList();
            return found.size() == 1 ? found.get(0) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
