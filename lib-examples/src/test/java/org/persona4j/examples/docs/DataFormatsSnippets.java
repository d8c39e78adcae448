package org.persona4j.examples.docs;

import java.nio.file.Path;
import org.persona4j.core.EventSource;
import org.persona4j.io.DataFormat;
import org.persona4j.io.Dataset;
import org.persona4j.io.Datasets;
import org.persona4j.io.ReadOptions;

/** docs/data-formats.md's code, compiled. */
final class DataFormatsSnippets {
    private DataFormatsSnippets() {
    }

    static void readers() throws Exception {
        // snippet:start data-formats-read
        try (EventSource src = Datasets.open(DataFormat.EVENTS_CSV, Path.of("shop/events.csv"), ReadOptions.lenient())) {
            src.forEachRemaining(e -> System.out.println(e.userId() + " " + e.type() + " " + e.itemId()));
            System.out.println(src.report().summary());    // lines read, events, skipped by reason
        }
        Dataset d = Datasets.load(DataFormat.RECBOLE, Path.of("../shared/data/ml-100k"));   // events + catalog + users
        // snippet:end
    }
}
