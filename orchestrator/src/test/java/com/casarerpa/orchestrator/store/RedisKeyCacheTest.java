package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.ApiKey;
import com.casarerpa.orchestrator.domain.Role;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.testing.LocalRedis;
import com.casarerpa.orchestrator.workflow.WorkflowJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key cache's rules on the machine's Redis (under a key prefix of this test's own) and an
 * embedded database: what was read before a revocation is never answered after it, whether Redis
 * heard of the revocation or not.
 */
class RedisKeyCacheTest {
    private final String prefix = LocalRedis.uniquePrefix();

    @TempDir
    Path dataDir;

    private Database db;
    private ApiKeyStore store;
    private RedisConnection redis;
    private RedisKeyCache cache;
    /** Keys as an instance with the cache sees them. */
    private ApiKeys cached;
    /** Keys as the CLI without Redis changes them: the database only. */
    private ApiKeys databaseOnly;

    @BeforeEach
    void open() {
        db = Database.open(DatabaseUrl.embedded(dataDir), PoolSettings.forCommand());
        new Migrations(db).migrate();
        Jdbi jdbi = Jdbi3.of(db);
        store = new ApiKeyStore(jdbi);
        redis = RedisConnection.open(LocalRedis.MACHINE_URL, LocalRedis.MACHINE_URL, prefix, Duration.ofSeconds(2));
        cache = RedisKeyCache.start(redis, store);
        AuditStore audit = new AuditStore(jdbi, Clock.systemUTC());
        cached = new ApiKeys(store, cache, new AccessStore(jdbi), audit, Clock.systemUTC());
        databaseOnly = new ApiKeys(store, new AccessStore(jdbi), audit, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        cache.close();
        redis.close();
        db.close();
        LocalRedis.deleteKeys(LocalRedis.MACHINE_URL, prefix);
    }

    @Test
    void an_entry_read_before_a_revocation_that_came_during_its_read_is_never_answered() {
        ApiKeys.IssuedKey issued = cached.create("raced", Role.VIEWER, Optional.empty(), Optional.empty(), Actor.localCli());
        String hash = WorkflowJson.sha256(issued.plaintext());
        AtomicInteger reads = new AtomicInteger();
        Supplier<Optional<ApiKeyStore.Stamped>> readThenRevoke = () -> {
            reads.incrementAndGet();
            Optional<ApiKeyStore.Stamped> read = store.findStampedByHash(hash);
            cached.revoke(issued.key().id(), Actor.localCli()); // between the read and the write of the entry
            return read;
        };
        assertThat(cache.byHash(hash, readThenRevoke)).get().extracting(ApiKey::revokedAt).isEqualTo(Optional.empty());
        assertThat(LocalRedis.keys(LocalRedis.MACHINE_URL, prefix + "key:h:")).as("the entry was written").hasSize(1);

        Optional<ApiKey> after = cache.byHash(hash, counted(reads, hash));
        assertThat(reads).as("the entry was not answered: the database was read again").hasValue(2);
        assertThat(after.orElseThrow().revokedAt()).isPresent();
    }

    @Test
    void a_revocation_redis_never_heard_of_is_learnt_from_the_database_within_the_poll() {
        ApiKeys.IssuedKey issued = cached.create("revoked elsewhere", Role.VIEWER, Optional.empty(), Optional.empty(),
                Actor.localCli());
        String hash = WorkflowJson.sha256(issued.plaintext());
        AtomicInteger reads = new AtomicInteger();
        cache.byHash(hash, counted(reads, hash));
        cache.byHash(hash, counted(reads, hash));
        assertThat(reads).as("the second lookup was answered from Redis").hasValue(1);

        databaseOnly.revoke(issued.key().id(), Actor.localCli());
        assertThat(LocalRedis.keys(LocalRedis.MACHINE_URL, prefix + RedisKeyCache.GENERATION_KEY)).as("Redis never heard of it")
                .isEmpty();
        await().atMost(RedisKeyCache.POLL.multipliedBy(3))
                .until(() -> cache.byHash(hash, counted(reads, hash)).orElseThrow().revokedAt().isPresent());
        assertThat(cache.byHash(hash, counted(reads, hash)).orElseThrow().revokedAt()).as("and stays so").isPresent();
    }

    @Test
    void the_generation_in_redis_only_rises() {
        cache.changed(5);
        cache.changed(3);
        assertThat(redis.call(RedisConnection.Use.KEY_CACHE, c -> new String(c.sync().get(redis.key(RedisKeyCache.GENERATION_KEY)),
                java.nio.charset.StandardCharsets.UTF_8))).contains("5");
    }

    private Supplier<Optional<ApiKeyStore.Stamped>> counted(AtomicInteger reads, String hash) {
        return () -> {
            reads.incrementAndGet();
            return store.findStampedByHash(hash);
        };
    }
}
