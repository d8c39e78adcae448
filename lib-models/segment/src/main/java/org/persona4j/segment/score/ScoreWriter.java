package org.persona4j.segment.score;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.persona4j.core.BadInputException;

/**
 * Writes {@link ScoredUser} rows one at a time (nothing is buffered beyond the stream's buffer).
 * Not thread-safe. Closing the writer closes the stream or file it writes to.
 *
 * <p>JSON Lines ({@link Format#JSON_LINES}), one object per line:
 * <pre>
 * {"userId":"42","events":17,"lastEventAt":"2003-02-28T17:49:50Z",
 *  "propensities":{"purchase":0.31,"churn":0.05},"churnSource":"heuristic",
 *  "embedding":[...],"longTermEmbedding":[...],
 *  "interests":[{"name":"Drama","score":0.62}, ...],
 *  "tags":[{"id":"new-customer","text":"new customer","weight":0.9,"evidence":{...}}, ...],
 *  "segment":"rfm-loyal","valueGroup":"loyal",
 *  "sentiment":-0.41,"sentimentRatings":23,
 *  "sentimentByCategory":[{"category":"Drama","polarity":-0.52,"ratings":11}, ...]}
 * </pre>
 * {@code segment} and {@code valueGroup} are {@code null} when absent; {@code lastEventAt} is an
 * ISO-8601 instant; {@code sentiment} (the user's rating polarity, see {@link ProfileScorer}) is
 * {@code null}, with {@code sentimentRatings} 0 and {@code sentimentByCategory} empty, when the
 * user or the data has no ratings.
 *
 * <p>CSV ({@link Format#CSV}, RFC 4180 quoting, header on the first line): {@code user_id, events,
 * last_event_at}, one column per propensity named as in the first row ({@code purchase}, ...,
 * {@code churn}), {@code churn_source, segment, value_group}, then the composite fields as JSON in
 * one cell each: {@code interests} (an object, strongest first), {@code tags} (an array of tag
 * ids), {@code embedding} and {@code long_term_embedding} (arrays), then {@code sentiment} (empty
 * when absent), {@code sentiment_ratings} and {@code sentiment_by_category} (the JSON array of
 * JSON Lines). Every row must have the propensities of the first (rows from one model do).
 */
public interface ScoreWriter extends Closeable {
    /**
     * @param row the row, not null
     * @throws IOException when writing fails
     */
    void write(ScoredUser row) throws IOException;

    /** Output formats. Parquet is not offered (see docs/segments.md). */
    enum Format {
        /** One JSON object per line. */
        JSON_LINES,
        /** Comma-separated values with a header. */
        CSV;

        /**
         * @param fileName a file name ending in {@code .jsonl}, {@code .ndjson}, {@code .json} or
         *     {@code .csv}, each optionally followed by {@code .gz}
         * @return its format
         * @throws BadInputException for any other name
         */
        public static Format ofFileName(String fileName) {
            String n = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
            if (n.endsWith(".gz")) {
                n = n.substring(0, n.length() - 3);
            }
            if (n.endsWith(".csv")) {
                return CSV;
            }
            if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
                return JSON_LINES;
            }
            String hint = n.endsWith(".parquet") ? " (Parquet is not supported)" : "";
            throw new BadInputException("score output '" + fileName + "': expected a name ending in .jsonl, .ndjson, .json or"
                    + " .csv (optionally .gz)" + hint);
        }
    }

    /**
     * @param out where the lines go (UTF-8 text)
     * @return a JSON Lines writer
     */
    static ScoreWriter jsonLines(Writer out) {
        return new JsonLinesScoreWriter(out);
    }

    /**
     * @param out where the lines go
     * @return a CSV writer
     */
    static ScoreWriter csv(Writer out) {
        return new CsvScoreWriter(out);
    }

    /**
     * @param format the format
     * @param out where the lines go
     * @return a writer of that format
     */
    static ScoreWriter of(Format format, Writer out) {
        if (format == null || out == null) {
            throw new BadInputException("score writer: 'format' and 'out' are required");
        }
        return format == Format.CSV ? csv(out) : jsonLines(out);
    }

    /**
     * Creates (or replaces) a file in the format its name says ({@link Format#ofFileName}),
     * gzip-compressed when the name ends in {@code .gz}.
     *
     * @param file the file
     * @return the writer
     * @throws IOException when the file cannot be created
     * @throws BadInputException when the name has no known extension
     */
    static ScoreWriter open(Path file) throws IOException {
        return open(file, Format.ofFileName(file.getFileName().toString()), file.toString().toLowerCase(Locale.ROOT).endsWith(".gz"));
    }

    /**
     * Creates (or replaces) a file in the given format.
     *
     * @param file the file
     * @param format the format
     * @param gzip whether to gzip-compress it
     * @return the writer
     * @throws IOException when the file cannot be created
     */
    static ScoreWriter open(Path file, Format format, boolean gzip) throws IOException {
        OutputStream os = Files.newOutputStream(file);
        try {
            if (gzip) {
                os = new GZIPOutputStream(os, 1 << 16);
            }
        } catch (IOException e) {
            os.close();
            throw e;
        }
        return of(format, new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16));
    }
}
