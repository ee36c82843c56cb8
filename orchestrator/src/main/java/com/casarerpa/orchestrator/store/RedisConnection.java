package com.casarerpa.orchestrator.store;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's connection to Redis ({@code redis.url}), an optional dependency: shared rate
 * limits and the API-key cache use it while it answers, and fall back (per-instance buckets, the
 * database) while it does not. Nothing waits for Redis longer than the command timeout.
 *
 * <p>States: <em>up</em> while the last command succeeded; the first failure makes it
 * <em>down</em>, logs one WARN and starts a probe that PINGs every {@link #PROBE_INTERVAL}
 * (connecting anew first when the connection broke or was never made: a start with Redis down). While down,
 * callers do not try Redis at all ({@link #call} answers empty at once) and count a fallback; the
 * probe's first success makes it up again and logs once more. Thread-safe.
 */
public final class RedisConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    /** How often a down connection is tried again. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** What a fallback was for: the label of {@code casare_redis_fallbacks_total}. */
    public enum Use {
        RATE_LIMIT, KEY_CACHE;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final RedisClient client;
    private final String display;
    private final String prefix;
    private final Duration timeout;
    private final AtomicBoolean up = new AtomicBoolean(false);
    private final Map<Use, AtomicLong> fallbacks = new EnumMap<>(Use.class);
    private final ReentrantLock connecting = new ReentrantLock();
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("redis-probe").daemon(true).factory());
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean closed;

    private RedisConnection(String url, String display, String prefix, Duration timeout) {
        this.display = display;
        this.prefix = prefix;
        this.timeout = timeout;
        RedisURI uri = RedisURI.create(url);
        uri.setTimeout(timeout);
        client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                // The probe makes a new connection every PROBE_INTERVAL instead (Lettuce's own
                // reconnects back off up to 30 s); while broken, a command fails at once.
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(timeout)).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        for (Use u : Use.values()) {
            fallbacks.put(u, new AtomicLong());
        }
    }

    /**
     * Connects to {@code url}. Never fails for Redis being down: then it warns, and the probe
     * connects once Redis answers.
     *
     * @param display the URL as logs may show it (no password)
     * @param prefix  put before every key this instance writes, so several installations may share one Redis
     * @param timeout the longest any command (and a connection attempt, a few times it) may take
     */
    public static RedisConnection open(String url, String display, String prefix, Duration timeout) {
        RedisConnection r = new RedisConnection(url, display, prefix, timeout);
        if (r.tryConnect()) {
            log.info("redis: {} (shared rate limits, API-key cache; command timeout {} ms)", display, timeout.toMillis());
        } else {
            log.warn("redis: {} does not answer at start: rate limits are per instance and API keys are looked up in the"
                    + " database until it does (tried again every {} s)", display, PROBE_INTERVAL.toSeconds());
            r.scheduleProbe();
        }
        return r;
    }

    private static Duration connectTimeout(Duration timeout) {
        return timeout.multipliedBy(4).compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : timeout.multipliedBy(4);
    }

    /** {@code suffix} under this installation's prefix. */
    public String key(String suffix) {
        return prefix + suffix;
    }

    public Duration timeout() {
        return timeout;
    }

    /** True while Redis answered the last command. */
    public boolean up() {
        return up.get();
    }

    /** For /ready: {@code connected} or {@code degraded}. */
    public String state() {
        return up() ? "connected" : "degraded";
    }

    /**
     * Runs {@code action} on Redis, or answers empty without trying when Redis is down; a failure
     * marks it down ({@link #failed}) and answers empty. Empty always counts a fallback for {@code use}.
     */
    public <T> Optional<T> call(Use use, Function<StatefulRedisConnection<String, byte[]>, T> action) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null || !up()) {
            fellBack(use);
            return Optional.empty();
        }
        try {
            return Optional.of(action.apply(c));
        } catch (RuntimeException e) {
            failed(e);
            fellBack(use);
            return Optional.empty();
        }
    }

    /** Counts one request that went without Redis for {@code use}. */
    public void fellBack(Use use) {
        fallbacks.get(use).incrementAndGet();
    }

    /** Requests that went without Redis so far, for {@code use}. */
    public long fallbacks(Use use) {
        return fallbacks.get(use).get();
    }

    /** A command failed (timeout, connection): down from now on, one WARN, the probe takes over. */
    public void failed(Exception e) {
        if (!closed && up.compareAndSet(true, false)) {
            log.warn("redis: {} failed ({}): rate limits fall back to per-instance buckets and API keys are looked up in the"
                    + " database until it answers again (tried every {} s)", display, oneLine(e), PROBE_INTERVAL.toSeconds());
            scheduleProbe();
        }
    }

    private void scheduleProbe() {
        if (!closed) {
            probe.schedule(this::probeOnce, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probeOnce() {
        if (closed || up()) {
            return;
        }
        if (tryConnect()) {
            log.info("redis: {} answers again: rate limits are shared and the API-key cache is in use again", display);
        } else {
            scheduleProbe();
        }
    }

    /** Connects when there is no open connection (never made, or broken), then PINGs; up when both worked. */
    private boolean tryConnect() {
        connecting.lock();
        try {
            StatefulRedisConnection<String, byte[]> old = connection;
            if (old == null || !old.isOpen()) {
                if (old != null) {
                    old.close();
                }
                connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            }
            connection.sync().ping();
            up.set(true);
            return true;
        } catch (RuntimeException e) {
            log.debug("redis: {} does not answer: {}", display, oneLine(e));
            return false;
        } finally {
            connecting.unlock();
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    @Override
    public void close() {
        closed = true;
        probe.shutdownNow();
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
