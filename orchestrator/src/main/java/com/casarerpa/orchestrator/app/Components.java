package com.casarerpa.orchestrator.app;

import com.casarerpa.common.config.Secret;
import com.casarerpa.orchestrator.api.Access;
import com.casarerpa.orchestrator.api.ApiKeyRoutes;
import com.casarerpa.orchestrator.api.AuditRoutes;
import com.casarerpa.orchestrator.api.AuthRoutes;
import com.casarerpa.orchestrator.api.Authentication;
import com.casarerpa.orchestrator.api.HealthRoutes;
import com.casarerpa.orchestrator.api.JobRoutes;
import com.casarerpa.orchestrator.api.OpenApiDocument;
import com.casarerpa.orchestrator.api.OpenApiRoutes;
import com.casarerpa.orchestrator.api.RateLimits;
import com.casarerpa.orchestrator.api.RobotJobRoutes;
import com.casarerpa.orchestrator.api.RobotRoutes;
import com.casarerpa.orchestrator.api.RouteGroup;
import com.casarerpa.orchestrator.api.ScheduleRoutes;
import com.casarerpa.orchestrator.api.WebhookRoutes;
import com.casarerpa.orchestrator.api.WorkflowRoutes;
import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.scheduler.FireDueSchedules;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.TriggerReferences;
import com.casarerpa.orchestrator.service.TriggerSignals;
import com.casarerpa.orchestrator.service.Webhooks;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import com.casarerpa.orchestrator.store.WebhookStore;
import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.AuditLog;
import com.casarerpa.orchestrator.service.FleetPendingReasons;
import com.casarerpa.orchestrator.service.Authenticator;
import com.casarerpa.orchestrator.service.DispatchSignal;
import com.casarerpa.orchestrator.service.HealthService;
import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.service.JobReferences;
import com.casarerpa.orchestrator.service.JobService;
import com.casarerpa.orchestrator.service.RestRobotJobs;
import com.casarerpa.orchestrator.service.RobotSignals;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.orchestrator.service.Tokens;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.InstancePulses;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.JobPayloads;
import com.casarerpa.orchestrator.store.JobReaping;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.RobotLeases;
import com.casarerpa.orchestrator.store.RobotStore;
import com.casarerpa.orchestrator.ws.ChannelSettings;
import com.casarerpa.orchestrator.ws.ChannelStores;
import com.casarerpa.orchestrator.ws.ConnectionGate;
import com.casarerpa.orchestrator.ws.RobotChannel;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;

/**
 * The stores and services of one instance, built once from its database and settings. Plain
 * construction, no container: reading this class tells what depends on what.
 */
final class Components {
    final Clock clock;
    final Jdbi jdbi;
    final AuditStore audit;
    final ApiKeys apiKeys;
    final Tokens tokens;
    final Authenticator authenticator;
    final Workflows workflows;
    final JobStore jobs;
    final JobClaims claims;
    final JobReports reports;
    final JobReaping reaping;
    final RobotStore robotStore;
    final Robots robots;
    final RestRobotJobs restRobotJobs;
    final JobService jobService;
    final RobotChannel robotChannel;
    /** This instance's pulse, beaten by its lease sweep before it judges robots. */
    final InstancePulses pulses;
    final Schedules schedules;
    final Webhooks webhooks;
    /** One pass of this instance's scheduler; {@link #scheduleChanged} wakes its loop. */
    final FireDueSchedules schedulePass;
    final AtomicReference<Runnable> scheduleChanged = new AtomicReference<>(() -> { });
    private final ScheduleStore scheduleStore;
    private final DispatchQueries dispatchQueries;
    /** Wakes the dispatcher of this instance: hand it to whatever commits new jobs. */
    final DispatchSignal dispatch;
    private final OrchestratorSettings settings;
    private final Database database;
    private final RateLimits rateLimits;

