package com.casarerpa.orchestrator.config;

import com.casarerpa.common.config.ConfigException;
import com.casarerpa.common.config.ConfigSchema;
import com.casarerpa.common.config.ResolvedConfig;
import com.casarerpa.common.config.Secret;
import com.casarerpa.common.config.Setting;
import com.casarerpa.common.config.ValueType;
import com.casarerpa.common.logging.LogFormat;
import com.casarerpa.common.logging.LoggingSettings;
import com.casarerpa.common.logging.LoggingValues;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * Every key of the orchestrator's configuration: the specification's {@code config/orchestrator.yaml}
 * and environment variables, plus {@code orchestrator.data_dir}, {@code api_url} and
 * {@code webhook_url}. docs/configuration.md describes the same keys for people; keep them in step.
 *
 * <p>Built per working directory, because relative paths resolve against it.
 */
final class OrchestratorSchema {
    final Setting<String> host = Setting.of("orchestrator.host", ValueType.string(), "address the HTTP server binds to")
            .withDefault("127.0.0.1").withEnv("ORCHESTRATOR_HOST").withFlag("--host");
    final Setting<Integer> port = Setting.of("orchestrator.port", ValueType.integer(0, 65535),
            "HTTP port; 0 picks a free port").withDefault("8000").withEnv("ORCHESTRATOR_PORT").withFlag("--port");
    final Setting<Integer> workers = Setting.of("orchestrator.workers", ValueType.integer(1, 256),
            "selector threads that read and write the sockets (requests run on virtual threads)").withDefault("1").withEnv("ORCHESTRATOR_WORKERS").withFlag("--workers");
    final Setting<String> secretKey = Setting.of("orchestrator.secret_key", ValueType.string(), "JWT signing key (HS256)")
            .withEnv("ORCHESTRATOR_SECRET_KEY").asSecret();
    final Setting<Integer> tokenExpiryHours = Setting.of("orchestrator.token_expiry_hours", ValueType.integer(1),
            "lifetime of issued JWTs").withDefault("24");
    final Setting<Integer> requestsPerMinute = Setting.of("orchestrator.rate_limit.requests_per_minute",
            ValueType.integer(1), "sustained requests per minute per API key or client").withDefault("100");
    final Setting<Integer> burst = Setting.of("orchestrator.rate_limit.burst", ValueType.integer(1),
            "requests allowed at once above the rate").withDefault("20");
    final Setting<Integer> feedsPerCaller = Setting.of("orchestrator.rate_limit.feeds_per_caller", ValueType.integer(1),
            "live feeds (GET /api/v1/events) one caller may hold open at once on one instance").withDefault("20");
    final Setting<Path> dataDir;
    final Setting<URI> apiUrl = Setting.of("orchestrator.api_url", ValueType.httpUrl(),
            "public URL of the API, as robots and links should use it").withEnv("CASARE_API_URL");
    final Setting<URI> webhookUrl = Setting.of("orchestrator.webhook_url", ValueType.httpUrl(),
            "public base URL of webhook triggers").withEnv("CASARE_WEBHOOK_URL");
    final Setting<Path> sslCert;
    final Setting<Path> sslKey;
    final Setting<List<NetworkRange>> trustedProxies = Setting.of("orchestrator.trusted_proxies", NetworkRange.listType(),
            "proxy networks whose forwarded client address and scheme are believed").withDefault(NetworkRange.NONE)
            .withEnv("CASARE_TRUSTED_PROXIES");
    final Setting<ClientAddressHeader> clientAddressHeader = Setting.of("orchestrator.client_address_header",
            ClientAddressHeader.type(), "header a trusted proxy names the client in").withDefault("X-Forwarded-For");
    final Setting<Boolean> trustHostHeader = Setting.of("orchestrator.trust_host_header", ValueType.bool(),
            "build URLs from the request's Host header when api_url (or webhook_url, oidc.redirect_uri) is unset")
            .withDefault("false");

