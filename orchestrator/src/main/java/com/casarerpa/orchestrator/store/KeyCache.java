package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.ApiKey;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the API key of a request is found: the database each time ({@link #none()}, without
 * Redis), or a cache shared by every instance ({@link RedisKeyCache}). A cache must never answer
 * with a key that was revoked (or otherwise changed) before the question was asked, on any
 * instance: see {@link RedisKeyCache} for how.
 */
public interface KeyCache {
    /** The key whose SHA-256 is {@code hash}; {@code load} reads it from the database. */
    Optional<ApiKey> byHash(String hash, Supplier<Optional<ApiKeyStore.Stamped>> load);

    /** The key {@code id}; {@code load} reads it from the database. */
    Optional<ApiKey> byId(String id, Supplier<Optional<ApiKeyStore.Stamped>> load);

    /**
     * A key was revoked or changed, raising the key generation to {@code generation}: from now on
     * nothing read before is answered, on any instance.
     */
    void changed(long generation);

    /** No cache: every question goes to the database. */
    static KeyCache none() {
        return new KeyCache() {
            @Override
            public Optional<ApiKey> byHash(String hash, Supplier<Optional<ApiKeyStore.Stamped>> load) {
                return load.get().map(ApiKeyStore.Stamped::key);
            }

            @Override
            public Optional<ApiKey> byId(String id, Supplier<Optional<ApiKeyStore.Stamped>> load) {
                return load.get().map(ApiKeyStore.Stamped::key);
            }

            @Override
            public void changed(long generation) {
                // nothing cached
            }
        };
    }
}
