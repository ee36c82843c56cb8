package com.casarerpa.orchestrator.app;

import com.casarerpa.common.cli.Version;
import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.api.HttpApi;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.metrics.LoopReading;
import com.casarerpa.orchestrator.metrics.Metrics;
import com.casarerpa.orchestrator.scheduler.BackgroundLoop;
import com.casarerpa.orchestrator.scheduler.PruneRobotSamples;
import com.casarerpa.orchestrator.scheduler.PurgeExpiredRows;
import com.casarerpa.orchestrator.scheduler.ReclaimExpiredLeases;
import com.casarerpa.orchestrator.scheduler.ScheduleLoop;
import com.casarerpa.orchestrator.scheduler.SweepEndedSessions;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.HealthService;
import com.casarerpa.orchestrator.service.LoopStatus;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseLiveness;
import com.casarerpa.orchestrator.store.DatabaseProbe;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.EmbeddedServerLock;
import com.casarerpa.orchestrator.store.ExpiredRows;
import com.casarerpa.orchestrator.store.FirstStart;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.KeyCache;
import com.casarerpa.orchestrator.store.MaintenanceLease;
import com.casarerpa.orchestrator.store.MigrationStatus;
import com.casarerpa.orchestrator.store.Migrations;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.PostgresExtensions;
import com.casarerpa.orchestrator.store.RedisConnection;
import com.casarerpa.orchestrator.store.RedisKeyCache;
import com.casarerpa.orchestrator.tls.ServerCertificate;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running orchestrator instance: the only place that knows every part and wires them.
 * {@link #start} brings the parts up in order (lock, database, schema, HTTP); {@link #close}
 * takes them down in reverse, draining first so load balancers and robots move away.
 */
public final class Orchestrator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** How often expired leases and timeouts are swept: the bound on how late a dead robot's job is noticed. */
    static final Duration REAPER_INTERVAL = Duration.ofSeconds(1);
    /** Without a completed sweep for this long, the instance is not ready: dead robots' jobs and timeouts wait. */
    static final Duration REAPER_STALLED_AFTER = Duration.ofSeconds(60);
    /** The longest the scheduler sleeps without looking: the bound on a fire's lag when another instance changed a schedule. */
    static final Duration SCHEDULER_POLL = Duration.ofMillis(500);
    /** How often the TLS certificate files are looked at for a renewal. */
    static final Duration CERTIFICATE_CHECK_INTERVAL = Duration.ofSeconds(2);
    /** How often sessions and password tokens that are over (for a day, SweepEndedSessions.KEPT) are deleted. */
    static final Duration SESSION_SWEEP_INTERVAL = Duration.ofHours(1);

    /** How the schema is treated at start. */
    public enum SchemaPolicy {
        /**
         * Refuse to start with pending migrations of an existing schema; an empty database
         * (embedded or PostgreSQL) is initialised, once however many instances start at once.
         */
        REQUIRE_CURRENT,
        /** Apply pending migrations first ({@code start --migrate}). */
        MIGRATE
    }

    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The background loops started so far, each as it fares now. */
    private final List<Supplier<List<LoopStatus>>> loops = new CopyOnWriteArrayList<>();
    private HealthService health;
    private HttpApi http;
    private InitialAdminKey initialAdminKey;
    private DispatchSignal dispatch = DispatchSignal.NONE;
    private Duration drainDelay = Duration.ZERO;

    private Orchestrator() {}

    /**
     * Starts an instance. On failure everything already opened is closed again and the
     * exception says what to do (database unreachable, pending migrations, port in use, …).
     */
    public static Orchestrator start(OrchestratorSettings settings, SchemaPolicy schemaPolicy) {
        return start(settings, schemaPolicy, Clock.systemUTC());
    }

    /** As {@link #start(OrchestratorSettings, SchemaPolicy)}, with the clock of schedules, tokens and ids (tests move it). */
    public static Orchestrator start(OrchestratorSettings settings, SchemaPolicy schemaPolicy, Clock clock) {
        return start(settings, schemaPolicy, clock, Optional.empty());
    }

    /**
     * As {@link #start(OrchestratorSettings, SchemaPolicy, Clock)}; with {@code dashboardSources}
     * (development: {@code start --reload}) the dashboard's files are read from that directory at
     * each request instead of the jar, so an edit shows on a browser reload.
     */
    public static Orchestrator start(OrchestratorSettings settings, SchemaPolicy schemaPolicy, Clock clock,
            Optional<Path> dashboardSources) {
        Orchestrator o = new Orchestrator();
        try {
            o.bringUp(settings, schemaPolicy, clock, dashboardSources);
            return o;
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    private void bringUp(OrchestratorSettings settings, SchemaPolicy schemaPolicy, Clock clock, Optional<Path> dashboardSources) {
        DatabaseUrl url = DatabaseUrl.of(settings);
        log.info("CasareRPA Orchestrator {} starting (Java {})", Version.current(), Runtime.version());
        // First: a certificate that cannot be served stops the start before the database is touched.
        Optional<ServerCertificate> certificate = settings.ingress().tls().map(ServerCertificate::load);
        if (url.isEmbedded()) {
            log.info("database: embedded H2 in {} (no DATABASE_URL set; for production set DATABASE_URL to a PostgreSQL URL)",
                    settings.dataDir());
            parts.push(EmbeddedServerLock.acquire(settings.dataDir()));
        } else {
            log.info("database: {}", url.display());
        }

        SessionDatabase.refuseUndeclaredPooling(settings, url);
        Database database = Database.open(url, PoolSettings.forServer(settings.database()));
        parts.push(database);
        Database sessions = SessionDatabase.choose(settings, database, parts::push);
        Migrations migrations = new Migrations(sessions);
        prepareSchema(sessions, migrations, schemaPolicy);
        if (new DatabaseProbe(database).autovacuum().equals(Optional.of(false))) {
            log.warn("{}", DatabaseProbe.AUTOVACUUM_OFF);
        }

        Secret signingKey = SigningSecret.resolve(settings.orchestrator().secretKey(), database, settings.dataDir());
        JobWakeups wakeups = new JobWakeups(database, sessions.url());
        parts.push(wakeups);
        loops.add(wakeups::loops);
        Metrics metrics = settings.metrics().enabled() ? Metrics.prometheus() : Metrics.off();
        // Closed after the HTTP server (no more scrapes), before the pool.
        parts.push(metrics);
        // Optional: without it (or while it does not answer) rate limits are per instance and keys come from the database.
        Optional<RedisConnection> redis = settings.redis().map(r -> RedisConnection.open(r.url().reveal(), r.display(), r.keyPrefix(),
                r.timeout()));
        redis.ifPresent(parts::push);
        Optional<RedisKeyCache> keyCache = redis.map(r -> RedisKeyCache.start(r,
                new ApiKeyStore(Jdbi3.of(database, settings.database().statementTimeoutSeconds()))));
        keyCache.ifPresent(parts::push);
        Components c = new Components(database, settings, signingKey, wakeups, wakeups, metrics, clock, redis,
                keyCache.<KeyCache>map(k -> k).orElseGet(KeyCache::none));
        metrics.loops(() -> loops().stream().map(l -> new LoopReading(l.name(), l.failures(), l.lastSuccess())).toList());
        // Change events reach the other instances through NOTIFY; closed after the reports, before the wake-ups.
        parts.push(c.events);
        wakeups.relay(c.events).ifPresent(parts::push);
        // Closed after the HTTP server and the robot channel, before the pool: robot reports
        // accepted until then are committed, not lost.
        parts.push(c.services.reports);
        // New jobs here or (through NOTIFY) on another instance wake this instance's dispatcher;
        // a robot deleted or registered elsewhere makes it check its connections.
        wakeups.onJobs(c.dispatch::wake);
        wakeups.onRobots(c.robotChannel::robotsChanged);

        DatabaseLiveness liveness = new DatabaseLiveness(database.dataSource(), Duration.ofSeconds(2));
        parts.push(liveness);
        health = new HealthService(liveness, () -> versions(migrations.pending()), c.services.robots::online, this::loops, clock);
        // Optional: shown in /ready, never makes the instance unready.
        redis.ifPresent(r -> health.optional("redis", r::state));

        OrchestratorSettings.Server server = settings.orchestrator();
        http = new HttpApi(server.host(), server.port(), server.workers(), SHUTDOWN_GRACE, c.routes(health), c.requestObserver(),
                certificate.map(ServerCertificate::sslContextFactory), dashboardSources);
        http.start();
        parts.push(http);
        certificate.ifPresent(this::watchForRenewal);
        // Closed before the HTTP server: the live feeds end at once rather than hold its drain for the grace period.
        parts.push(c.liveFeeds);
        // Pushed after the HTTP server, so it is closed first: robots are drained while the server still runs.
        parts.push(c.robotChannel.start());
        loops.add(c.robotChannel::loops);
        dispatch = c.dispatch;
        drainDelay = Duration.ofSeconds(settings.lifecycle().drainDelaySeconds());
        // Closed after the sweep stops: robots of a stopped instance are judged by their own heartbeats.
        parts.push(c.pulses::forget);
        BackgroundLoop reaper = BackgroundLoop.named("lease-reaper").every(REAPER_INTERVAL).stalledAfter(REAPER_STALLED_AFTER)
                .start(new ReclaimExpiredLeases(c.services.reaping, c.services.robotStore, c.pulses,
                        settings.robots().heartbeatTimeoutSeconds(), settings.robots().cancelGraceSeconds(), clock,
                        metrics.robots()));
        parts.push(reaper);
        loops.add(() -> List.of(reaper.status()));
        ScheduleLoop scheduler = ScheduleLoop.start(c.schedulePass, SCHEDULER_POLL);
        c.scheduleChanged.set(scheduler::wake);
        parts.push(scheduler);
        loops.add(() -> List.of(scheduler.status()));
        // Never stalls readiness: a late sweep only leaves dead rows a while longer. A failed sweep
        // is retried after a minute (doubling up to 10), not an hour: one failure must not keep the
        // loop-failing alert up, while a sweep that keeps failing still raises it.
        SweepEndedSessions sweep = new SweepEndedSessions(c.services.sessionStore, c.services.passwordResets, clock);
        BackgroundLoop sessionSweeper = BackgroundLoop.named("session-sweeper").every(Duration.ofMinutes(1))
                .retryingUpTo(Duration.ofMinutes(10)).start(woken -> {
                    sweep.run();
                    return SESSION_SWEEP_INTERVAL;
                });
        sessionSweeper.wake(); // the first sweep at start, then hourly
        parts.push(sessionSweeper);
        loops.add(() -> List.of(sessionSweeper.status()));
        // The dashboard's history (robot samples, gone instances): pruned every few minutes, from start.
        PruneRobotSamples prune = new PruneRobotSamples(c.services.robotSamples, c.services.instances, clock);
        BackgroundLoop samplePruner = BackgroundLoop.named("sample-pruner").every(PruneRobotSamples.INTERVAL)
                .retryingUpTo(Duration.ofMinutes(10)).start(woken -> {
                    prune.run();
                    return PruneRobotSamples.INTERVAL;
                });
        samplePruner.wake(); // the first at start, then every few minutes
        parts.push(samplePruner);
        loops.add(() -> List.of(samplePruner.status()));
        retention(c, database, settings.retention(), clock, metrics);
        // Last, once everything is up: a start that fails before (a port in use) leaves it to the next start.
        initialAdminKey = InitialAdminKey.createOnFirstStart(c.services.apiKeys, url, settings.dataDir()).orElse(null);
        log.info("listening on {}://{}:{} (workers: {}); the dashboard is at /", http.scheme(), server.host(), http.port(),
                server.workers());
    }

    /** A renewed certificate (the files replaced on disk) is served to new connections within the check interval, no restart. */
    private void watchForRenewal(ServerCertificate certificate) {
        BackgroundLoop watch = BackgroundLoop.named("certificate-watch").every(CERTIFICATE_CHECK_INTERVAL)
                .start(woken -> {
                    certificate.reloadIfChanged();
                    return CERTIFICATE_CHECK_INTERVAL;
                });
        parts.push(watch);
        loops.add(() -> List.of(watch.status()));
    }

    /** {@code https} when the server speaks TLS, else {@code http}. */
    public String scheme() {
        return http.scheme();
    }

    /**
     * Retention's loop (docs/operations.md, "Retention"): every instance runs it, the one that takes
     * the lease purges. Never stalls readiness; the first pass at start (with nothing past its
     * age, a few index probes), then every {@code retention.interval_minutes}; a failed pass is
     * retried after a minute, doubling up to the interval (at most 10 minutes).
     */
    private void retention(Components c, Database database, OrchestratorSettings.Retention settings, Clock clock, Metrics metrics) {
        if (!settings.enabled()) {
            log.info("retention is off (retention.enabled: false): finished jobs, schedule fires and audit events are kept");
            return;
        }
        MaintenanceLease lease = new MaintenanceLease(c.services.jdbi, database.dialect(), "retention", c.robotChannel.instanceId(),
                PurgeExpiredRows.LEASE);
        PurgeExpiredRows purge = new PurgeExpiredRows(new ExpiredRows(c.services.jdbi, database.dialect()), lease, settings, clock,
                metrics.retention());
        Duration interval = Duration.ofMinutes(settings.intervalMinutes());
        BackgroundLoop loop = BackgroundLoop.named("retention").every(Duration.ofMinutes(1))
                .retryingUpTo(interval.compareTo(Duration.ofMinutes(10)) < 0 ? interval : Duration.ofMinutes(10)).start(woken -> {
                    purge.run();
                    return interval;
                });
        loop.wake();
        parts.push(loop);
        loops.add(() -> List.of(loop.status()));
    }

    /** The admin key made by the quick start on this start, to show once; empty otherwise. */
    public Optional<String> bootstrapKey() {
        return initialAdminKey().map(InitialAdminKey::plaintext);
    }

    /** The same, with the file it was written to. */
    public Optional<InitialAdminKey> initialAdminKey() {
        return Optional.ofNullable(initialAdminKey);
    }

    private static void prepareSchema(Database database, Migrations migrations, SchemaPolicy policy) {
        FirstStart.initialiseIfEmpty(database, migrations).ifPresent(done -> {
            done.extensions().stream().filter(PostgresExtensions.Outcome::isWarning)
                    .forEach(e -> log.warn("extension {}: {}", e.name(), e.detail()));
            log.info("the database was empty: initialised it ({} migrations applied; schema at version {})",
                    done.applied().size(), migrations.currentVersion().orElse("none"));
        });
        if (policy == SchemaPolicy.MIGRATE) {
            List<?> applied = migrations.migrate();
            if (!applied.isEmpty()) {
                log.info("applied {} migration(s); schema at version {}", applied.size(),
                        migrations.currentVersion().orElse("none"));
            }
        }
        migrations.requireCurrent();
    }

    private static List<String> versions(List<MigrationStatus> pending) {
        return pending.stream().map(MigrationStatus::version).toList();
    }

    /** Every HTTP route with its declared access (for the OpenAPI completeness test). */
    public List<HttpApi.Endpoint> endpoints() {
        return http.endpoints();
    }

    /** The HTTP port actually bound. */
    public int port() {
        return http.port();
    }

    /** Wakes this instance's dispatcher (after jobs were committed outside its own API, e.g. by a test). */
    public DispatchSignal dispatchSignal() {
        return dispatch;
    }

    /** The background loops of this instance as they fare now (dispatcher, scheduler, lease reaper, …), for /ready and metrics. */
    public List<LoopStatus> loops() {
        List<LoopStatus> all = new ArrayList<>();
        loops.forEach(l -> all.addAll(l.get()));
        return List.copyOf(all);
    }

    public HealthService health() {
        return health;
    }

    private void awaitDrainDelay() {
        if (drainDelay.isZero()) {
            return;
        }
        log.info("draining: /ready answers 503; stopping in {} s (orchestrator.drain_delay_seconds)", drainDelay.toSeconds());
        try {
            Thread.sleep(drainDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until {@link #close()} has finished (from a shutdown hook, say). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Drains and stops: {@code /ready} answers 503 (for {@code orchestrator.drain_delay_seconds}
     * before anything else stops, so load balancers that poll it move away first); robots are
     * sent {@code drain} and reconnect elsewhere keeping their jobs and leases (those still here
     * after 10 s are closed with 1001); the HTTP server stops taking connections and lets the
     * requests in flight finish; robot reports accepted are committed; pool closed, lock released.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (health != null) {
            health.beginDraining();
            awaitDrainDelay();
        }
        while (!parts.isEmpty()) {
            AutoCloseable part = parts.pop();
            try {
                part.close();
            } catch (Exception e) {
                log.warn("error while stopping {}: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        if (http != null) {
            log.info("orchestrator stopped");
        }
        stopped.countDown();
    }
}
