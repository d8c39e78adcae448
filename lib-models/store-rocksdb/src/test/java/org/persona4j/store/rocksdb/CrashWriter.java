package org.persona4j.store.rocksdb;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of {@link RocksDbCrashTest}: writes profiles to a SYNC store as fast as it can
 * and prints {@code ACK <id>} after each write returns, until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    /** @param args the store directory */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        RocksDbProfileStore store = RocksDbProfileStore.open(Path.of(args[0]), Durability.SYNC);
        out.println("READY");
        out.flush();
        for (int i = 0; ; i++) {
            String id = "k" + i;
            store.save(RocksDbCrashTest.expected(id, i), Map.of("lstm", RocksDbCrashTest.state(i)));
            out.println("ACK " + id);
            out.flush();
        }
    }

}
