/**
 * Readers for event data files: the SDK's own {@code events-csv} and public formats (Taobao,
 * RetailRocket, MovieLens, RecBole, S3-Rec, session files).
 *
 * <p>{@link org.persona4j.io.Datasets#open} streams events record by record (never loading a file
 * whole; {@code .gz} files are decompressed on the fly); {@link org.persona4j.io.Datasets#load}
 * reads a whole {@link org.persona4j.io.Dataset} with its side files. In strict mode (the default)
 * the first bad record raises {@link org.persona4j.core.BadInputException} naming the file, the
 * 1-based line, the column and what was expected; in lenient mode bad records are skipped and
 * counted per reason in the {@link org.persona4j.core.ReadReport}. Formats are documented in
 * {@code docs/data-formats.md}.
 *
 * <p>Every format applies the same checks: field values obey
 * {@link org.persona4j.core.EventRules} (the rules of the HTTP service and of
 * {@link org.persona4j.core.BehaviorEvent.Builder#build()}: timestamps 1970-01-01 to 9999-12-31,
 * whole quantities 1 to 2147483647, dwell 0 to 365 days, finite non-negative rating and price, ids
 * without control characters); lines must be valid UTF-8 (never silently replaced); an input
 * without data lines is an error (lenient: a warning and an "empty file" count); a last line
 * without a line break that looks cut off is refused ("truncated last line"); a stray quote costs
 * only its own line; lenient reading still fails when more than
 * {@link org.persona4j.io.ReadOptions#maxBadShare()} of at least
 * {@value org.persona4j.io.ReadOptions#BAD_SHARE_MIN_LINES} data lines are bad. Input echoed in
 * messages and logs is cut to a snippet and has its control characters escaped.
 *
 * <p>Each reader shares repeated user and item id strings (up to 4 million distinct ids of each
 * kind per reader; further ids are still read, just not shared), which keeps loaded data sets small
 * and reading allocation-light. Readers are single-consumer objects; the static entry points are
 * thread-safe.
 *
 * <p>Two helpers for the SDK's own on-disk formats: {@link org.persona4j.io.FormatHeader} writes
 * and checks the magic, name and version that start every binary format and the
 * {@code "format"} / {@code "formatVersion"} keys that start every JSON format, with one wording
 * for wrong-magic, too-new and too-old errors; {@link org.persona4j.io.AtomicFiles} replaces a
 * file atomically (unique temporary file in the same directory, optional fsync, atomic rename).
 */
package org.persona4j.io;
