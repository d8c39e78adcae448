package org.persona4j.spring.boot;

import java.nio.file.Path;
import org.persona4j.store.UserDataStore;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;

/** Opens the RocksDB store; loaded only once {@code persona4j-store-rocksdb} is known to be present. */
final class RocksDbStores {
    static final String MARKER = "org.persona4j.store.rocksdb.RocksDbProfileStore";

    private RocksDbStores() {
    }

    static UserDataStore open(Path path, PersonaProperties.StoreDurability durability) {
        return RocksDbProfileStore.open(path, durability == PersonaProperties.StoreDurability.BUFFERED
                ? Durability.BUFFERED : Durability.SYNC);
    }
}
