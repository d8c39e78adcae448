package org.persona4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny S3-Rec file (20 users over 15 items) that the CLI tests train on. */
final class TinyS3Rec {
    private TinyS3Rec() {
    }

    /**
     * Writes {@code tiny.txt} into a folder.
     *
     * @param dir the folder
     * @param minEvents events of the shortest user (user u has {@code minEvents + u % 6})
     * @return the file
     */
    static Path write(Path dir, int minEvents) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int u = 1; u <= 20; u++) {
            StringBuilder sb = new StringBuilder().append(u);
            for (int i = 0; i < minEvents + u % 6; i++) {
                sb.append(' ').append(1 + (u + 3 * i) % 15);
            }
            lines.add(sb.toString());
        }
        Path in = dir.resolve("tiny.txt");
        Files.write(in, lines);
        return in;
    }
}
