package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.store.RedisConnection.Use;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys cached in Redis for every instance, so that a request's key costs one Redis round trip
 * instead of a database query. Revocation holds at once everywhere, and a revocation while Redis
 * was unreachable never lets the key back in once Redis returns:
 *
 * <ul>
 *   <li>Every change that ends a key raises the <em>key generation</em> in the database, in the
 *       change's transaction ({@link ApiKeyStore#revoke}).</li>
 *   <li>An entry is written with the generation its database read saw (the same statement), and
 *       is answered only while that is at least the highest generation known: the one in Redis
 *       ({@value #GENERATION_KEY}, read with the entry, one {@code MGET}) and the one this instance
 *       knows (its own changes, and the database's, read every {@link #POLL}).</li>
 *   <li>The instance that revokes raises the generation in Redis before it answers (at once on
 *       every instance). When Redis is unreachable for it, the others still learn the new
 *       generation from the database within {@link #POLL}; and an entry from before the
 *       revocation stays older than the database's generation for ever, so it is never answered
 *       again, whatever Redis kept or lost.</li>
 *   <li>When this instance cannot read the database's generation for {@link #STALE_AFTER}, it
 *       asks the database for keys (as without Redis) until it can.</li>
 * </ul>
 *
 * Only keys that are not revoked are cached (expiry is checked at each use); unknown keys are not
 * (guessing is rate limited per address instead). Entries expire after {@link #TTL}.
 */
public final class RedisKeyCache implements KeyCache, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisKeyCache.class);
    static final String GENERATION_KEY = "keys:generation";
    /** Raises the generation in Redis to ARGV[1] unless it is higher already: concurrent changes may arrive in any order. */
    private static final String RAISE = "local c = tonumber(redis.call('GET', KEYS[1]) or '0')"
            + " if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end return c";
    public static final Duration TTL = Duration.ofMinutes(10);
    public static final Duration POLL = Duration.ofSeconds(1);
    public static final Duration STALE_AFTER = POLL.multipliedBy(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisConnection redis;
    private final LongSupplier databaseGeneration;
    private final AtomicLong known = new AtomicLong();
    private volatile long polledAtNanos;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("key-generation").daemon(true).factory());

    private RedisKeyCache(RedisConnection redis, LongSupplier databaseGeneration) {
        this.redis = redis;
        this.databaseGeneration = databaseGeneration;
    }

    /** A cache over {@code redis} for {@code store}'s keys; reads the generation now, then every {@link #POLL}. */
    public static RedisKeyCache start(RedisConnection redis, ApiKeyStore store) {
        store.prepareGeneration();
        RedisKeyCache cache = new RedisKeyCache(redis, store::generation);
        cache.poll();
        cache.poller.scheduleWithFixedDelay(cache::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
        return cache;
    }

    /**
     * For a command that changes keys without a server (the CLI's {@code revoke-api-key}): reads
     * keys from the database, and tells the servers' cache of a change at once through {@code redis}
     * (should Redis not answer, they learn it from the database within {@link #POLL}).
     */
    public static KeyCache notifying(RedisConnection redis) {
        KeyCache none = KeyCache.none();
        return new KeyCache() {
            @Override
            public Optional<ApiKey> byHash(String hash, Supplier<Optional<ApiKeyStore.Stamped>> load) {
                return none.byHash(hash, load);
            }

            @Override
            public Optional<ApiKey> byId(String id, Supplier<Optional<ApiKeyStore.Stamped>> load) {
                return none.byId(id, load);
            }

            @Override
            public void changed(long generation) {
                raise(redis, generation);
            }
        };
    }

    private void poll() {
        try {
            raiseKnown(databaseGeneration.getAsLong());
            polledAtNanos = System.nanoTime();
        } catch (RuntimeException e) {
            log.debug("key cache: could not read the key generation: {}", e.getMessage());
        }
    }

    private void raiseKnown(long generation) {
        known.accumulateAndGet(generation, Math::max);
    }

    @Override
    public Optional<ApiKey> byHash(String hash, Supplier<Optional<ApiKeyStore.Stamped>> load) {
        return lookup("key:h:" + hash, load);
    }

    @Override
    public Optional<ApiKey> byId(String id, Supplier<Optional<ApiKeyStore.Stamped>> load) {
        return lookup("key:i:" + id, load);
    }

    private Optional<ApiKey> lookup(String suffix, Supplier<Optional<ApiKeyStore.Stamped>> load) {
        if (System.nanoTime() - polledAtNanos > STALE_AFTER.toNanos()) {
            return load.get().map(ApiKeyStore.Stamped::key);
        }
        String entryKey = redis.key(suffix);
        Optional<List<KeyValue<String, byte[]>>> got = redis.call(Use.KEY_CACHE, c -> c.sync().mget(redis.key(GENERATION_KEY), entryKey));
        if (got.isEmpty()) {
            return load.get().map(ApiKeyStore.Stamped::key);
        }
        long floor = Math.max(known.get(), generationIn(got.get().get(0)));
        Optional<ApiKeyStore.Stamped> cached = decode(got.get().get(1));
        if (cached.isPresent() && cached.get().generation() >= floor) {
            return Optional.of(cached.get().key());
        }
        Optional<ApiKeyStore.Stamped> read = load.get();
        read.filter(s -> s.key().revokedAt().isEmpty() && s.generation() >= floor)
                .ifPresent(s -> redis.call(Use.KEY_CACHE, c -> c.sync().set(entryKey, encode(s), SetArgs.Builder.ex(TTL))));
        return read.map(ApiKeyStore.Stamped::key);
    }

    @Override
    public void changed(long generation) {
        raiseKnown(generation);
        raise(redis, generation);
    }

    private static void raise(RedisConnection redis, long generation) {
        byte[] value = Long.toString(generation).getBytes(StandardCharsets.UTF_8);
        redis.call(Use.KEY_CACHE, c -> c.sync().eval(RAISE, ScriptOutputType.INTEGER, new String[] {redis.key(GENERATION_KEY)}, value));
    }

    private static long generationIn(KeyValue<String, byte[]> kv) {
        return kv.hasValue() ? Long.parseLong(new String(kv.getValue(), StandardCharsets.UTF_8).strip()) : 0;
    }

    static byte[] encode(ApiKeyStore.Stamped s) {
        ApiKey k = s.key();
        ObjectNode o = JSON.createObjectNode();
        o.put("generation", s.generation());
        o.put("id", k.id());
        o.put("name", k.name());
        o.put("role", k.role().wireName());
        o.put("prefix", k.prefix());
        o.put("robot_id", k.robotId().orElse(null));
        o.put("created_at", k.createdAt().toString());
        o.put("created_by", k.createdBy());
        o.put("expires_at", k.expiresAt().map(Instant::toString).orElse(null));
        o.put("last_used_at", k.lastUsedAt().map(Instant::toString).orElse(null));
        o.put("owner_kind", k.owner().kind());
        o.put("owner_id", k.owner().id().orElse(null));
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("an API key could not be written as JSON", e);
        }
    }

    /** An entry as written by {@link #encode}; empty when absent or unreadable (written by another version: a miss). */
    static Optional<ApiKeyStore.Stamped> decode(KeyValue<String, byte[]> kv) {
        if (!kv.hasValue()) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(kv.getValue());
            ApiKey key = new ApiKey(o.get("id").asText(), o.get("name").asText(), Role.fromWire(o.get("role").asText()).orElseThrow(),
                    o.get("prefix").asText(), text(o, "robot_id"), Instant.parse(o.get("created_at").asText()),
                    o.get("created_by").asText(), text(o, "expires_at").map(Instant::parse),
                    text(o, "last_used_at").map(Instant::parse), Optional.empty(),
                    new ApiKey.Owner(o.get("owner_kind").asText(), text(o, "owner_id")));
            return Optional.of(new ApiKeyStore.Stamped(key, o.get("generation").asLong()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
