package org.persona4j.store.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.UserProfile;
import org.persona4j.store.StoreCorruptedException;
import org.persona4j.store.StoreException;
import org.persona4j.store.UserDataStore;
import org.persona4j.testkit.UserDataStoreContract;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/** RocksDB store: the conformance suite, durability across reopen, corruption, path safety, erasure on disk. */
class RocksDbProfileStoreTest extends UserDataStoreContract {
    @TempDir
    Path tmp;

    private int opened;

    @Override
    protected UserDataStore newStore() {
        return RocksDbProfileStore.open(tmp.resolve("db" + (opened++)), Durability.BUFFERED);
    }

    /** Reads every key of every column family with RocksDB itself, after the store is closed. */
    static List<byte[]> allKeys(Path dir) throws Exception {
        List<byte[]> keys = new ArrayList<>();
        List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
        try (Options o = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(o, dir.toString())) {
                cfs.add(new ColumnFamilyDescriptor(name));
            }
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (org.rocksdb.DBOptions o = new org.rocksdb.DBOptions();
             RocksDB db = RocksDB.openReadOnly(o, dir.toString(), cfs, handles)) {
            for (ColumnFamilyHandle h : handles) {
                try (RocksIterator it = db.newIterator(h)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        keys.add(it.key());
                    }
                }
                h.close();
            }
        }
        return keys;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    protected void assertNothingLeftFor(String userId) throws Exception {
        RocksDbProfileStore s = (RocksDbProfileStore) store;
        Path dir = s.directory();
        // the erasure pass the delete scheduled, run now; no close or reopen needed
        s.compactDeleted();
        // no file of the store holds the id's bytes, raw or hex (keys, values, logs, MANIFEST); the
        // production configuration compresses blocks, RocksDbErasureTest scans uncompressed files
        assertEquals(List.of(), RocksDbErasureTest.filesHolding(dir, userId), "files still holding " + userId);
        s.close();
        byte[] id = userId.getBytes(StandardCharsets.UTF_8);
        for (byte[] k : allKeys(dir)) {
            assertFalse(contains(k, id), "a key still holds " + userId);
        }
        store = RocksDbProfileStore.open(dir, Durability.BUFFERED);
    }

    @Test
    void syncMakesBufferedWritesDurableAndIsRefusedAfterClose() {
        RocksDbProfileStore s = RocksDbProfileStore.open(tmp.resolve("sync"), Durability.BUFFERED);
        s.putState("u1", "events", new byte[] {1, 2, 3});
        s.sync();
        s.close();
        try (RocksDbProfileStore again = RocksDbProfileStore.open(tmp.resolve("sync"), Durability.BUFFERED)) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, again.getState("u1", "events").orElseThrow());
        }
        org.junit.jupiter.api.Assertions.assertThrows(org.persona4j.store.StoreClosedException.class, s::sync);
    }

    @Test
    void writesSurviveReopen() {
        Path dir = tmp.resolve("reopen");
        UserProfile p = profile("u1", 16, 1);
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
            s.save(p, java.util.Map.of("lstm", new byte[] {1, 2}));
        }
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.BUFFERED)) {
            assertEquals(p, s.load("u1").orElseThrow());
            assertEquals(2, s.getState("u1", "lstm").orElseThrow().length);
        }
    }

    @Test
    void secondOpenOfTheSameDirectoryIsAClearError() {
        Path dir = tmp.resolve("locked");
        try (RocksDbProfileStore first = RocksDbProfileStore.open(dir, Durability.BUFFERED)) {
            assertEquals(dir.toAbsolutePath().normalize(), first.directory());
            StoreException e = assertThrows(StoreException.class, () -> RocksDbProfileStore.open(dir, Durability.BUFFERED));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        }
    }

    @Test
    void damagedDatabaseFilesGiveStoreCorruptedException() throws IOException {
        Path dir = tmp.resolve("damaged");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
            s.save(profile("u1", 4, 1));
        }
        Files.writeString(dir.resolve("CURRENT"), "garbage-without-newline");
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> RocksDbProfileStore.open(dir, Durability.SYNC));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e instanceof ModelFormatException);
    }

    @Test
    void damagedSstFileGivesStoreCorruptedException() throws Exception {
        Path dir = tmp.resolve("damaged-sst");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
            for (int i = 0; i < 200; i++) {
                s.save(profile("u" + i, 32, i));
            }
            s.compact();
        }
        List<Path> ssts;
        try (Stream<Path> files = Files.list(dir)) {
            ssts = files.filter(f -> f.toString().endsWith(".sst")).toList();
        }
        assertFalse(ssts.isEmpty());
        for (Path sst : ssts) {
            byte[] b = Files.readAllBytes(sst);
            for (int i = 0; i < b.length / 2; i++) {
                b[i] = (byte) 0x5a;
            }
            Files.write(sst, b);
        }
        // RocksDB notices either when opening (paranoid checks) or when reading the block
        StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> {
            try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
                for (int i = 0; i < 200; i++) {
                    s.load("u" + i);
                }
            }
        });
        assertTrue(e.getMessage().contains("rocksdb store " + dir), e.getMessage());
    }

    @Test
    void aDamagedRecordNamesItsKey() throws Exception {
        Path dir = tmp.resolve("bad-record");
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
            s.save(profile("good", 4, 1));
        }
        // write raw bytes under a profile key with RocksDB directly
        List<ColumnFamilyDescriptor> cfs = List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
                new ColumnFamilyDescriptor("profiles".getBytes(StandardCharsets.UTF_8)),
                new ColumnFamilyDescriptor("state".getBytes(StandardCharsets.UTF_8)));
        List<ColumnFamilyHandle> hs = new ArrayList<>();
        try (org.rocksdb.DBOptions o = new org.rocksdb.DBOptions(); RocksDB db = RocksDB.open(o, dir.toString(), cfs, hs)) {
            db.put(hs.get(1), "bad".getBytes(StandardCharsets.UTF_8), new byte[] {'P', '4', 1, 0, 0, 0, 0, 0});
            hs.forEach(ColumnFamilyHandle::close);
        }
        try (RocksDbProfileStore s = RocksDbProfileStore.open(dir, Durability.SYNC)) {
            StoreCorruptedException e = assertThrows(StoreCorruptedException.class, () -> s.load("bad"));
            assertTrue(e.getMessage().contains("key 'bad'") && e.getMessage().contains("checksum"), e.getMessage());
            assertEquals(profile("good", 4, 1), s.load("good").orElseThrow(), "the rest still serves");
        }
    }

    @Test
    void configuredPathsCannotEscapeTheBase() throws IOException {
        Path base = Files.createDirectory(tmp.resolve("base"));
        Files.createSymbolicLink(base.resolve("out"), tmp);
        for (String bad : new String[] {"../db", "/tmp/db", "out/db"}) {
            assertThrows(BadInputException.class, () -> RocksDbProfileStore.open(base, bad, Durability.SYNC), bad);
        }
        try (RocksDbProfileStore s = RocksDbProfileStore.open(base, "tenant/profiles", Durability.SYNC)) {
            assertTrue(s.directory().startsWith(base.toRealPath()));
        }
    }
}