    final Setting<String> databaseUrl = Setting.of("database.url", databaseUrlType(),
            "PostgreSQL URL; unset means the embedded H2 database").withEnv("DATABASE_URL").asSecret(DatabaseUrlMask::mask);
    final Setting<Integer> poolSize = Setting.of("database.pool_size", ValueType.integer(1), "connection pool size")
            .withDefault("20");
    final Setting<Integer> maxOverflow = Setting.of("database.max_overflow", ValueType.integer(0),
            "extra connections allowed under load").withDefault("10");
    final Setting<Integer> statementTimeoutSeconds = Setting.of("database.statement_timeout_seconds",
            ValueType.integer(0, 3600), "longest a statement of a request or sweep may take; 0 means no limit")
            .withDefault("10");
    final Setting<OrchestratorSettings.PoolMode> poolMode = Setting.of("database.pool_mode",
            ValueType.choice(poolModes()),
            "how a pooler in front of PostgreSQL (pgbouncer) hands out connections: session or transaction")
            .withDefault("session");
    final Setting<String> directUrl = Setting.of("database.direct_url", databaseUrlType(),
            "PostgreSQL URL without a transaction pooler, for LISTEN and migrations when pool_mode is transaction")
            .withEnv("DATABASE_DIRECT_URL").asSecret(DatabaseUrlMask::mask);

    final Setting<String> redisUrl = Setting.of("redis.url", redisUrlType(),
            "Redis URL (redis:// or rediss://); unset means no Redis: rate limits per instance, no key cache")
            .withEnv("REDIS_URL").asSecret(DatabaseUrlMask::mask);
    final Setting<String> redisKeyPrefix = Setting.of("redis.key_prefix", ValueType.string(),
            "put before every Redis key this installation writes").withDefault("casare:");
    final Setting<Integer> redisTimeoutMs = Setting.of("redis.timeout_ms", ValueType.integer(10, 10_000),
            "longest a Redis command may take before the request goes on without Redis").withDefault("250");

    final Setting<Integer> maxRetries = Setting.of("queue.max_retries", ValueType.integer(0), "default retries of a job")
            .withDefault("3");
    final Setting<Integer> retryDelaySeconds = Setting.of("queue.retry_delay_seconds", ValueType.integer(0),
            "base delay before a retry").withDefault("60");
    final Setting<Integer> visibilityTimeoutSeconds = Setting.of("queue.visibility_timeout_seconds",
            ValueType.integer(1), "lease length of a claimed job").withDefault("300");

    final Setting<Integer> heartbeatIntervalSeconds = Setting.of("robots.heartbeat_interval_seconds",
            ValueType.integer(1, 3600), "how often a robot sends a heartbeat").withDefault("5");
    final Setting<Integer> heartbeatTimeoutSeconds = Setting.of("robots.heartbeat_timeout_seconds",
            ValueType.integer(3, 86_400), "silence after which a robot is offline and its leases end").withDefault("30");
    final Setting<Integer> cancelGraceSeconds = Setting.of("robots.cancel_grace_seconds", ValueType.integer(1, 86_400),
            "time a robot has to confirm a job_cancel").withDefault("30");
    final Setting<Integer> cancelResendSeconds = Setting.of("robots.cancel_resend_seconds", ValueType.integer(1, 3600),
            "an unconfirmed job_cancel is sent again this often").withDefault("10");
    final Setting<Integer> registerTimeoutSeconds = Setting.of("robots.register_timeout_seconds",
            ValueType.integer(1, 3600), "time from the upgrade to register").withDefault("10");
    final Setting<Integer> keyRecheckSeconds = Setting.of("robots.key_recheck_seconds", ValueType.integer(1, 3600),
            "a connection's key is checked again this often").withDefault("60");
    final Setting<Integer> releasePauseSeconds = Setting.of("robots.release_pause_seconds", ValueType.integer(0, 3600),
            "no new work for a robot this long after a job_release").withDefault("30");
    final Setting<Integer> messagesPerSecond = Setting.of("robots.rate_limit.messages_per_second",
            ValueType.integer(1), "sustained messages per second on one robot connection").withDefault("200");
    final Setting<Integer> messageBurst = Setting.of("robots.rate_limit.burst", ValueType.integer(1),
            "messages allowed at once on one robot connection above the rate").withDefault("1000");
    final Setting<Integer> connectPerMinute = Setting.of("robots.connect_limit.per_minute", ValueType.integer(1),
            "robot connections one API key may open per minute").withDefault("20000");
    final Setting<Integer> connectBurst = Setting.of("robots.connect_limit.burst", ValueType.integer(1),
            "robot connections one API key may open at once above that rate").withDefault("2000");
    final Setting<Integer> maxRegistering = Setting.of("robots.connect_limit.registering", ValueType.integer(1),
            "robot connections one instance accepts at once before they registered").withDefault("1000");

