package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.store.RedisConnection;
import com.casarerpa.orchestrator.store.RedisConnection.Use;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Token buckets kept in Redis by Bucket4j's Lettuce backend (compare-and-swap in a Lua script),
 * so every instance draws on the same bucket per key: with N instances a caller still gets the
 * configured rate, not N times it. A bucket's key in Redis expires once it would be full again.
 *
 * <p>While Redis does not answer ({@link RedisConnection}), each decision falls back to this
 * instance's own {@link TokenBuckets} under the same policy, as without Redis; the shared buckets
 * are used again once it answers. Nothing waits for Redis longer than its command timeout.
 */
public final class SharedTokenBuckets implements RateBudget {
    /** Extra life of a bucket's key beyond the time it takes to refill, against clock differences. */
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(10);

    private final RateLimitPolicy policy;
    private final String namespace;
    private final RedisConnection redis;
    private final TokenBuckets local;
    private final BucketConfiguration configuration;
    private volatile Proxies proxies;

    private record Proxies(StatefulRedisConnection<String, byte[]> connection, ProxyManager<String> manager) {}

    /**
     * @param name the budget's name in Redis keys ({@code api}, {@code robot}): buckets of
     *             different policies never share a key
     */
    public SharedTokenBuckets(RateLimitPolicy policy, String name, RedisConnection redis, TokenBuckets local) {
        this.policy = policy;
        this.namespace = redis.key("rate:" + name + ":");
        this.redis = redis;
        this.local = local;
        this.configuration = BucketConfiguration.builder().addLimit(policy.bandwidth()).build();
    }

    /** Shared budgets over {@code redis}, each falling back to a local one of {@link TokenBuckets#DEFAULT_MAX_KEYS} keys. */
    public static RateBudget.Factory over(RedisConnection redis) {
        return (name, policy) -> new SharedTokenBuckets(policy, name, redis,
                new TokenBuckets(policy, TimeMeter.SYSTEM_NANOTIME, TokenBuckets.DEFAULT_MAX_KEYS));
    }

    @Override
    public RateLimitPolicy policy() {
        return policy;
    }

    @Override
    public RateDecision tryTake(String key) {
        return shared(key, bucket -> RateDecision.of(policy, bucket.tryConsumeAndReturnRemaining(1))).orElseGet(() -> local.tryTake(key));
    }

    @Override
    public RateDecision peek(String key) {
        return shared(key, bucket -> RateDecision.of(policy, bucket.estimateAbilityToConsume(1))).orElseGet(() -> local.peek(key));
    }

    private Optional<RateDecision> shared(String key, Function<BucketProxy, RateDecision> use) {
        return redis.call(Use.RATE_LIMIT, c -> use.apply(manager(c).getProxy(namespace + key, () -> configuration)));
    }

    /** The proxy manager of the current connection (made once: Lettuce reconnects the same connection). */
    private ProxyManager<String> manager(StatefulRedisConnection<String, byte[]> connection) {
        Proxies p = proxies;
        if (p == null || p.connection() != connection) {
            ProxyManager<String> manager = Bucket4jLettuce.casBasedBuilder(connection)
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL))
                    .requestTimeout(redis.timeout())
                    .build();
            p = new Proxies(connection, manager);
            proxies = p;
        }
        return p.manager();
    }
}
