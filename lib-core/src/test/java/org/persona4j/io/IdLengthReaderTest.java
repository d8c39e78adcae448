package org.persona4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventSource;
import org.persona4j.core.Ids;

/** Readers refuse ids over the limit ({@link Ids}) like any other bad field: strict fails, lenient skips. */
class IdLengthReaderTest {
    @TempDir
    Path dir;

    @Test
    void overlongIdsAreBadLines() throws Exception {
        String longId = "u".repeat(Ids.maxIdBytes() + 1);
        Path f = dir.resolve("e.csv");
        Files.writeString(f, "user_id,item_id,event_type,timestamp\nu1,i1,VIEW,1000\n" + longId + ",i1,VIEW,2000\n"
                + "u2," + longId + ",VIEW,3000\nu3,i3,VIEW,4000\n", StandardCharsets.UTF_8);
        BadInputException e = assertThrows(BadInputException.class, () -> {
            try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.strict())) {
                EventsCsvReaderTest.readAll(s);
            }
        });
        assertTrue(e.getMessage().contains("e.csv") && e.getMessage().contains("3")
                && e.getMessage().contains(String.valueOf(Ids.maxIdBytes())) && e.getMessage().length() < 400, e.getMessage());
        try (EventSource s = Datasets.open(DataFormat.EVENTS_CSV, f, ReadOptions.lenient())) {
            List<BehaviorEvent> ev = EventsCsvReaderTest.readAll(s);
            assertEquals(List.of("u1", "u3"), ev.stream().map(BehaviorEvent::userId).toList());
            assertEquals(2, s.report().skippedTotal());
        }
    }
}