    final Setting<ZoneId> timezone = Setting.of("scheduler.timezone", ValueType.timeZone(),
            "default time zone of schedules").withDefault("UTC");
    final Setting<Integer> maxConcurrentSchedules = Setting.of("scheduler.max_concurrent_schedules",
            ValueType.integer(1), "schedule-started jobs active at once").withDefault("100");
    final Setting<String> overLimitPolicy = Setting.of("scheduler.over_limit_policy", ValueType.choice(words("queue", "skip")),
            "a fire over max_concurrent_schedules: queue its job until the bound allows it, or skip it").withDefault("queue");

    final Setting<Boolean> retentionEnabled = Setting.of("retention.enabled", ValueType.bool(),
            "purge finished jobs, schedule fires and audit events past their ages").withDefault("true");
    final Setting<Integer> retentionJobsDays = Setting.of("retention.jobs_days", ValueType.integer(0, 36_500),
            "days a finished job is kept with its logs and attempts; 0 keeps them for ever").withDefault("90");
    final Setting<Integer> retentionScheduleFiresDays = Setting.of("retention.schedule_fires_days", ValueType.integer(0, 36_500),
            "days a schedule's fire history is kept; 0 keeps it for ever").withDefault("90");
    final Setting<Integer> retentionAuditDays = Setting.of("retention.audit_days", ValueType.integer(0, 36_500),
            "days an audit event is kept; 0 keeps them for ever").withDefault("365");
    final Setting<Integer> retentionBatchSize = Setting.of("retention.batch_size", ValueType.integer(1, 10_000),
            "rows (jobs with their logs) deleted per transaction").withDefault("500");
    final Setting<Integer> retentionIntervalMinutes = Setting.of("retention.interval_minutes", ValueType.integer(1, 10_080),
            "how often the purge runs").withDefault("60");

    final Setting<Boolean> metricsEnabled = Setting.of("metrics.enabled", ValueType.bool(),
            "serve Prometheus metrics at /metrics and record them").withDefault("true").withEnv("CASARE_METRICS_ENABLED");
    final Setting<List<NetworkRange>> metricsOpenTo = Setting.of("metrics.open_to", NetworkRange.listType(),
            "client networks that read /metrics without a key").withDefault("127.0.0.1/32, ::1/128")
            .withEnv("CASARE_METRICS_OPEN_TO");

