package com.casarerpa.orchestrator.config;

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
import java.util.List;
import java.util.Locale;
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
    final Setting<Integer> workers = Setting.of("orchestrator.workers", ValueType.integer(1),
            "request handling concurrency").withDefault("1").withEnv("ORCHESTRATOR_WORKERS").withFlag("--workers");
    final Setting<String> secretKey = Setting.of("orchestrator.secret_key", ValueType.string(), "JWT signing key (HS256)")
            .withEnv("ORCHESTRATOR_SECRET_KEY").asSecret();
    final Setting<Integer> tokenExpiryHours = Setting.of("orchestrator.token_expiry_hours", ValueType.integer(1),
            "lifetime of issued JWTs").withDefault("24");
    final Setting<Integer> requestsPerMinute = Setting.of("orchestrator.rate_limit.requests_per_minute",
            ValueType.integer(1), "sustained requests per minute per API key or client").withDefault("100");
    final Setting<Integer> burst = Setting.of("orchestrator.rate_limit.burst", ValueType.integer(1),
            "requests allowed at once above the rate").withDefault("20");
    final Setting<Path> dataDir;
    final Setting<URI> apiUrl = Setting.of("orchestrator.api_url", ValueType.httpUrl(),
            "public URL of the API, as robots and links should use it").withEnv("CASARE_API_URL");
    final Setting<URI> webhookUrl = Setting.of("orchestrator.webhook_url", ValueType.httpUrl(),
            "public base URL of webhook triggers").withEnv("CASARE_WEBHOOK_URL");

    final Setting<String> databaseUrl = Setting.of("database.url", databaseUrlType(),
            "PostgreSQL URL; unset means the embedded H2 database").withEnv("DATABASE_URL").asSecret(DatabaseUrlMask::mask);
    final Setting<Integer> poolSize = Setting.of("database.pool_size", ValueType.integer(1), "connection pool size")
            .withDefault("20");
    final Setting<Integer> maxOverflow = Setting.of("database.max_overflow", ValueType.integer(0),
            "extra connections allowed under load").withDefault("10");

    final Setting<Integer> maxRetries = Setting.of("queue.max_retries", ValueType.integer(0), "default retries of a job")
            .withDefault("3");
    final Setting<Integer> retryDelaySeconds = Setting.of("queue.retry_delay_seconds", ValueType.integer(0),
            "base delay before a retry").withDefault("60");
    final Setting<Integer> visibilityTimeoutSeconds = Setting.of("queue.visibility_timeout_seconds",
            ValueType.integer(1), "lease length of a claimed job").withDefault("300");

    final Setting<ZoneId> timezone = Setting.of("scheduler.timezone", ValueType.timeZone(),
            "default time zone of schedules").withDefault("UTC");
    final Setting<Integer> maxConcurrentSchedules = Setting.of("scheduler.max_concurrent_schedules",
            ValueType.integer(1), "schedule-started jobs active at once").withDefault("100");

    final Setting<Level> logLevel = Setting.of("logging.level", LoggingValues.level(), "root log level")
            .withDefault("INFO").withFlag("--debug");
    final Setting<LogFormat> logFormat = Setting.of("logging.format",
            LoggingValues.format(), "text or json lines")
            .withDefault("text");
    final Setting<Path> logPath;

    private final ConfigSchema schema;

    OrchestratorSchema(Path workingDir) {
        dataDir = Setting.of("orchestrator.data_dir", ValueType.path(workingDir),
                "directory of the embedded database and other local state").withDefault("./data").withEnv("CASARE_DATA_DIR");
        logPath = Setting.of("logging.path", ValueType.path(workingDir), "file that receives the log lines too");
        schema = new ConfigSchema("CASARE_", List.of(
                host, port, workers, secretKey, tokenExpiryHours, requestsPerMinute, burst, dataDir, apiUrl, webhookUrl,
                databaseUrl, poolSize, maxOverflow,
                maxRetries, retryDelaySeconds, visibilityTimeoutSeconds,
                timezone, maxConcurrentSchedules,
                logLevel, logFormat, logPath));
    }

    ConfigSchema schema() {
        return schema;
    }

    OrchestratorSettings settings(ResolvedConfig c) {
        return new OrchestratorSettings(
                new OrchestratorSettings.Server(c.get(host), c.get(port), c.get(workers), c.find(secretKey).map(Secret::new),
                        c.get(tokenExpiryHours), new OrchestratorSettings.RateLimit(c.get(requestsPerMinute), c.get(burst))),
                new OrchestratorSettings.Database(c.find(databaseUrl).map(Secret::new), c.get(poolSize), c.get(maxOverflow)),
                new OrchestratorSettings.Queue(c.get(maxRetries), c.get(retryDelaySeconds), c.get(visibilityTimeoutSeconds)),
                new OrchestratorSettings.Scheduler(c.get(timezone), c.get(maxConcurrentSchedules)),
                new LoggingSettings(c.get(logLevel), c.get(logFormat), c.find(logPath)),
                c.get(dataDir),
                c.find(apiUrl).map(URI::toString),
                c.find(webhookUrl).map(URI::toString));
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
}
