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
        Metrics metrics,
        Auth auth,
        Optional<Oidc> oidc,
        LoggingSettings logging,
        Path dataDir,
        Optional<String> publicApiUrl,
        Optional<String> publicWebhookUrl,
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
    public record Database(Optional<Secret> url, int poolSize, int maxOverflow, int statementTimeoutSeconds) {
        public boolean embedded() {
            return url.isEmpty();
        }
    }

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
            MessageRate messageRate) {}

    /** {@code robots.rate_limit.*}: a token bucket per robot connection. */
    public record MessageRate(int messagesPerSecond, int burst) {}

    /** {@code scheduler.*}: cron triggers. */
    public record Scheduler(ZoneId timezone, int maxConcurrentSchedules) {}

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
}
