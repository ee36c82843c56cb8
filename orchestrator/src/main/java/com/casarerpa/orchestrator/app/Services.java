package com.casarerpa.orchestrator.app;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.OverLimitPolicy;
import com.casarerpa.orchestrator.domain.RetryPolicy;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.service.AccessAdministration;
import com.casarerpa.orchestrator.service.AccessControl;
import com.casarerpa.orchestrator.service.ApiKeys;
import com.casarerpa.orchestrator.service.Dispatching;
import com.casarerpa.orchestrator.service.FleetPendingReasons;
import com.casarerpa.orchestrator.service.PendingReasons;
import com.casarerpa.orchestrator.service.FolderAccess;
import com.casarerpa.orchestrator.service.InstanceList;
import com.casarerpa.orchestrator.service.Overview;
import com.casarerpa.orchestrator.service.RobotActivity;
import com.casarerpa.orchestrator.service.RobotSampling;
import com.casarerpa.orchestrator.service.JobReferences;
import com.casarerpa.orchestrator.service.JobService;
import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.service.RobotFolders;
import com.casarerpa.orchestrator.service.RobotJobs;
import com.casarerpa.orchestrator.service.RobotSignals;
import com.casarerpa.orchestrator.service.Robots;
import com.casarerpa.orchestrator.service.PasswordHasher;
import com.casarerpa.orchestrator.service.PasswordTokens;
import com.casarerpa.orchestrator.service.Schedules;
import com.casarerpa.orchestrator.service.SignInPolicy;
import com.casarerpa.orchestrator.service.Users;
import com.casarerpa.orchestrator.service.TriggerReferences;
import com.casarerpa.orchestrator.service.OidcAccounts;
import com.casarerpa.orchestrator.service.TriggerSignals;
import com.casarerpa.orchestrator.service.UserIdentities;
import com.casarerpa.orchestrator.service.Webhooks;
import com.casarerpa.orchestrator.service.Workflows;
import com.casarerpa.orchestrator.store.AccessStore;
import com.casarerpa.orchestrator.store.ApiKeyStore;
import com.casarerpa.orchestrator.store.AuditStore;
import com.casarerpa.orchestrator.store.BindingStore;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.GroupMemberships;
import com.casarerpa.orchestrator.store.DispatchQueries;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.HeldJobs;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.JobPayloads;
import com.casarerpa.orchestrator.store.JobReaping;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.CoalescedKeyLookups;
import com.casarerpa.orchestrator.store.KeyCache;
import com.casarerpa.orchestrator.store.PasswordResetStore;
import com.casarerpa.orchestrator.store.SessionStore;
import com.casarerpa.orchestrator.store.UserStore;
import com.casarerpa.orchestrator.store.RobotLeases;
import com.casarerpa.orchestrator.store.RobotSamples;
import com.casarerpa.orchestrator.store.RobotStore;
import com.casarerpa.orchestrator.store.OrchestratorInstances;
import com.casarerpa.orchestrator.store.OverviewQueries;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import com.casarerpa.orchestrator.store.UserIdentityStore;
import com.casarerpa.orchestrator.store.WebhookStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The stores and services over one database, built one way for the server ({@link Components}
 * adds HTTP, the robot channel and the loops) and for the CLI commands that work on the
 * database directly: database, then stores, then services, nothing of HTTP or WebSocket. A
 * command thus gets the same rules as the API (workflow references, statement timeout, defaults),
 * and nothing here starts a thread or holds a resource beyond the caller's {@link Database}.
 */
public final class Services {
    /**
     * Whom the services tell of their changes: the dispatchers (jobs claimable), the robot
     * channels (robots changed), the scheduler loop (schedules changed).
     */
    public record Signals(JobSignals jobs, RobotSignals robots, Runnable schedulesChanged, ChangeEvents events) {
        /**
         * For a command without a server: running servers see its changes at their next poll
         * (under a second); no change events (they are the server's, after its own commits).
         */
        public static final Signals NONE = new Signals(JobSignals.NONE, RobotSignals.NONE, () -> { }, ChangeEvents.none());
    }