    final Setting<Integer> argon2MemoryKib = Setting.of("auth.argon2_memory_kib", ValueType.integer(8, 4_194_304),
            "memory of one password hash (Argon2id), in KiB").withDefault("19456");
    final Setting<Integer> argon2Iterations = Setting.of("auth.argon2_iterations", ValueType.integer(1, 100),
            "passes of one password hash (Argon2id)").withDefault("2");
    final Setting<Integer> argon2Parallelism = Setting.of("auth.argon2_parallelism", ValueType.integer(1, 64),
            "lanes of one password hash (Argon2id)").withDefault("1");
    final Setting<Integer> passwordMinLength = Setting.of("auth.password_min_length", ValueType.integer(8, 1024),
            "shortest password accepted").withDefault("12");
    final Setting<Integer> lockoutAttempts = Setting.of("auth.lockout_attempts", ValueType.integer(1, 1000),
            "failed sign-ins in a row that lock an account").withDefault("5");
    final Setting<Integer> lockoutMinutes = Setting.of("auth.lockout_minutes", ValueType.integer(1, 10_080),
            "how long a locked account stays locked").withDefault("15");
    final Setting<Integer> accessTokenMinutes = Setting.of("auth.access_token_minutes", ValueType.integer(1, 1440),
            "lifetime of a signed-in user's access token").withDefault("15");
    final Setting<Integer> sessionHours = Setting.of("auth.session_hours", ValueType.integer(1, 8760),
            "lifetime of a sign-in (refresh token, dashboard cookie)").withDefault("12");
    final Setting<Integer> passwordTokenHours = Setting.of("auth.password_token_hours", ValueType.integer(1, 720),
            "lifetime of a one-time set-password token").withDefault("24");
    final Setting<Integer> personalTokenMaxDays = Setting.of("auth.personal_token_max_days", ValueType.integer(1, 3650),
            "longest lifetime of a personal API token, in days").withDefault("90");
    final Setting<URI> oidcIssuer = Setting.of("oidc.issuer", ValueType.httpUrl(),
            "issuer URL of the OpenID Connect provider; unset turns single sign-on off");
    final Setting<String> oidcClientId = Setting.of("oidc.client_id", ValueType.string(),
            "client id registered at the provider");
    final Setting<String> oidcClientSecret = Setting.of("oidc.client_secret", ValueType.string(),
            "client secret registered at the provider").asSecret();
    final Setting<URI> oidcRedirectUri = Setting.of("oidc.redirect_uri", ValueType.httpUrl(),
            "callback URL registered at the provider; unset: derived from api_url or the request");
    final Setting<List<String>> oidcScopes = Setting.of("oidc.scopes", OidcRules.scopesType(),
            "scopes asked for; openid is required").withDefault("openid profile email");
    final Setting<String> oidcGroupsClaim = Setting.of("oidc.groups_claim", ValueType.string(),
            "ID token claim that lists the user's groups").withDefault("groups");
    final Setting<String> oidcUsernameClaim = Setting.of("oidc.username_claim", ValueType.string(),
            "ID token claim a new user's username is taken from").withDefault("preferred_username");
    final Setting<Boolean> oidcAutoCreateUsers = Setting.of("oidc.auto_create_users", ValueType.bool(),
            "create a user at the first sign-in of an unknown identity").withDefault("true");
    final Setting<String> oidcDisplayName = Setting.of("oidc.display_name", ValueType.string(),
            "label of the sign-in button").withDefault("Single sign-on");

    final Setting<Level> logLevel = Setting.of("logging.level", LoggingValues.level(), "root log level")
            .withDefault("INFO").withFlag("--debug");
    final Setting<LogFormat> logFormat = Setting.of("logging.format",
            LoggingValues.format(), "text or json lines")
            .withDefault("text");
    final Setting<Path> logPath;
    final Setting<Path> pidFile;
    final Setting<Path> processLogFile;
    final Setting<Integer> drainDelaySeconds = Setting.of("orchestrator.drain_delay_seconds", ValueType.integer(0, 300),
            "on SIGTERM, how long /ready answers 503 before robots are drained and the HTTP server stops")
            .withDefault("0").withEnv("ORCHESTRATOR_DRAIN_DELAY_SECONDS");

    private final ConfigSchema schema;