    /**
     * @param signals told when jobs become claimable (the dispatchers of this and, through the
     *                database, other instances)
     */
    Components(Database database, OrchestratorSettings settings, Secret signingKey, JobSignals signals,
            RobotSignals robotSignals, Clock clock) {
        this.clock = clock;
        this.settings = settings;
        this.database = database;
        rateLimits = RateLimits.from(settings.orchestrator().rateLimit());
        jdbi = Jdbi3.of(database, settings.database().statementTimeoutSeconds());
        audit = new AuditStore(jdbi, clock);
        apiKeys = new ApiKeys(new ApiKeyStore(jdbi), audit, clock);
        tokens = new Tokens(apiKeys, signingKey, Duration.ofHours(settings.orchestrator().tokenExpiryHours()), clock);
        authenticator = new Authenticator(apiKeys, tokens);
        jobs = new JobStore(jdbi);
        scheduleStore = new ScheduleStore(jdbi);
        WebhookStore webhookStore = new WebhookStore(jdbi);
        // Jobs pin workflow versions, schedules and webhooks start workflows: a workflow delete
        // is refused while any exist, a cascade removes them.
        workflows = Workflows.on(jdbi, audit, List.of(new TriggerReferences(scheduleStore, webhookStore),
                new JobReferences(jobs)), clock);
        claims = new JobClaims(jdbi, database.dialect());
        RetryPolicy retries = new RetryPolicy(Duration.ofSeconds(settings.queue().retryDelaySeconds()), RetryPolicy.DEFAULT_CAP);
        reports = new JobReports(jdbi, database.dialect(), retries, new SecureRandom());
        reaping = new JobReaping(jdbi, database.dialect(), reports);
        robotStore = new RobotStore(jdbi, database.dialect());
        dispatchQueries = new DispatchQueries(jdbi);
        robots = new Robots(robotStore, audit, robotSignals);
        restRobotJobs = new RestRobotJobs(robots, claims, reports, new JobPayloads(jdbi));
        robotChannel = robotChannel();
        dispatch = robotChannel.dispatchSignal();
        pulses = InstancePulses.forHeartbeatTimeout(jdbi, database.dialect(), robotChannel.instanceId(),
                settings.robots().heartbeatTimeoutSeconds());
        jobService = JobService.on(jdbi, jobs, reports, workflows.service(), audit, clock, settings.queue().maxRetries(),
                new FleetPendingReasons(robots, dispatchQueries, clock), signals);
        ScheduleFiring firing = new ScheduleFiring(jdbi, database.dialect(), jobs, new JobIds(clock, new SecureRandom()), clock,
                settings.scheduler().maxConcurrentSchedules());
        Schedules.Defaults defaults = new Schedules.Defaults(settings.scheduler().timezone(), settings.queue().maxRetries());
        schedules = new Schedules(scheduleStore, firing, workflows.service(), audit, clock, defaults,
                TriggerSignals.of(signals, () -> scheduleChanged.get().run()));
        webhooks = new Webhooks(webhookStore, jobs, workflows.service(), audit, clock, defaults, signals);
        schedulePass = new FireDueSchedules(firing, scheduleStore, signals, clock);
    }

    /** Where webhooks are reachable from outside: {@code orchestrator.webhook_url}, else {@code api_url}/webhooks. */
    private Optional<String> webhookBase() {
        return settings.publicWebhookUrl().or(() -> settings.publicApiUrl()
                .map(api -> (api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + WebhookRoutes.RECEIVE));
    }

    /** Every route group of the HTTP API, authentication first. */
    List<RouteGroup> routes(HealthService health) {
        return List.of(
                new Authentication(authenticator, rateLimits),
                new HealthRoutes(health),
                new OpenApiRoutes(OpenApiDocument.load()),
                new AuthRoutes(tokens, rateLimits, clock),
                new ApiKeyRoutes(apiKeys, clock),
                new AuditRoutes(new AuditLog(audit)),
                new WorkflowRoutes(workflows.service(), workflows.transfer(), schedules),
                new ScheduleRoutes(schedules),
                new WebhookRoutes(webhooks, webhookBase()),
                new JobRoutes(jobService),
                new RobotRoutes(robots, clock),
                new RobotJobRoutes(restRobotJobs, settings.queue().visibilityTimeoutSeconds()),
                robotChannel::register);
    }

    /**
     * The robot WebSocket channel (one per instance). Opening a connection counts against the
     * key's robot rate budget; a refused handshake against the client address, as a refused REST
     * request does.
     */
    private RobotChannel robotChannel() {
        ChannelStores stores = new ChannelStores(robots, robotStore, jobs, claims, reports, new JobPayloads(jdbi),
                new JobLogs(jdbi), new RobotLeases(jdbi, database.dialect()), dispatchQueries);
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
                rateLimits.enforce(ctx, Access.ROBOT, Optional.of(actor));
                rateLimits.credentialsAccepted(credential);
            }
        };
        return new RobotChannel(stores, authenticator, gate, channelSettings(settings), clock);
    }

    /** The robot channel's timings: the {@code robots.*} keys and the lease length of {@code queue.*}. */
    static ChannelSettings channelSettings(OrchestratorSettings settings) {
        OrchestratorSettings.Robots r = settings.robots();
        ChannelSettings defaults = ChannelSettings.defaults(settings.queue().visibilityTimeoutSeconds());
        return new ChannelSettings(r.heartbeatIntervalSeconds(), r.heartbeatTimeoutSeconds(),
                settings.queue().visibilityTimeoutSeconds(), r.cancelGraceSeconds(), Duration.ofSeconds(r.registerTimeoutSeconds()),
                Duration.ofSeconds(r.keyRecheckSeconds()), defaults.drainClose(), defaults.poll(),
                Duration.ofSeconds(r.releasePauseSeconds()), Duration.ofSeconds(r.cancelResendSeconds()),
                r.messageRate().messagesPerSecond(), r.messageRate().burst());
    }
}
