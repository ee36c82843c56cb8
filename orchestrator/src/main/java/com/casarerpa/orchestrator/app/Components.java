package com.casarerpa.orchestrator.app;

import com.casarerpa.common.cli.Version;
import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.api.ApiKeyRoutes;
import com.casarerpa.orchestrator.api.AuditRoutes;
import com.casarerpa.orchestrator.api.AuthRoutes;
import com.casarerpa.orchestrator.api.FolderRoutes;
import com.casarerpa.orchestrator.api.ForwardedHeaders;
import com.casarerpa.orchestrator.api.GroupRoutes;
import com.casarerpa.orchestrator.api.PersonalTokenRoutes;
import com.casarerpa.orchestrator.api.RoleRoutes;
import com.casarerpa.orchestrator.api.ServiceAccountRoutes;
import com.casarerpa.orchestrator.api.Authentication;
import com.casarerpa.orchestrator.api.EventRoutes;
import com.casarerpa.orchestrator.api.HealthRoutes;
import com.casarerpa.orchestrator.api.HttpApi;
import com.casarerpa.orchestrator.api.JobRoutes;
import com.casarerpa.orchestrator.api.MetricsRoutes;
import com.casarerpa.orchestrator.api.OidcRoutes;
import com.casarerpa.orchestrator.api.OpenApiDocument;
import com.casarerpa.orchestrator.api.OpenApiRoutes;
import com.casarerpa.orchestrator.api.OverviewRoutes;
import com.casarerpa.orchestrator.api.RateLimits;
import com.casarerpa.orchestrator.api.RequestMetrics;
import com.casarerpa.orchestrator.api.RobotJobRoutes;
import com.casarerpa.orchestrator.api.RobotRoutes;
import com.casarerpa.orchestrator.api.RouteGroup;
import com.casarerpa.orchestrator.api.ScheduleRoutes;
import com.casarerpa.orchestrator.api.SignInRoutes;
import com.casarerpa.orchestrator.api.UserRoutes;
import com.casarerpa.orchestrator.api.UserIdentityRoutes;
import com.casarerpa.orchestrator.api.WebhookRoutes;
import com.casarerpa.orchestrator.api.WorkflowRoutes;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.metrics.HttpMetrics;
import com.casarerpa.orchestrator.metrics.Metrics;
import com.casarerpa.orchestrator.scheduler.FireDueSchedules;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.AuditLog;
import com.casarerpa.orchestrator.service.FolderAccess;
import com.casarerpa.orchestrator.service.RateLimitPolicy;
import com.casarerpa.orchestrator.service.FleetPendingReasons;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.HealthService;
import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.service.RobotSignals;
import com.casarerpa.orchestrator.service.SharedTokenBuckets;
import com.casarerpa.orchestrator.service.SignIn;
import com.casarerpa.orchestrator.service.SingleSignOn;
import com.casarerpa.orchestrator.service.Tokens;
import com.casarerpa.orchestrator.service.AccessControl;
import com.casarerpa.orchestrator.service.ChangeFolders;
import com.casarerpa.orchestrator.service.LiveFeeds;
import com.casarerpa.orchestrator.service.UserSessions;
import com.casarerpa.orchestrator.service.UserTokens;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.FeedLookups;
import com.casarerpa.orchestrator.store.GaugeQueries;
import com.casarerpa.orchestrator.store.InstancePulses;
import com.casarerpa.orchestrator.store.KeyCache;
import com.casarerpa.orchestrator.store.RedisConnection;
import com.casarerpa.orchestrator.store.OrchestratorInstances;
import com.casarerpa.orchestrator.ws.ChannelSettings;
import com.casarerpa.orchestrator.ws.ConnectionGate;
import com.casarerpa.orchestrator.ws.RobotChannel;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One instance's parts over its {@link Services}: authentication, the robot channel, the
 * scheduler's pass and the HTTP routes. Plain construction, no container: reading this class
 * (and {@link Services}) tells what depends on what.
 */
final class Components {
    final Services services;
    /** This instance's change events (jobs, robots, schedule fires), after commit. */
    final ChangeEvents events;
    /** This instance's metrics (off unless {@code metrics.enabled}); its owner closes it. */
    final Metrics metrics;
    final Tokens tokens;
    final Authenticator authenticator;
    /** Signed-in people's sessions: their access tokens, refresh tokens and dashboard cookies. */
    final UserSessions userSessions;
    final RobotChannel robotChannel;
    /** This instance's pulse, beaten by its lease sweep before it judges robots. */
    final InstancePulses pulses;
    /** One pass of this instance's scheduler; {@link #scheduleChanged} wakes its loop. */
    final FireDueSchedules schedulePass;
    final AtomicReference<Runnable> scheduleChanged = new AtomicReference<>(() -> { });
    /** Wakes the dispatcher of this instance: hand it to whatever commits new jobs. */
    final DispatchSignal dispatch;
    /** The live feeds open on this instance; ended before the HTTP server drains. */
    final LiveFeeds liveFeeds;
    private final OrchestratorSettings settings;
    private final Database database;
    private final RateLimits rateLimits;
    /** Single sign-on; empty while {@code oidc.issuer} is unset. */
    private final Optional<SingleSignOn> singleSignOn;

