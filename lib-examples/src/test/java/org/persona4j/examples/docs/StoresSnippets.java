package org.persona4j.examples.docs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.persona4j.core.UserProfile;
import org.persona4j.privacy.Pseudonymizer;
import org.persona4j.store.UserDataStore;
import org.persona4j.store.redis.RedisProfileStore;
import org.persona4j.store.redis.RedisStoreConfig;
import org.persona4j.store.rocksdb.Durability;
import org.persona4j.store.rocksdb.RocksDbProfileStore;

/** docs/stores.md's code, compiled. */
final class StoresSnippets {
    private StoresSnippets() {
    }

    static void example(byte[] secretKeyFromVault, String requestUserId, UserProfile profile, byte[] modelStateBytes) {
        // snippet:start stores-example
        // given: secretKeyFromVault (>= 16 bytes), requestUserId, profile (keyed by the pseudonym), modelStateBytes
        Path base = Path.of("/var/lib/myshop");
        Pseudonymizer ids = new Pseudonymizer(secretKeyFromVault);
        try (UserDataStore store = RocksDbProfileStore.open(base, "persona4j/profiles", Durability.SYNC)) {
            String user = ids.pseudonym(requestUserId);
            store.save(profile, Map.of("lstm", modelStateBytes));          // profile.userId() is the pseudonym
            store.load(user).ifPresent(p -> System.out.println(p.interests()));
            store.delete(user); // GDPR erasure
        }

        try (RedisProfileStore shared = new RedisProfileStore(
                RedisStoreConfig.of("redis.internal", 6379).withKeyPrefix("shop1:").withTtl(Duration.ofDays(90)))) {
            shared.load(ids.pseudonym(requestUserId)).ifPresent(p -> System.out.println(p.propensities()));
        }
        // snippet:end
    }
}