    final Clock clock;
    final Jdbi jdbi;
    final AuditStore audit;
    final ApiKeys apiKeys;
    final Workflows workflows;
    final JobStore jobs;
    final JobReports reports;
    final JobReaping reaping;
    final RobotStore robotStore;
    /** The queue as the robot channel's dispatcher sees it: runnable work, robot loads, stops, fleet claims. */
    final Dispatching dispatching;
    final Robots robots;
    /** Which folders robots serve, and who sees and changes which robot. */
    final RobotFolders robotFolders;
    /** The robot side of jobs, for the REST pull routes and the WebSocket channel alike. */
    final RobotJobs robotJobs;
    final JobService jobService;
    final ScheduleStore scheduleStore;
    final ScheduleFiring scheduleFiring;
    final Schedules schedules;
    final Webhooks webhooks;
    /** Users' single sign-on identities, for administrators. */
    final UserIdentities userIdentities;
    /** Sign-in of verified OpenID Connect identities; empty while {@code oidc.issuer} is unset. */
    final Optional<OidcAccounts> oidcAccounts;
    final SignInPolicy signInPolicy;
    final PasswordHasher passwords;
    final UserStore userStore;
    final SessionStore sessionStore;
    final PasswordTokens passwordTokens;
    /** The one-time password tokens, for the sweep of spent ones. */
    final PasswordResetStore passwordResets;
    final Users users;
    /** Folders, bindings, groups, service accounts, roles and personal tokens. */
    final AccessAdministration access;
    // The dashboard's aggregates (issue 14): overview, instances, robots' held jobs and samples.
    final RobotSamples robotSamples;
    final OrchestratorInstances instances;
    final RobotActivity robotActivity;
    final InstanceList instanceList;
    final Overview overview;

