package org.persona4j.store.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.persona4j.core.BadInputException;
import org.persona4j.core.ModelFormatException;
import org.persona4j.core.UserProfile;
import org.persona4j.privacy.SafePaths;
import org.persona4j.store.ProfileCodec;
import org.persona4j.store.StoreClosedException;
import org.persona4j.store.StoreCorruptedException;
import org.persona4j.store.StoreException;
import org.persona4j.store.UserDataStore;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded, durable {@link UserDataStore}: one RocksDB database in a directory, with a column
 * family {@code profiles} (user id → {@link ProfileCodec} bytes) and a column family {@code state}
 * ((user id, slot) → state bytes). Why RocksDB: embedded (no server), crash-safe through its
 * write-ahead log, and an LSM tree that suits many small updates; see the package documentation.
 *
 * <p><b>Durability.</b> Every write goes through the write-ahead log before it is acknowledged;
 * with {@link Durability#SYNC} the log is also fsynced, so an acknowledged write survives power
 * loss, with {@link Durability#BUFFERED} it survives a process crash. {@link #save(UserProfile, Map)}
 * writes the profile and the state slots in one atomic write batch.
 *
 * <p><b>Forgetting.</b> {@link #delete(String)} removes the profile and every state slot at once.
 * Like every LSM store, RocksDB keeps the old bytes in its files until compaction rewrites them;
 * {@link #compact()} forces that, so that after a batch of erasure requests no data file holds
 * the deleted users' data (RocksDB's MANIFEST, which records the first and last key of past data
 * files, is rewritten without them the next time the store is opened). A test checks every file
 * of the directory byte by byte.
 *
 * <p><b>Errors.</b> A damaged database (bad files at open, failed checksums on read) or a record
 * that fails {@link ProfileCodec}'s checks throws {@link StoreCorruptedException} naming the
 * directory and key; other failures throw {@link StoreException}; use after {@link #close()} throws
 * {@link StoreClosedException}. Native handles are never touched after close (a read-write lock
 * guards them), so misuse cannot crash the JVM.
 *
 * <p>Thread-safe. One process may open a directory at a time (RocksDB's LOCK file).
 */
public final class RocksDbProfileStore implements UserDataStore {
    private static final String CF_PROFILES = "profiles";
    private static final String CF_STATE = "state";

    private final Path directory;
    private final Durability durability;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyHandle defaultCf;
    private final ColumnFamilyHandle profiles;
    private final ColumnFamilyHandle state;
    private final WriteOptions writeOptions;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private RocksDbProfileStore(Path directory, Durability durability) {
        this.directory = directory;
        this.durability = durability;
        RocksDB.loadLibrary();
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true).setKeepLogFileNum(4);
        this.cfOptions = new ColumnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions),
                new ColumnFamilyDescriptor(CF_PROFILES.getBytes(StandardCharsets.UTF_8), cfOptions),
                new ColumnFamilyDescriptor(CF_STATE.getBytes(StandardCharsets.UTF_8), cfOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB opened;
        try {
            Files.createDirectories(directory);
            opened = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            throw translate("cannot open", null, e);
        } catch (IOException e) {
            cfOptions.close();
            dbOptions.close();
            throw new StoreException("rocksdb store " + directory + ": cannot create the directory: " + e, e);
        }
        this.db = opened;
        this.defaultCf = handles.get(0);
        this.profiles = handles.get(1);
        this.state = handles.get(2);
        this.writeOptions = new WriteOptions().setSync(durability == Durability.SYNC);
    }

    /**
     * Opens (creating if needed) a store in a directory.
     *
     * @param directory the database directory
     * @param durability when writes count as done
     * @return the open store
     * @throws StoreCorruptedException when the database files are damaged
     * @throws StoreException when the directory is locked by another process or cannot be used
     */
    public static RocksDbProfileStore open(Path directory, Durability durability) {
        if (directory == null) {
            throw new BadInputException("RocksDbProfileStore: field 'directory': required, was null");
        }
        if (durability == null) {
            throw new BadInputException("RocksDbProfileStore: field 'durability': required (SYNC or BUFFERED), was null");
        }
        return new RocksDbProfileStore(directory.toAbsolutePath().normalize(), durability);
    }

    /**
     * Opens a store whose path comes from configuration, resolved with {@link SafePaths} so that
     * it cannot leave {@code baseDir} ({@code ..}, absolute paths and symbolic links are refused).
     *
     * @param baseDir the directory the host allows stores in; must exist
     * @param configuredPath the relative path from configuration
     * @param durability when writes count as done
     * @return the open store
     * @throws BadInputException when the path escapes {@code baseDir}
     * @throws StoreCorruptedException when the database files are damaged
     */
    public static RocksDbProfileStore open(Path baseDir, String configuredPath, Durability durability) {
        return open(SafePaths.resolveUnder(baseDir, configuredPath, "store.path"), durability);
    }

    /** @return the database directory */
    public Path directory() {
        return directory;
    }

    /** @return the durability of writes */
    public Durability durability() {
        return durability;
    }

    // ---- keys -------------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** State keys: varint(length of user id bytes) + user id bytes + slot bytes; the first two are the user prefix. */
    static byte[] statePrefix(String userId) {
        byte[] id = utf8(userId);
        byte[] out = new byte[varIntSize(id.length) + id.length];
        int p = 0;
        int v = id.length;
        while ((v & ~0x7F) != 0) {
            out[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[p++] = (byte) v;
        System.arraycopy(id, 0, out, p, id.length);
        return out;
    }

    private static int varIntSize(int v) {
        int n = 1;
        while ((v & ~0x7F) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private static byte[] stateKey(String userId, String slot) {
        byte[] prefix = statePrefix(userId);
        byte[] s = utf8(slot);
        byte[] key = Arrays.copyOf(prefix, prefix.length + s.length);
        System.arraycopy(s, 0, key, prefix.length, s.length);
        return key;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static String text(String field, String v) {
        if (v == null || v.isBlank()) {
            throw new BadInputException("field '" + field + "': required and not blank, was " + (v == null ? "null" : "\"" + v + "\""));
        }
        return v;
    }

    // ---- guarded access ---------------------------------------------------------------------

    private <T> T read(Supplier<T> body) {
        ReentrantReadWriteLock.ReadLock r = lock.readLock();
        r.lock();
        try {
            if (closed) {
                throw new StoreClosedException(toString());
            }
            return body.get();
        } finally {
            r.unlock();
        }
    }

    @FunctionalInterface
    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    private <T> T guarded(String what, String key, RocksCall<T> body) {
        return read(() -> {
            try {
                return body.call();
            } catch (RocksDBException e) {
                throw translate(what, key, e);
            }
        });
    }

    private StoreException translateIo(String what, String key, RocksDBException e) {
        return new StoreException(describe(what, key) + ": " + e.getMessage(), e);
    }

    private RuntimeException translate(String what, String key, RocksDBException e) {
        Status s = e.getStatus();
        Status.Code code = s == null ? null : s.getCode();
        if (code == Status.Code.Corruption) {
            return new StoreCorruptedException(describe(what, key) + ": the database is damaged: " + e.getMessage()
                    + " (restore it from a backup, or move the directory away to start empty)", e);
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        if (code == Status.Code.IOError && msg.contains("LOCK")) {
            return new StoreException(describe(what, key) + ": the directory is in use by another process (" + msg + ")", e);
        }
        if (code == Status.Code.InvalidArgument && (msg.contains("CURRENT") || msg.contains("MANIFEST"))) {
            return new StoreCorruptedException(describe(what, key) + ": the database files are damaged: " + msg, e);
        }
        return translateIo(what, key, e);
    }

    private String describe(String what, String key) {
        return "rocksdb store " + directory + ": " + what + (key == null ? "" : " (key '" + key + "')");
    }

    // ---- profiles ---------------------------------------------------------------------------

    @Override
    public Optional<UserProfile> load(String userId) {
        text("userId", userId);
        byte[] bytes = guarded("load", userId, () -> db.get(profiles, utf8(userId)));
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProfileCodec.decode(bytes, describe("profile", userId)));
        } catch (ModelFormatException e) {
            throw new StoreCorruptedException(e.getMessage(), e);
        }
    }

    @Override
    public void save(UserProfile profile) {
        save(profile, Map.of());
    }

    @Override
    public void save(UserProfile profile, Map<String, byte[]> states) {
        if (profile == null) {
            throw new BadInputException("field 'profile': required, was null");
        }
        byte[] value = ProfileCodec.encode(profile);
        guarded("save", profile.userId(), () -> {
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(profiles, utf8(profile.userId()), value);
                if (states != null) {
                    for (Map.Entry<String, byte[]> e : states.entrySet()) {
                        text("slot", e.getKey());
                        if (e.getValue() == null) {
                            throw new BadInputException("state slot '" + e.getKey() + "': value required, was null");
                        }
                        batch.put(state, stateKey(profile.userId(), e.getKey()), e.getValue());
                    }
                }
                db.write(writeOptions, batch);
            }
            return null;
        });
    }

    @Override
    public boolean delete(String userId) {
        text("userId", userId);
        return guarded("delete", userId, () -> {
            byte[] key = utf8(userId);
            boolean found = db.get(profiles, key) != null;
            byte[] prefix = statePrefix(userId);
            try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator(state)) {
                batch.delete(profiles, key);
                for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                    batch.delete(state, it.key());
                    found = true;
                }
                it.status();
                db.write(writeOptions, batch);
            }
            return found;
        });
    }

    /** {@inheritDoc} Counts the profiles by a scan: O(number of users). */
    @Override
    public long size() {
        return guarded("size", null, () -> {
            long n = 0;
            try (ReadOptions ro = new ReadOptions().setFillCache(false); RocksIterator it = db.newIterator(profiles, ro)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    n++;
                }
                it.status();
            }
            return n;
        });
    }

    // ---- state ------------------------------------------------------------------------------

    @Override
    public void putState(String userId, String slot, byte[] value) {
        text("userId", userId);
        text("slot", slot);
        if (value == null) {
            throw new BadInputException("state slot '" + slot + "': value required, was null");
        }
        guarded("putState", userId, () -> {
            db.put(state, writeOptions, stateKey(userId, slot), value);
            return null;
        });
    }

    @Override
    public Optional<byte[]> getState(String userId, String slot) {
        text("userId", userId);
        text("slot", slot);
        return Optional.ofNullable(guarded("getState", userId, () -> db.get(state, stateKey(userId, slot))));
    }

    @Override
    public Map<String, byte[]> statesOf(String userId) {
        text("userId", userId);
        return guarded("statesOf", userId, () -> {
            Map<String, byte[]> out = new TreeMap<>();
            byte[] prefix = statePrefix(userId);
            try (RocksIterator it = db.newIterator(state)) {
                for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                    byte[] k = it.key();
                    out.put(new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8), it.value());
                }
                it.status();
            }
            return out;
        });
    }

    @Override
    public boolean deleteState(String userId, String slot) {
        text("userId", userId);
        text("slot", slot);
        return guarded("deleteState", userId, () -> {
            byte[] key = stateKey(userId, slot);
            boolean found = db.get(state, key) != null;
            db.delete(state, writeOptions, key);
            return found;
        });
    }

    // ---- maintenance ------------------------------------------------------------------------

    /**
     * Flushes the memory tables and compacts every column family, so that the bytes of deleted
     * users no longer exist in any file of the store. Slow on large stores: run it after a batch
     * of erasure requests, not after each one.
     *
     * @throws StoreException when RocksDB fails
     */
    public void compact() {
        guarded("compact", null, () -> {
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true);
                 CompactRangeOptions co = new CompactRangeOptions()
                         .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
                for (ColumnFamilyHandle h : List.of(defaultCf, profiles, state)) {
                    db.flush(fo, h);
                    db.compactRange(h, null, null, co);
                }
            }
            return null;
        });
    }

    /**
     * Flushes and closes the database. Idempotent; waits for calls in progress to finish.
     */
    @Override
    public void close() {
        ReentrantReadWriteLock.WriteLock w = lock.writeLock();
        w.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                db.flushWal(true);
            } catch (RocksDBException e) {
                // the WAL was written with every acknowledged write; a failed final sync loses nothing acknowledged
            }
            writeOptions.close();
            defaultCf.close();
            profiles.close();
            state.close();
            db.close();
            cfOptions.close();
            dbOptions.close();
        } finally {
            w.unlock();
        }
    }

    @Override
    public String toString() {
        return "RocksDbProfileStore{" + directory + ", " + durability + "}";
    }
}
