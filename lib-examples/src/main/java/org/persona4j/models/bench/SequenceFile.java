package org.persona4j.models.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.persona4j.core.BadInputException;

/**
 * A minimal reader of the S3-Rec sequence format: one user per line, {@code user item1 item2 ...}
 * with whitespace-separated non-negative integer item ids in time order (id 0 is reserved for
 * padding). Lines with fewer than two fields (a user without items) are skipped and counted.
 *
 * @param sequences the item ids of each user, in file order
 * @param maxItemId the largest item id seen
 * @param events the total number of item events
 * @param skippedLines lines skipped because they held no item
 */
public record SequenceFile(List<int[]> sequences, int maxItemId, long events, long skippedLines) {

    /** Validates and freezes the fields. */
    public SequenceFile {
        sequences = Collections.unmodifiableList(new ArrayList<>(sequences));
    }

    /**
     * Reads a file.
     *
     * @throws BadInputException naming file, line and field when an item id is not a positive integer
     * @throws IOException if the file cannot be read
     */
    public static SequenceFile read(Path file) throws IOException {
        List<int[]> seqs = new ArrayList<>();
        int max = 0;
        long events = 0;
        long skipped = 0;
        long lineNo = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String[] parts = line.trim().split("\\s+");
                if (parts.length < 2) {
                    skipped++;
                    continue;
                }
                int[] items = new int[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    int id;
                    try {
                        id = Integer.parseInt(parts[i]);
                    } catch (NumberFormatException e) {
                        throw new BadInputException(file.toString(), lineNo, "item " + i,
                                "expected a positive integer item id, got '" + parts[i] + "'", e);
                    }
                    if (id <= 0) {
                        throw new BadInputException(file.toString(), lineNo, "item " + i,
                                "expected a positive integer item id (0 is padding), got " + id);
                    }
                    items[i - 1] = id;
                    max = Math.max(max, id);
                }
                events += items.length;
                seqs.add(items);
            }
        }
        return new SequenceFile(seqs, max, events, skipped);
    }
}