    OrchestratorSchema(Path workingDir) {
        dataDir = Setting.of("orchestrator.data_dir", ValueType.path(workingDir),
                "directory of the embedded database and other local state").withDefault("./data").withEnv("CASARE_DATA_DIR");
        logPath = Setting.of("logging.path", ValueType.path(workingDir), "file that receives the log lines too");
        sslCert = Setting.of("orchestrator.ssl_cert", ValueType.path(workingDir),
                "PEM certificate chain (server first); with ssl_key the server speaks HTTPS and WSS")
                .withEnv("ORCHESTRATOR_SSL_CERT").withFlag("--ssl-cert");
        sslKey = Setting.of("orchestrator.ssl_key", ValueType.path(workingDir), "PEM private key of ssl_cert")
                .withEnv("ORCHESTRATOR_SSL_KEY").withFlag("--ssl-key");
        pidFile = Setting.of("orchestrator.pid_file", ValueType.path(workingDir),
                "pid file of a running instance (status, stop); unset: <data_dir>/orchestrator.pid")
                .withEnv("ORCHESTRATOR_PID_FILE").withFlag("--pid-file");
        processLogFile = Setting.of("orchestrator.log_file", ValueType.path(workingDir),
                "where start --daemon sends the server's output; unset: <data_dir>/orchestrator.log")
                .withEnv("ORCHESTRATOR_LOG_FILE").withFlag("--log-file");
        schema = new ConfigSchema("CASARE_", List.of(
                host, port, workers, secretKey, tokenExpiryHours, requestsPerMinute, burst, feedsPerCaller, dataDir, apiUrl, webhookUrl,
                sslCert, sslKey, trustedProxies, clientAddressHeader, trustHostHeader,
                pidFile, processLogFile, drainDelaySeconds,
                databaseUrl, poolSize, maxOverflow, statementTimeoutSeconds, poolMode, directUrl,
                redisUrl, redisKeyPrefix, redisTimeoutMs,
                maxRetries, retryDelaySeconds, visibilityTimeoutSeconds,
                heartbeatIntervalSeconds, heartbeatTimeoutSeconds, cancelGraceSeconds, cancelResendSeconds,
                registerTimeoutSeconds, keyRecheckSeconds, releasePauseSeconds, messagesPerSecond, messageBurst,
                timezone, maxConcurrentSchedules, overLimitPolicy,
                retentionEnabled, retentionJobsDays, retentionScheduleFiresDays, retentionAuditDays, retentionBatchSize,
                retentionIntervalMinutes,
                metricsEnabled, metricsOpenTo,
                argon2MemoryKib, argon2Iterations, argon2Parallelism, passwordMinLength, lockoutAttempts, lockoutMinutes,
                accessTokenMinutes, sessionHours, passwordTokenHours, personalTokenMaxDays,
                oidcIssuer, oidcClientId, oidcClientSecret, oidcRedirectUri, oidcScopes, oidcGroupsClaim, oidcUsernameClaim,
                oidcAutoCreateUsers, oidcDisplayName,
                logLevel, logFormat, logPath,
                connectPerMinute, connectBurst, maxRegistering));
    }

    ConfigSchema schema() {
        return schema;
    }

    OrchestratorSettings settings(ResolvedConfig c) {
        return new OrchestratorSettings(
                new OrchestratorSettings.Server(c.get(host), c.get(port), c.get(workers), c.find(secretKey).map(Secret::new),
                        c.get(tokenExpiryHours), new OrchestratorSettings.RateLimit(c.get(requestsPerMinute), c.get(burst),
                        c.get(feedsPerCaller))),
                database(c),
                new OrchestratorSettings.Queue(c.get(maxRetries), c.get(retryDelaySeconds), c.get(visibilityTimeoutSeconds)),
                robots(c),
                new OrchestratorSettings.Scheduler(c.get(timezone), c.get(maxConcurrentSchedules), c.get(overLimitPolicy)),
                new OrchestratorSettings.Retention(c.get(retentionEnabled), c.get(retentionJobsDays),
                        c.get(retentionScheduleFiresDays), c.get(retentionAuditDays), c.get(retentionBatchSize),
                        c.get(retentionIntervalMinutes)),
                new OrchestratorSettings.Metrics(c.get(metricsEnabled), c.get(metricsOpenTo)),
                auth(c),
                oidc(c),
                new LoggingSettings(c.get(logLevel), c.get(logFormat), c.find(logPath)),
                c.get(dataDir),
                c.find(apiUrl).map(URI::toString),
                c.find(webhookUrl).map(URI::toString),
                new OrchestratorSettings.Ingress(tls(c), c.get(trustedProxies), c.get(clientAddressHeader), c.get(trustHostHeader)),
                redis(c),
                lifecycle(c));
    }

