package org.persona4j.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.engine.CountingProfileModel;
import org.persona4j.engine.JournalDurability;
import org.persona4j.engine.PersonaEngine;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;

/**
 * The process {@link KillRecoveryTest} kills: an engine over a RocksDB store with the event journal
 * on, ingesting from several threads until it is killed. After each {@code ingest} returns it
 * prints {@code A <thread> <i>}: the acknowledgement the parent counts.
 *
 * <p>Arguments: store folder, journal folder, threads, SYNC or BUFFERED.
 */
public final class KillChild {
    private KillChild() {
    }

    static final int USERS = 40;
    static final long T0 = 1_700_000_000_000L;

    static String user(int thread, int i) {
        return "u" + Math.floorMod(thread * 7919 + i, USERS);
    }

    static String item(int thread, int i) {
        return "t" + thread + "-" + i;
    }

    static PersonaEngine.Builder engine(Path store, Path journal, JournalDurability durability) {
        return PersonaEngine.builder(new CountingProfileModel(new InMemoryCatalog()))
                .store(RocksDbProfileStore.open(store, Durability.BUFFERED))
                .journal(journal).journalDurability(durability).historySize(100_000);
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Path journal = Path.of(args[1]);
        int threads = Integer.parseInt(args[2]);
        JournalDurability durability = JournalDurability.valueOf(args[3]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        // a slow write-behind: most acknowledged events exist only in the journal when the kill comes
        PersonaEngine engine = engine(store, journal, durability).flushInterval(Duration.ofMillis(700)).build();
        out.println("READY");
        out.flush();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            ts[t] = new Thread(() -> {
                for (int i = 0; i < 1_000_000; i++) {
                    engine.ingest(BehaviorEvent.of(user(thread, i), item(thread, i), EventType.VIEW, T0 + i));
                    synchronized (out) {
                        out.println("A " + thread + " " + i);
                        out.flush();
                    }
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
    }
}