    /**
     * @param signals told when jobs become claimable (the dispatchers of this and, through the
     *                database, other instances)
     * @param metrics this instance's metrics, fed by the parts built here
     * @param redis   the connection to Redis when {@code redis.url} is set: shared rate limits
     * @param keyCache where requests' API keys are looked up (the cache in Redis, or {@link KeyCache#none()})
     */
    Components(Database database, OrchestratorSettings settings, Secret signingKey, JobSignals signals,
            RobotSignals robotSignals, Metrics metrics, Clock clock, Optional<RedisConnection> redis, KeyCache keyCache) {
        this.settings = settings;
        this.database = database;
        // The instance id is the robot channel's, made below (nothing is published before).
        AtomicReference<String> instanceId = new AtomicReference<>("");
        events = new ChangeEvents(instanceId::get, clock);
        this.metrics = metrics;
        services = new Services(database, settings, new Services.Signals(signals, robotSignals,
                () -> scheduleChanged.get().run(), events), metrics.robots(), clock, keyCache);
        // With or without Redis: a revocation then only updates the key generation's row (ApiKeyStore#revoke).
        new ApiKeyStore(services.jdbi).prepareGeneration();
        redis.ifPresent(metrics::redis);
        metrics.observe(events);
        metrics.readShared(new GaugeQueries(services.jdbi));
        metrics.pool(database.dataSource());
        OrchestratorSettings.ConnectLimit connect = settings.robots().connectLimit();
        RateLimitPolicy connections = new RateLimitPolicy(connect.perMinute(), connect.burst());
        rateLimits = redis.map(r -> RateLimits.from(settings.orchestrator().rateLimit(), connections, metrics.http(),
                        SharedTokenBuckets.over(r)))
                .orElseGet(() -> RateLimits.from(settings.orchestrator().rateLimit(), connections, metrics.http()));
        tokens = new Tokens(services.apiKeys, signingKey, Duration.ofHours(settings.orchestrator().tokenExpiryHours()), clock);
        userSessions = new UserSessions(services.sessionStore, services.apiKeys, new UserTokens(signingKey, clock),
                new AccessControl(new AccessStore(services.jdbi)), services.signInPolicy, services.audit, clock);
        authenticator = new Authenticator(services.apiKeys, tokens, userSessions);
        singleSignOn = services.oidcAccounts.map(accounts -> new SingleSignOn(settings.oidc().orElseThrow(), signingKey, accounts,
                userSessions, clock));
        robotChannel = robotChannel();
        instanceId.set(robotChannel.instanceId());
        metrics.instance(robotChannel.instanceId(), Version.current(), database.dialect().name().toLowerCase(Locale.ROOT));
        dispatch = robotChannel.dispatchSignal();
        pulses = InstancePulses.forHeartbeatTimeout(services.jdbi, database.dialect(), robotChannel.instanceId(),
                settings.robots().heartbeatTimeoutSeconds()).describedAs(identity());
        liveFeeds = new LiveFeeds(events, new ChangeFolders(new FeedLookups(services.jdbi), FolderAccess.on(services.jdbi)::tree,
                System::nanoTime), settings.orchestrator().rateLimit().feedsPerCaller());
        metrics.liveFeeds(liveFeeds::open);
        schedulePass = new FireDueSchedules(services.scheduleFiring, services.scheduleStore, signals, clock, metrics.schedules());
    }