    /** {@code orchestrator.ssl_cert} and {@code ssl_key}: both or neither (the files are read at start, not here). */
    private Optional<OrchestratorSettings.Tls> tls(ResolvedConfig c) {
        Optional<Path> cert = c.find(sslCert);
        Optional<Path> key = c.find(sslKey);
        if (cert.isPresent() != key.isPresent()) {
            Setting<Path> set = cert.isPresent() ? sslCert : sslKey;
            Setting<Path> missing = cert.isPresent() ? sslKey : sslCert;
            throw new ConfigException(missing.path() + ": required when " + set.path() + " is set (from " + where(c, set)
                    + "); give both " + sslCert.flag().orElseThrow() + " and " + sslKey.flag().orElseThrow()
                    + " (or ORCHESTRATOR_SSL_CERT and ORCHESTRATOR_SSL_KEY)");
        }
        return cert.map(certFile -> new OrchestratorSettings.Tls(certFile, key.orElseThrow()));
    }

    /** {@code redis.*}: empty while {@code redis.url} is unset. */
    private Optional<OrchestratorSettings.Redis> redis(ResolvedConfig c) {
        return c.find(redisUrl).map(url -> new OrchestratorSettings.Redis(new Secret(url), DatabaseUrlMask.mask(url),
                c.get(redisKeyPrefix), java.time.Duration.ofMillis(c.get(redisTimeoutMs))));
    }

    /** {@code database.*}, with the rule of transaction pooling: it needs a URL without the pooler beside it. */
    private OrchestratorSettings.Database database(ResolvedConfig c) {
        OrchestratorSettings.PoolMode mode = c.get(poolMode);
        if (mode == OrchestratorSettings.PoolMode.TRANSACTION && c.find(databaseUrl).isEmpty()) {
            throw new ConfigException(poolMode.path() + " is transaction (from " + where(c, poolMode) + ") but "
                    + databaseUrl.path() + " is not set: transaction pooling is for a pgbouncer in front of PostgreSQL;"
                    + " set DATABASE_URL to it, or leave pool_mode at session");
        }
        if (mode == OrchestratorSettings.PoolMode.TRANSACTION && c.find(directUrl).isEmpty()) {
            throw new ConfigException(poolMode.path() + " is transaction (from " + where(c, poolMode) + ") but "
                    + directUrl.path() + " is not set: LISTEN/NOTIFY wake-ups and migrations need a session; set"
                    + " DATABASE_DIRECT_URL to PostgreSQL itself (or to a pgbouncer database in session mode)");
        }
        return new OrchestratorSettings.Database(c.find(databaseUrl).map(Secret::new), c.get(poolSize), c.get(maxOverflow),
                c.get(statementTimeoutSeconds), mode, c.find(directUrl).map(Secret::new));
    }

    /** {@code orchestrator.pid_file}, {@code log_file}, {@code drain_delay_seconds}: the files default to the data directory. */
    private OrchestratorSettings.Lifecycle lifecycle(ResolvedConfig c) {
        Path data = c.get(dataDir);
        return new OrchestratorSettings.Lifecycle(c.find(pidFile).orElse(data.resolve("orchestrator.pid")),
                c.find(processLogFile).orElse(data.resolve("orchestrator.log")), c.get(drainDelaySeconds));
    }

    /** {@code robots.*}, with the rule that ties two of them: the timeout must cover at least three heartbeats. */
    private OrchestratorSettings.Robots robots(ResolvedConfig c) {
        int interval = c.get(heartbeatIntervalSeconds);
        int timeout = c.get(heartbeatTimeoutSeconds);
        if (timeout < 3 * interval) {
            throw new ConfigException(heartbeatTimeoutSeconds.path() + ": must be at least 3 times "
                    + heartbeatIntervalSeconds.path() + " (3 x " + interval + " = " + 3 * interval + " s), got " + timeout
                    + " (from " + where(c, heartbeatTimeoutSeconds) + "; " + heartbeatIntervalSeconds.path() + " "
                    + interval + " from " + where(c, heartbeatIntervalSeconds) + ")");
        }
        return new OrchestratorSettings.Robots(interval, timeout, c.get(cancelGraceSeconds), c.get(cancelResendSeconds),
                c.get(registerTimeoutSeconds), c.get(keyRecheckSeconds), c.get(releasePauseSeconds),
                new OrchestratorSettings.MessageRate(c.get(messagesPerSecond), c.get(messageBurst)),
                new OrchestratorSettings.ConnectLimit(c.get(connectPerMinute), c.get(connectBurst), c.get(maxRegistering)));
    }

