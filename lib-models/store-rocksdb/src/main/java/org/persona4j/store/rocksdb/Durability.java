package org.persona4j.store.rocksdb;

/** When a write to the {@link RocksDbProfileStore} counts as done. */
public enum Durability {
    /**
     * Each write is appended to the write-ahead log and the log is fsynced before the call
     * returns: an acknowledged write survives a process kill, an operating-system crash and a
     * power cut. Slower (one fsync per write, several milliseconds on ordinary disks).
     */
    SYNC,
    /**
     * Each write is appended to the write-ahead log in the operating system's page cache before
     * the call returns, without fsync: an acknowledged write survives a process crash or kill,
     * but the last writes (up to the OS flush interval) can be lost in an OS crash or power cut.
     */
    BUFFERED
}
