package com.casarerpa.orchestrator.config;

import com.casarerpa.common.config.Secret;
import com.casarerpa.common.logging.LoggingSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The effective configuration of one orchestrator instance, after flags, environment, YAML file
 * and defaults have been merged and validated (see {@link OrchestratorConfig}). Immutable.
 */
public record OrchestratorSettings(
        Server orchestrator,
        Database database,
        Queue queue,
        Robots robots,
        Scheduler scheduler,
        Retention retention,
        Metrics metrics,
        Auth auth,
        Optional<Oidc> oidc,
        LoggingSettings logging,
        Path dataDir,
        Optional<String> publicApiUrl,
        Optional<String> publicWebhookUrl,
        Ingress ingress,
        Optional<Redis> redis,
        Lifecycle lifecycle) {

    /** {@code orchestrator.*}: where the server listens and how it authenticates. */
    public record Server(
            String host,
            int port,
            int workers,
            Optional<Secret> secretKey,
            int tokenExpiryHours,
            RateLimit rateLimit) {}

    /**
     * {@code orchestrator.rate_limit.*}: a token bucket per API key or client address, and the
     * live feeds one caller may hold open on one instance.
     */
    public record RateLimit(int requestsPerMinute, int burst, int feedsPerCaller) {}

    /**
     * {@code database.*}. An empty {@code url} means the embedded H2 database under
     * {@link OrchestratorSettings#dataDir()}. {@code statementTimeoutSeconds} bounds each statement
     * the server runs for a request or a sweep (0: no bound); migrations have none.
     */
    public record Database(Optional<Secret> url, int poolSize, int maxOverflow, int statementTimeoutSeconds,
            PoolMode poolMode, Optional<Secret> directUrl) {
        /** Straight to PostgreSQL or through a session-pooling pgbouncer, with no direct URL. */
        public Database(Optional<Secret> url, int poolSize, int maxOverflow, int statementTimeoutSeconds) {
            this(url, poolSize, maxOverflow, statementTimeoutSeconds, PoolMode.SESSION, Optional.empty());
        }

        public boolean embedded() {
            return url.isEmpty();
        }
    }

    /**
     * {@code redis.*}: the optional Redis that shares rate limits between instances and caches API
     * keys (docs/operations.md, "Redis"); present only when {@code redis.url} is set.
     *
     * @param url       as configured, password included
     * @param display   the URL without its password, for logs
     * @param keyPrefix before every key this installation writes
     * @param timeout   the longest a command may take before the request goes on without Redis
     */
    public record Redis(Secret url, String display, String keyPrefix, java.time.Duration timeout) {}

    /**
     * {@code database.pool_mode}: how a pooler in front of PostgreSQL hands out server
     * connections. {@code TRANSACTION} (pgbouncer's {@code pool_mode = transaction}) turns off
     * server-side prepared statements and takes LISTEN and migrations over
     * {@code database.direct_url}, which is then required.
     */
    public enum PoolMode { SESSION, TRANSACTION }

    /**
     * How the instance runs as a process (docs/operations.md, "Starting, stopping and status").
     *
     * @param pidFile           written by {@code start} once the server is up, read by {@code status} and {@code stop}
     * @param logFile           where {@code start --daemon} sends the server's standard output and error
     * @param drainDelaySeconds on SIGTERM, how long {@code /ready} answers 503 before robots are drained and the
     *                          HTTP server stops, for load balancers that poll {@code /ready}
     */
    public record Lifecycle(Path pidFile, Path logFile, int drainDelaySeconds) {}

    /** {@code queue.*}: retry and lease policy of the job queue. */
    public record Queue(int maxRetries, int retryDelaySeconds, int visibilityTimeoutSeconds) {}

    /**
     * {@code robots.*}: the timings of the robot channel (docs/websocket-api.md, "Timing rules"),
     * in seconds; the heartbeat timeout is at least three heartbeat intervals.
     */
    public record Robots(int heartbeatIntervalSeconds, int heartbeatTimeoutSeconds, int cancelGraceSeconds,
            int cancelResendSeconds, int registerTimeoutSeconds, int keyRecheckSeconds, int releasePauseSeconds,
            MessageRate messageRate, ConnectLimit connectLimit) {}

    /** {@code robots.rate_limit.*}: a token bucket per robot connection. */
    public record MessageRate(int messagesPerSecond, int burst) {}

    /**
     * {@code robots.connect_limit.*}: opening robot connections (docs/websocket-api.md,
     * "Reconnect storms"): a token bucket per API key, apart from its request budget, and the
     * connections one instance accepts at once before they registered (503 above it).
     */
    public record ConnectLimit(int perMinute, int burst, int registering) {}

    /**
     * {@code scheduler.*}: cron triggers; {@code overLimitPolicy}, what a fire over
     * {@code maxConcurrentSchedules} does: {@code queue} or {@code skip} (domain OverLimitPolicy).
     */
    public record Scheduler(ZoneId timezone, int maxConcurrentSchedules, String overLimitPolicy) {}

    /**
     * {@code retention.*}: how long finished jobs (with their logs and attempts), schedule fires and
     * audit events are kept before the purge deletes them (docs/operations.md, "Retention"); an age
     * of 0 keeps that kind for ever.
     *
     * @param batchSize       rows (jobs: jobs with what hangs off them) deleted per transaction
     * @param intervalMinutes how often an instance tries to take the purge's lease and purge
     */
    public record Retention(boolean enabled, int jobsDays, int scheduleFiresDays, int auditDays, int batchSize,
            int intervalMinutes) {}

    /**
     * {@code auth.*}: people's sign-in (docs/access.md, "People and sign-in"): the Argon2id cost
     * of password hashes, the password rule, lockout, and the lifetimes of access tokens,
     * sessions and one-time password tokens; and the longest lifetime of a personal API token.
     */
    public record Auth(int argon2MemoryKib, int argon2Iterations, int argon2Parallelism, int passwordMinLength,
            int lockoutAttempts, int lockoutMinutes, int accessTokenMinutes, int sessionHours, int passwordTokenHours,
            int personalTokenMaxDays) {}

    /**
     * {@code metrics.*}: Prometheus metrics at {@code /metrics} (docs/monitoring.md).
     *
     * @param enabled false: no route, nothing recorded
     * @param openTo  client networks that read them without a key (unless the request was forwarded)
     */
    public record Metrics(boolean enabled, List<NetworkRange> openTo) {
        public Metrics {
            openTo = List.copyOf(openTo);
        }
    }

    /**
     * {@code oidc.*}: single sign-on through an OpenID Connect provider (docs/access.md, "Single
     * sign-on"); present only when {@code oidc.issuer} is set.
     *
     * @param issuer          the provider's issuer URL; its discovery document is at
     *                        {@code <issuer>/.well-known/openid-configuration}
     * @param clientId        this orchestrator's client id at the provider
     * @param clientSecret    its client secret; empty for a public client (embedded database only)
     * @param redirectUri     the callback URL registered at the provider; empty: {@code api_url}
     *                        or the request's own scheme and host, + {@code /api/v1/auth/oidc/callback}
     * @param scopes          asked for at sign-in; {@code openid} among them
     * @param groupsClaim     the claim listing the user's groups (a dotted path reaches into objects)
     * @param usernameClaim   the claim a new user's username comes from
     * @param autoCreateUsers whether an identity no user is linked to gets a new user
     * @param displayName     the label of the sign-in button
     */
    public record Oidc(URI issuer, String clientId, Optional<Secret> clientSecret, Optional<URI> redirectUri,
            List<String> scopes, String groupsClaim, String usernameClaim, boolean autoCreateUsers, String displayName) {
        public Oidc {
            scopes = List.copyOf(scopes);
        }
    }

    /**
     * How requests reach this server (docs/operations.md, "TLS" and "Trusted proxies and
     * forwarded headers").
     *
     * @param tls                 HTTPS and WSS on the one port; empty: plain HTTP
     * @param trustedProxies      peers whose forwarding headers are believed; empty: none (the default)
     * @param clientAddressHeader the one header such a proxy names the client in
     * @param trustHostHeader     whether URLs made for a request may use its {@code Host} header
     *                            when no public URL is configured
     */
    public record Ingress(Optional<Tls> tls, List<NetworkRange> trustedProxies, ClientAddressHeader clientAddressHeader,
            boolean trustHostHeader) {
        public Ingress {
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** Plain HTTP, no proxy trusted, no Host header believed: what a server gets without configuration. */
        public static Ingress direct() {
            return new Ingress(Optional.empty(), List.of(), ClientAddressHeader.X_FORWARDED_FOR, false);
        }
    }

    /** {@code orchestrator.ssl_cert} and {@code ssl_key}: PEM files, read at start and again when they change. */
    public record Tls(Path certificateFile, Path keyFile) {}
}
