package org.persona4j.store.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
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
import org.rocksdb.InfoLogLevel;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Like every LSM store, RocksDB keeps the old bytes in its files until compaction rewrites them, so
 * the store erases them itself: each delete records the user as pending, and after at most the
 * erasure delay ({@link #DEFAULT_ERASURE_DELAY} unless given to {@link #open(Path, Durability,
 * Duration)}; {@link Duration#ZERO} erases inside {@code delete}) one background pass erases every
 * pending user together: it flushes the memory tables (so the write-ahead log files that held the
 * bytes become obsolete and are deleted) and compacts the deleted users' key ranges, profile key
 * and state prefix, down to the last level, where the deletion markers are dropped too.
 * {@link #compactDeleted()} runs that pass at once, {@link #close()} runs it for what is still
 * pending, and a pending erasure interrupted by a crash is redone (as a full compaction) after the
 * next open: a marker without the user id is written with the delete and removed after the pass.
 * The MANIFEST is rewritten after each change of the file set (it would otherwise keep the first
 * and last key of past data files) and RocksDB's info {@code LOG} only records warnings (at info
 * level a range compaction logs its bounds, the user id in hex). A test checks every file of the
 * directory byte by byte while the store is open.
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
    private static final Logger LOG = LoggerFactory.getLogger(RocksDbProfileStore.class);

    /** How long after a delete, at most, the deleted user's bytes are compacted out of the files. */
    public static final Duration DEFAULT_ERASURE_DELAY = Duration.ofSeconds(30);

    /** Above this many pending users one pass compacts everything instead of one range per user. */
    static final int MAX_ERASURE_RANGES = 16;

    /** Key in the default column family while an erasure is pending; holds no user id. */
    private static final byte[] ERASURE_PENDING = "persona4j.erasure-pending".getBytes(StandardCharsets.UTF_8);

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

    // erasure: users deleted but not yet compacted out of the files; guarded by `pending`
    private final Duration erasureDelay;
    private final Object pending = new Object();
    private final Set<String> pendingIds = new HashSet<>();
    private boolean pendingAll;
    private boolean closing;
    private ScheduledFuture<?> scheduledErasure;
    private ScheduledExecutorService erasureExecutor;
    /** One erasure pass at a time (the background one, a host's, close's). */
    private final ReentrantLock erasureRun = new ReentrantLock();

    private RocksDbProfileStore(Path directory, Durability durability, Duration erasureDelay, Consumer<ColumnFamilyOptions> tuning) {
        this.directory = directory;
        this.durability = durability;
        this.erasureDelay = erasureDelay;
        RocksDB.loadLibrary();
        this.dbOptions = erasureSafeDbOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setParanoidChecks(true).setKeepLogFileNum(4)
                // no WAL archive and no recycled WAL files: a log made obsolete by a flush is deleted
                .setWalTtlSeconds(0).setWalSizeLimitMB(0).setRecycleLogFileNum(0)
                // at INFO a manual range compaction logs its bounds (a deleted user id, in hex)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        this.cfOptions = new ColumnFamilyOptions();
        if (tuning != null) {
            tuning.accept(cfOptions);
        }
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
        boolean interrupted;
        try {
            interrupted = db.get(defaultCf, ERASURE_PENDING) != null;
        } catch (RocksDBException e) {
            close();
            throw translate("open", null, e);
        }
        if (interrupted) {
            // a previous process deleted users and stopped before their erasure pass; ids unknown
            synchronized (pending) {
                pendingAll = true;
                scheduleErasureLocked();
            }
        }
    }

    /**
     * DB options that roll the MANIFEST over at every change of the file set, so that it holds
     * only the live files' key bounds (a deleted user's key can be the first or last key of a
     * flushed file); costs one small snapshot write per flush or compaction.
     */
    private static DBOptions erasureSafeDbOptions() {
        Properties p = new Properties();
        p.setProperty("max_manifest_file_size", "1");
        p.setProperty("max_manifest_space_amp_pct", "0");
        DBOptions o = DBOptions.getDBOptionsFromProps(p);
        if (o == null) {
            throw new StoreException("rocksdb store: this rocksdbjni does not accept max_manifest_space_amp_pct");
        }
        return o;
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
        return open(directory, durability, DEFAULT_ERASURE_DELAY);
    }

    /**
     * Opens (creating if needed) a store in a directory, with a chosen erasure delay.
     *
     * @param directory the database directory
     * @param durability when writes count as done
     * @param erasureDelay how long after a {@link #delete(String)}, at most, the user's bytes are
     *     compacted out of the store's files; deletes within the delay share one pass.
     *     {@link Duration#ZERO}: inside {@code delete} (a flush and a compaction per delete)
     * @return the open store
     * @throws StoreCorruptedException when the database files are damaged
     * @throws StoreException when the directory is locked by another process or cannot be used
     */
    public static RocksDbProfileStore open(Path directory, Durability durability, Duration erasureDelay) {
        return open(directory, durability, erasureDelay, null);
    }

    /** For tests: {@code tuning} adjusts the column families' options (compression off, ...). */
    static RocksDbProfileStore open(Path directory, Durability durability, Duration erasureDelay, Consumer<ColumnFamilyOptions> tuning) {
        if (directory == null) {
            throw new BadInputException("RocksDbProfileStore: field 'directory': required, was null");
        }
        if (durability == null) {
            throw new BadInputException("RocksDbProfileStore: field 'durability': required (SYNC or BUFFERED), was null");
        }
        if (erasureDelay == null || erasureDelay.isNegative()) {
            throw new BadInputException("RocksDbProfileStore: field 'erasureDelay': required and not negative, was " + erasureDelay);
        }
        return new RocksDbProfileStore(directory.toAbsolutePath().normalize(), durability, erasureDelay, tuning);
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

    /**
     * Fsyncs the write-ahead log, so that every write that has returned survives a power cut (a
     * no-op in effect for {@link Durability#SYNC}, whose writes are fsynced already). The engine
     * calls it before it drops the part of its event journal those writes cover.
     *
     * @throws StoreException when the sync fails or the store is closed
     */
    @Override
    public void sync() {
        guarded("sync", null, () -> {
            db.flushWal(true);
            return null;
        });
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

    /**
     * {@inheritDoc} The user's bytes are then compacted out of the store's files within the
     * erasure delay (see the class documentation), or at once with {@link #compactDeleted()}.
     */
    @Override
    public boolean delete(String userId) {
        text("userId", userId);
        boolean had = guarded("delete", userId, () -> {
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
                // the marker goes with the delete, atomically: a crash before the erasure pass redoes it at open
                batch.put(defaultCf, ERASURE_PENDING, new byte[0]);
                synchronized (pending) {
                    db.write(writeOptions, batch);
                    // also when nothing was found: older versions may still lie in the files
                    pendingIds.add(userId);
                    if (!erasureDelay.isZero()) {
                        scheduleErasureLocked();
                    }
                }
            }
            return found;
        });
        if (erasureDelay.isZero()) {
            compactDeleted();
        }
        return had;
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
     * users (and old versions of overwritten records) no longer exist in any file of the store.
     * Slow on large stores; erasure after {@link #delete(String)} does not need it (see
     * {@link #compactDeleted()}).
     *
     * @throws StoreException when RocksDB fails
     * @throws StoreClosedException after {@link #close()}
     */
    public void compact() {
        erase(true);
    }

    /**
     * Runs the erasure pass now for every user deleted since the last pass, instead of waiting
     * for the erasure delay: flushes the memory tables of every column family (after which the
     * write-ahead log files that held the users' bytes are obsolete and deleted) and compacts
     * each deleted user's profile key and state-key prefix to the last level (one range per user;
     * above {@value #MAX_ERASURE_RANGES} pending users, or after an interrupted pass, everything).
     * Safe to call from any thread, also while a background pass runs (they take turns).
     *
     * @return true when an erasure was pending (and is now done)
     * @throws StoreException when RocksDB fails; the users stay pending and the next pass retries
     * @throws StoreClosedException after {@link #close()} (which runs the pass itself)
     */
    public boolean compactDeleted() {
        return erase(false);
    }

    private boolean erase(boolean everything) {
        erasureRun.lock();
        try {
            Set<String> ids;
            boolean wasPendingAll;
            boolean all;
            synchronized (pending) {
                ids = new HashSet<>(pendingIds);
                wasPendingAll = pendingAll;
                all = pendingAll || everything || ids.size() > MAX_ERASURE_RANGES;
                pendingIds.clear();
                pendingAll = false;
            }
            boolean had = !ids.isEmpty() || all;
            try {
                guarded(everything ? "compact" : "compactDeleted", null, () -> {
                    if (!had) {
                        return null;
                    }
                    List<ColumnFamilyHandle> cfs = List.of(defaultCf, profiles, state);
                    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true);
                         CompactRangeOptions co = new CompactRangeOptions().setExclusiveManualCompaction(false)
                                 .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
                        // every column family with data in a log file must be flushed before the log goes
                        db.flush(fo, cfs);
                        if (all) {
                            for (ColumnFamilyHandle h : cfs) {
                                db.compactRange(h, null, null, co);
                            }
                        } else {
                            for (String id : ids) {
                                byte[] key = utf8(id);
                                db.compactRange(profiles, key, key, co);
                                byte[] prefix = statePrefix(id);
                                // state keys are prefix + UTF-8 slot, and UTF-8 has no 0xFF byte
                                byte[] last = Arrays.copyOf(prefix, prefix.length + 1);
                                last[prefix.length] = (byte) 0xFF;
                                db.compactRange(state, prefix, last, co);
                            }
                        }
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                synchronized (pending) {
                    pendingIds.addAll(ids);
                    pendingAll |= wasPendingAll;
                }
                throw e;
            }
            if (had) {
                finishErasure();
            }
            return had;
        } finally {
            erasureRun.unlock();
        }
    }

    /**
     * Ends a pass: removes the pending marker once nothing is pending (a delete since the pass
     * began keeps it), then flushes and compacts the tiny default column family. That last change
     * of the file set rolls the MANIFEST over once more: the new MANIFEST starts with a snapshot of
     * the files as they were before the change, which after the pass's own compactions no longer
     * include files bounded by a deleted user's key.
     */
    private void finishErasure() {
        guarded("compactDeleted", null, () -> {
            synchronized (pending) {
                if (pendingIds.isEmpty() && !pendingAll) {
                    db.delete(defaultCf, writeOptions, ERASURE_PENDING);
                }
            }
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true);
                 CompactRangeOptions co = new CompactRangeOptions().setExclusiveManualCompaction(false)
                         .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
                db.flush(fo, defaultCf);
                db.compactRange(defaultCf, null, null, co);
            }
            return null;
        });
    }

    /** For tests: flushes the memory tables to level-0 files without compacting. */
    void flush() {
        guarded("flush", null, () -> {
            try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
                db.flush(fo, List.of(defaultCf, profiles, state));
            }
            return null;
        });
    }

    /** Schedules one background erasure pass unless one is scheduled or the store is closing; holds {@code pending}. */
    private void scheduleErasureLocked() {
        if (closing || scheduledErasure != null) {
            return;
        }
        if (erasureExecutor == null) {
            erasureExecutor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "persona4j-rocksdb-erasure " + directory.getFileName());
                t.setDaemon(true);
                return t;
            });
        }
        scheduledErasure = erasureExecutor.schedule(this::backgroundErasure, Math.max(1, erasureDelay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void backgroundErasure() {
        synchronized (pending) {
            scheduledErasure = null;
        }
        try {
            compactDeleted();
        } catch (StoreClosedException e) {
            // close() ran the pass
        } catch (RuntimeException e) {
            // no user ids in the log; the users stay pending and the next delay retries
            LOG.warn("rocksdb store {}: erasure pass failed, retrying after {}: {}", directory, erasureDelay, e.toString());
            synchronized (pending) {
                scheduleErasureLocked();
            }
        }
    }

    /**
     * Runs the erasure pass for users still pending (see {@link #compactDeleted()}), then flushes
     * and closes the database. Idempotent; waits for calls in progress to finish. If the pass
     * fails, the next open redoes it.
     */
    @Override
    public void close() {
        ScheduledExecutorService executor;
        boolean erase;
        synchronized (pending) {
            boolean first = !closing;
            closing = true;
            if (scheduledErasure != null) {
                scheduledErasure.cancel(false);
                scheduledErasure = null;
            }
            executor = erasureExecutor;
            erase = first && (!pendingIds.isEmpty() || pendingAll);
        }
        if (executor != null) {
            executor.shutdown();
        }
        if (erase) {
            try {
                compactDeleted();
            } catch (StoreClosedException e) {
                // closed concurrently
            } catch (RuntimeException e) {
                LOG.warn("rocksdb store {}: erasure pass at close failed, the next open redoes it: {}", directory, e.toString());
            }
        }
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