    /**
     * @param robotMetrics where the REST claims' dispatch latency is recorded
     * @param keyCache     where requests' API keys are looked up (the server's Redis cache, or none)
     */
    Services(Database database, OrchestratorSettings settings, Signals signals, RobotMetrics robotMetrics, Clock clock,
            KeyCache keyCache) {
        this.clock = clock;
        jdbi = Jdbi3.of(database, settings.database().statementTimeoutSeconds());
        audit = new AuditStore(jdbi, clock);
        AccessStore accessStore = new AccessStore(jdbi);
        // Concurrent lookups of one key share a read: a fleet reconnecting at once sends the same key.
        apiKeys = new ApiKeys(new ApiKeyStore(jdbi), new CoalescedKeyLookups(keyCache), accessStore, audit, clock);
        jobs = new JobStore(jdbi, signals.events());
        scheduleStore = new ScheduleStore(jdbi);
        WebhookStore webhookStore = new WebhookStore(jdbi);
        // Jobs pin workflow versions, schedules and webhooks start workflows: a workflow delete
        // is refused while any exist, a cascade removes them.
        workflows = Workflows.on(jdbi, audit, List.of(new TriggerReferences(scheduleStore, webhookStore),
                new JobReferences(jobs)), clock);
        JobClaims claims = new JobClaims(jdbi, database.dialect(), signals.events());
        RetryPolicy retries = new RetryPolicy(Duration.ofSeconds(settings.queue().retryDelaySeconds()), RetryPolicy.DEFAULT_CAP);
        reports = new JobReports(jdbi, database.dialect(), retries, new SecureRandom(), signals.events());
        reaping = new JobReaping(jdbi, database.dialect(), reports);
        robotStore = new RobotStore(jdbi, database.dialect(), signals.events());
        DispatchQueries dispatchQueries = new DispatchQueries(jdbi);
        dispatching = new Dispatching(claims, dispatchQueries);
        robotSamples = new RobotSamples(jdbi);
        RobotSampling sampling = new RobotSampling(robotSamples, clock);
        robots = new Robots(robotStore, audit, signals.robots(), sampling);
        AccessControl accessControl = new AccessControl(accessStore);
        robotFolders = new RobotFolders(robotStore, accessControl, audit, signals.jobs());
        robotJobs = new RobotJobs(robots, claims, reports, new JobPayloads(jdbi), new JobLogs(jdbi, signals.events()),
                new RobotLeases(jdbi, database.dialect(), signals.events()), jobs, settings.queue().visibilityTimeoutSeconds(),
                robotMetrics);
        scheduleFiring = new ScheduleFiring(jdbi, database.dialect(), jobs, new JobIds(clock, new SecureRandom()), clock,
                settings.scheduler().maxConcurrentSchedules(),
                OverLimitPolicy.fromWire(settings.scheduler().overLimitPolicy()).orElseThrow(), signals.events());
        PendingReasons fleetReasons = new FleetPendingReasons(robots, dispatchQueries, accessControl, clock);
        PendingReasons reasons = job -> scheduleFiring.holds().why(job.id()).orElseGet(() -> fleetReasons.why(job));
        jobService = JobService.on(jdbi, jobs, reports, workflows.service(), audit, clock, settings.queue().maxRetries(),
                reasons, signals.jobs());
        Schedules.Defaults defaults = new Schedules.Defaults(settings.scheduler().timezone(), settings.queue().maxRetries());
        FolderAccess folders = FolderAccess.on(jdbi);
        schedules = new Schedules(scheduleStore, scheduleFiring, workflows.service(), folders, audit, clock, defaults,
                TriggerSignals.of(signals.jobs(), signals.schedulesChanged()));
        webhooks = new Webhooks(webhookStore, jobs, workflows.service(), folders, audit, clock, defaults, signals.jobs());
        signInPolicy = signInPolicy(settings.auth());
        passwords = new PasswordHasher(signInPolicy.hashing());
        userStore = new UserStore(jdbi);
        sessionStore = new SessionStore(jdbi);
        passwordResets = new PasswordResetStore(jdbi);
        passwordTokens = new PasswordTokens(passwordResets, userStore, sessionStore, passwords, signInPolicy, audit, clock);
        users = new Users(userStore, sessionStore, new BindingStore(jdbi), passwordTokens, passwords, signInPolicy, audit, clock);
        UserIdentityStore identityStore = new UserIdentityStore(jdbi);
        userIdentities = new UserIdentities(identityStore, userStore, audit, clock);
        oidcAccounts = settings.oidc().map(o -> new OidcAccounts(userStore, identityStore, new GroupMemberships(jdbi), audit,
                o.autoCreateUsers(), clock));
        access = AccessAdministration.on(jdbi, audit, apiKeys, clock, settings.auth().personalTokenMaxDays());
        instances = new OrchestratorInstances(jdbi);
        robotActivity = new RobotActivity(new HeldJobs(jdbi), sampling);
        instanceList = new InstanceList(instances, clock);
        overview = new Overview(new OverviewQueries(jdbi, database.dialect()), folders, robots, robotFolders, robotActivity,
                instanceList);
    }

    /** The sign-in rules of {@code auth.*}. */
    static SignInPolicy signInPolicy(OrchestratorSettings.Auth auth) {
        return new SignInPolicy(new PasswordHasher.Params(auth.argon2MemoryKib(), auth.argon2Iterations(), auth.argon2Parallelism()),
                auth.passwordMinLength(), auth.lockoutAttempts(), Duration.ofMinutes(auth.lockoutMinutes()),
                Duration.ofMinutes(auth.accessTokenMinutes()), Duration.ofHours(auth.sessionHours()),
                Duration.ofHours(auth.passwordTokenHours()));
    }

    /** The services of a CLI command on {@code database} (opened by the command, closed by it): no server to tell, the system clock. */
    public static Services forCommand(Database database, OrchestratorSettings settings) {
        return forCommand(database, settings, KeyCache.none());
    }

    /** As {@link #forCommand(Database, OrchestratorSettings)}, telling {@code keyCache} of key changes (the servers' cache in Redis). */
    public static Services forCommand(Database database, OrchestratorSettings settings, KeyCache keyCache) {
        return new Services(database, settings, Signals.NONE, RobotMetrics.none(), Clock.systemUTC(), keyCache);
    }

    public ApiKeys apiKeys() {
        return apiKeys;
    }

    public Workflows workflows() {
        return workflows;
    }

    public Schedules schedules() {
        return schedules;
    }

    public Users users() {
        return users;
    }

    public AccessAdministration access() {
        return access;
    }
}