    /** What this instance records of itself for {@code GET /api/v1/instances}: host, process id, version. */
    private static OrchestratorInstances.Identity identity() {
        Optional<String> host;
        try {
            host = Optional.of(java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException e) {
            host = Optional.ofNullable(System.getenv("HOSTNAME"));
        }
        return new OrchestratorInstances.Identity(host, Optional.of(ProcessHandle.current().pid()), Optional.of(Version.current()));
    }

    /** Where webhooks are reachable from outside: {@code orchestrator.webhook_url}, else {@code api_url}/webhooks. */
    private Optional<String> webhookBase() {
        return settings.publicWebhookUrl().or(() -> settings.publicApiUrl()
                .map(api -> (api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + WebhookRoutes.RECEIVE));
    }

    /** The callback URL registered at the provider: {@code oidc.redirect_uri}, else {@code api_url} + the callback path. */
    private Optional<URI> oidcRedirectUri() {
        return settings.oidc().flatMap(OrchestratorSettings.Oidc::redirectUri).or(() -> settings.publicApiUrl()
                .map(api -> URI.create((api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + OidcRoutes.CALLBACK)));
    }

    /** Every route group of the HTTP API, the request's origin and authentication first; {@code /metrics} when metrics are enabled. */
    List<RouteGroup> routes(HealthService health) {
        Services s = services;
        SignInRoutes.Cookies cookies = new SignInRoutes.Cookies(s.signInPolicy.session(),
                settings.publicApiUrl().map(u -> u.toLowerCase(Locale.ROOT).startsWith("https:")).orElse(false));
        List<RouteGroup> routes = new ArrayList<>(List.of(
                new ForwardedHeaders(settings.ingress()),
                new Authentication(authenticator, rateLimits, settings.metrics().openTo()),
                new HealthRoutes(health),
                new OpenApiRoutes(OpenApiDocument.load()),
                new AuthRoutes(tokens, rateLimits, s.clock),
                new SignInRoutes(new SignIn(s.userStore, userSessions, s.passwords, s.signInPolicy, s.audit, s.clock), userSessions,
                        s.passwordTokens, s.users, rateLimits, cookies),
                new UserRoutes(s.users),
                new OidcRoutes(singleSignOn, oidcRedirectUri(), rateLimits, userSessions, cookies),
                new UserIdentityRoutes(s.userIdentities),
                new ApiKeyRoutes(s.apiKeys, s.clock),
                new FolderRoutes(s.access.folders(), s.access.bindings()),
                new GroupRoutes(s.access.groups()),
                new ServiceAccountRoutes(s.access.serviceAccounts(), s.clock),
                new RoleRoutes(s.access.roles()),
                new PersonalTokenRoutes(s.access.personalTokens(), s.clock),
                new AuditRoutes(new AuditLog(s.audit, FolderAccess.on(s.jdbi))),
                new WorkflowRoutes(s.workflows.service(), s.workflows.transfer(), s.schedules, s.workflows.health()),
                new ScheduleRoutes(s.schedules),
                new WebhookRoutes(s.webhooks, webhookBase()),
                new JobRoutes(s.jobService),
                new EventRoutes(liveFeeds, FolderAccess.on(s.jdbi), s.jobService.queries(), authenticator,
                        Duration.ofSeconds(Math.min(30, settings.robots().keyRecheckSeconds()))),
                new RobotRoutes(s.robots, s.robotFolders, FolderAccess.on(s.jdbi), s.robotActivity, s.clock,
                        Duration.ofSeconds(settings.robots().heartbeatTimeoutSeconds())),
                new OverviewRoutes(s.overview, s.instanceList),
                new RobotJobRoutes(s.robotJobs, metrics.robots()),
                robotChannel::register));
        if (metrics.enabled()) {
            routes.add(new MetricsRoutes(metrics));
        }
        return routes;
    }

    /** What the HTTP server tells of each request answered: the request metrics, when enabled. */
    HttpApi.Observer requestObserver() {
        return metrics.enabled() ? new RequestMetrics(metrics.http()) : HttpApi.Observer.NONE;
    }

    /**
     * The robot WebSocket channel (one per instance). Opening a connection counts against the
     * key's connection budget ({@code robots.connect_limit.*}); a refused handshake against the
     * client address, as a refused REST request does.
     */
    private RobotChannel robotChannel() {
        Services s = services;
        ConnectionGate gate = new ConnectionGate() {
            @Override
            public void beforeCredentials(Context ctx, Optional<String> credential) {
                rateLimits.beforeCredentials(ctx, credential);
            }

            @Override
            public void refused(Context ctx) {
                rateLimits.credentialsRefused(ctx);
            }

            @Override
            public void admit(Context ctx, Actor actor, String credential) {
                rateLimits.enforceConnection(ctx, actor);
                rateLimits.credentialsAccepted(credential);
            }

            @Override
            public void crowded(Context ctx) {
                metrics.http().rateLimited(HttpMetrics.RateLimitScope.ROBOT_REGISTERING);
            }
        };
        return new RobotChannel(s.robots, s.robotJobs, s.dispatching, authenticator, gate,
                channelSettings(settings), s.clock, metrics);
    }

    /** The robot channel's timings: the {@code robots.*} keys and the lease length of {@code queue.*}. */
    static ChannelSettings channelSettings(OrchestratorSettings settings) {
        OrchestratorSettings.Robots r = settings.robots();
        ChannelSettings defaults = ChannelSettings.defaults(settings.queue().visibilityTimeoutSeconds());
        return new ChannelSettings(r.heartbeatIntervalSeconds(), r.heartbeatTimeoutSeconds(),
                settings.queue().visibilityTimeoutSeconds(), r.cancelGraceSeconds(), Duration.ofSeconds(r.registerTimeoutSeconds()),
                Duration.ofSeconds(r.keyRecheckSeconds()), defaults.drainClose(), defaults.poll(),
                Duration.ofSeconds(r.releasePauseSeconds()), Duration.ofSeconds(r.cancelResendSeconds()),
                r.messageRate().messagesPerSecond(), r.messageRate().burst(), r.connectLimit().registering());
    }
}
