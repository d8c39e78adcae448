package org.persona4j.core;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A stream of events read lazily from a file or another source. Not thread-safe: one consumer.
 * {@link #report()} counts what was read and what was skipped (in lenient mode) by reason; in strict
 * mode the first bad record raises {@link BadInputException} naming the file, line and field.
 */
public interface EventSource extends Iterator<BehaviorEvent>, AutoCloseable {
    /** @return counts so far: lines, events, skips by reason */
    ReadReport report();

    /** Closes the underlying file. Idempotent; raises no checked exception. */
    @Override
    void close();

    /** @return the remaining events as a sequential stream; closing it closes this source */
    default Stream<BehaviorEvent> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::close);
    }
}