    /** {@code auth.*}, with Argon2's own rule: at least 8 KiB of memory per lane. */
    private OrchestratorSettings.Auth auth(ResolvedConfig c) {
        int memory = c.get(argon2MemoryKib);
        int lanes = c.get(argon2Parallelism);
        if (memory < 8 * lanes) {
            throw new ConfigException(argon2MemoryKib.path() + ": must be at least 8 KiB per lane of " + argon2Parallelism.path()
                    + " (8 x " + lanes + " = " + 8 * lanes + "), got " + memory + " (from " + where(c, argon2MemoryKib) + ")");
        }
        return new OrchestratorSettings.Auth(memory, c.get(argon2Iterations), lanes, c.get(passwordMinLength),
                c.get(lockoutAttempts), c.get(lockoutMinutes), c.get(accessTokenMinutes), c.get(sessionHours),
                c.get(passwordTokenHours), c.get(personalTokenMaxDays));
    }

    /** {@code oidc.*}: empty while the issuer is unset; with one, the client id is required. */
    private Optional<OrchestratorSettings.Oidc> oidc(ResolvedConfig c) {
        Optional<URI> issuer = c.find(oidcIssuer);
        if (issuer.isEmpty()) {
            return Optional.empty();
        }
        String clientId = c.find(oidcClientId).map(String::strip).filter(id -> !id.isEmpty()).orElseThrow(() -> new ConfigException(
                oidcClientId.path() + ": required when " + oidcIssuer.path() + " is set (from " + where(c, oidcIssuer)
                        + "); set it to the client id the provider gave this orchestrator, e.g. CASARE_OIDC_CLIENT_ID"));
        OrchestratorSettings.Oidc oidc = new OrchestratorSettings.Oidc(issuer.get(), clientId,
                c.find(oidcClientSecret).map(Secret::new), c.find(oidcRedirectUri), c.get(oidcScopes),
                c.get(oidcGroupsClaim).strip(), c.get(oidcUsernameClaim).strip(), c.get(oidcAutoCreateUsers),
                c.get(oidcDisplayName).strip());
        OidcRules.requireSafeForProduction(oidc, c.find(databaseUrl).isPresent());
        return Optional.of(oidc);
    }

    private static String where(ResolvedConfig c, Setting<?> setting) {
        var v = c.resolved(setting);
        return v.source().describe(v.where());
    }

    /** A light check only (the Redis client parses the URL): redis:// or rediss:// (TLS). */
    private static ValueType<String> redisUrlType() {
        return ValueType.of("a redis://[:password@]host[:port][/database] or rediss:// URL", text -> {
            String lower = text.strip().toLowerCase(Locale.ROOT);
            if (lower.startsWith("redis://") || lower.startsWith("rediss://")) {
                return text.strip();
            }
            throw new IllegalArgumentException("unsupported scheme");
        }, text -> text);
    }

    private static java.util.Map<String, OrchestratorSettings.PoolMode> poolModes() {
        java.util.Map<String, OrchestratorSettings.PoolMode> modes = new java.util.LinkedHashMap<>();
        modes.put("session", OrchestratorSettings.PoolMode.SESSION);
        modes.put("transaction", OrchestratorSettings.PoolMode.TRANSACTION);
        return modes;
    }

    /** A light check only (the store parses the URL): the scheme must be one we can connect with. */
    private static ValueType<String> databaseUrlType() {
        return ValueType.of("a postgresql://user:password@host:port/database or jdbc: URL", text -> {
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("postgresql://") || lower.startsWith("postgres://") || lower.startsWith("jdbc:")) {
                return text;
            }
            throw new IllegalArgumentException("unsupported scheme");
        }, text -> text);
    }

    /** Each word as itself: a choice of the names of a domain enum, which config does not know. */
    private static Map<String, String> words(String... names) {
        Map<String, String> words = new LinkedHashMap<>();
        for (String n : names) {
            words.put(n, n);
        }
        return words;
    }
}
