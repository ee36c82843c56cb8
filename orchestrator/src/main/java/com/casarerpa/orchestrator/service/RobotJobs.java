package com.casarerpa.orchestrator.service;

import static com.casarerpa.orchestrator.service.LeaseVerdicts.known;
import static com.casarerpa.orchestrator.service.LeaseVerdicts.repeated;
import static com.casarerpa.orchestrator.service.LeaseVerdicts.requireLive;
import static com.casarerpa.orchestrator.service.LeaseVerdicts.stale;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Lease;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.store.GroupedHeartbeats;
import com.casarerpa.orchestrator.store.GroupedReports;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.JobPayloads;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.JobStore;
import com.casarerpa.orchestrator.store.RobotLeases;
import com.casarerpa.orchestrator.store.StaleLeaseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What robots do with their jobs, for both transports: the REST pull protocol of existing
 * CasareRPA robots (COMPAT.md, {@code api/RobotJobRoutes}) and the WebSocket channel
 * ({@code ws/JobMessages}). The limits (lease length, claim and log batch sizes), the lease
 * checks and the answers to a report under a lease that is not live are decided here once; the
 * transports only read their messages and write the answers.
 *
 * <p>REST robots claim jobs and report by job id, without lease tokens, so a report is accepted
 * only from the robot that holds the job's live lease; anything else is a stale report (409) that
 * changes nothing. WebSocket robots name the attempt by its lease token: a report under a lease
 * that is not live is refused ({@link LeaseRefused}) and tells a repeated final report
 * ({@code duplicate}) from a contradicting one ({@code conflict}) and from a dead lease
 * ({@code stale_lease} with the reason it ended).
 */
public final class RobotJobs {
    /** The longest lease a robot may ask for (a claim's or an extension's), in seconds. */
    public static final int MAX_LEASE_SECONDS = 3600;
    /** The most jobs one REST claim takes. */
    public static final int MAX_CLAIM = 100;
    /** The most entries of one log batch. */
    public static final int MAX_LOG_BATCH = 1000;

    private final Robots robots;
    private final JobClaims claims;
    private final JobReports reports;
    private final JobPayloads payloads;
    private final JobLogs logs;
    private final RobotLeases leases;
    private final JobStore jobs;
    private final int defaultLeaseSeconds;
    private final RobotMetrics metrics;

    /** @param defaultLeaseSeconds a lease's length when the robot asks for none ({@code queue.visibility_timeout_seconds}) */
    public RobotJobs(Robots robots, JobClaims claims, JobReports reports, JobPayloads payloads, JobLogs logs, RobotLeases leases,
            JobStore jobs, int defaultLeaseSeconds, RobotMetrics metrics) {
        this.robots = robots;
        this.claims = claims;
        this.reports = reports;
        this.payloads = payloads;
        this.logs = logs;
        this.leases = leases;
        this.jobs = jobs;
        this.defaultLeaseSeconds = defaultLeaseSeconds;
        this.metrics = metrics;
    }

    /** A lease's length: the default when none is asked for; more than {@link #MAX_LEASE_SECONDS} is refused, naming {@code field}. */
    public int leaseSeconds(String field, Optional<Long> requested) {
        return (int) within(field, requested, 1, MAX_LEASE_SECONDS, defaultLeaseSeconds);
    }

    /** How many jobs a REST claim takes: 1 when not said, at most {@link #MAX_CLAIM}. */
    public int claimLimit(Optional<Long> requested) {
        return (int) within("limit", requested, 1, MAX_CLAIM, 1);
    }

    private static long within(String field, Optional<Long> requested, long min, long max, long fallback) {
        long n = requested.orElse(fallback);
        if (n < min || n > max) {
            throw new InvalidInputException(field, "expected an integer from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    /** The lease length robots get by default. */
    public int defaultLeaseSeconds() {
        return defaultLeaseSeconds;
    }

    /** A claimed job with what the robot needs to run it: its lease, its workflow's name and definition. */
    public record ClaimedJob(Job job, Lease lease, String workflowName, String definition) {
        /** How long the job had been dispatchable when claimed: its run_after to the updated_at the claim wrote (database clock). */
        public Duration waited() {
            return Duration.between(job.runAfter(), job.updatedAt());
        }
    }

    /**
     * Claims up to {@code limit} jobs for the robot (never more than its free slots, none in
     * maintenance). A REST robot starts what it claims at once, so the jobs are running. Each
     * job's dispatch latency is recorded: {@link ClaimedJob#waited()} plus the time since the claim call.
     */
    public List<ClaimedJob> claim(Robot robot, Optional<String> environment, Optional<Long> limit, Optional<Long> leaseSeconds) {
        int lease = leaseSeconds("visibility_timeout_seconds", leaseSeconds);
        int asked = claimLimit(limit);
        if (robot.maintenance()) {
            return List.of();
        }
        int n = Math.min(asked, robots.freeSlots(robot));
        Set<String> offers = new HashSet<>(robot.capabilities());
        long claimAt = System.nanoTime();
        List<JobClaims.Claim> claimed = claims.claim(new JobClaims.Claimer(robot.id(), offers,
                environment.or(robot::environment), n, lease).inFolders(Set.copyOf(robot.folders())));
        Map<String, JobPayloads.Payload> byJob = payloads.of(claimed.stream().map(c -> c.job().id()).toList());
        for (JobClaims.Claim c : claimed) {
            reports.started(c.job().id(), c.lease().token());
        }
        List<ClaimedJob> out = claimed.stream().map(c -> {
            JobPayloads.Payload p = byJob.get(c.job().id());
            return new ClaimedJob(c.job(), c.lease(), p.workflowName(), p.definition());
        }).toList();
        long sinceClaim = System.nanoTime() - claimAt;
        out.forEach(c -> metrics.dispatched(RobotMetrics.Transport.REST, c.waited().toNanos() + sinceClaim));
        return out;
    }

    public void extend(Robot robot, String jobId, Optional<Long> seconds) {
        int lease = leaseSeconds("extension_seconds", seconds);
        reports.extend(jobId, liveLease(robot, jobId), lease);
    }

    public void complete(Robot robot, String jobId, String resultJson) {
        reports.completed(jobId, liveOrLastLease(robot, jobId), resultJson);
    }

    public JobState fail(Robot robot, String jobId, String message) {
        return reports.failed(jobId, liveOrLastLease(robot, jobId), "RobotError", message);
    }

    public void release(Robot robot, String jobId) {
        reports.released(jobId, liveLease(robot, jobId));
    }

    /**
     * Which robot is calling, as the caller's key decides it, never as the job decides it: the
     * robot the request names ({@code robot_id}, {@code X-Robot-Id}) if the key may act as it
     * (403 otherwise); else the robot the key is bound to; else, for a report on a job, the job's
     * robot if the key speaks for it ({@link Robots#spokenForBy}); else the one robot the key
     * speaks for. A report on a job
     * that none of the key's robots holds is a stale report ({@link StaleLeaseException}, 409),
     * even when another key's robot holds the job now.
     *
     * @param jobId the job reported on; empty for a claim
     */
    public Robot caller(Optional<String> named, Optional<String> jobId, Actor actor) {
        Optional<String> id = named.or(actor::robotId);
        if (id.isPresent()) {
            return robots.actingAs(id.get(), actor);
        }
        Optional<Robot> holder = jobId.flatMap(payloads::holderOf).flatMap(robot -> robots.spokenForBy(robot, actor));
        if (holder.isPresent()) {
            return holder.get();
        }
        Optional<String> sole = robots.soleRobotOf(actor);
        if (sole.isPresent()) {
            return robots.actingAs(sole.get(), actor);
        }
        if (jobId.isPresent()) {
            throw new StaleLeaseException(jobId.get(), "no robot of API key " + actor.id() + " holds job " + jobId.get()
                    + "; a key that speaks for several robots names the one reporting (robot_id or X-Robot-Id)");
        }
        throw new InvalidInputException("robot_id",
                "name the robot (robot_id in the body or the X-Robot-Id header), or use a key bound to one robot");
    }

    private String liveLease(Robot robot, String jobId) {
        return payloads.leaseHeldBy(jobId, robot.id()).orElseThrow(() -> new StaleLeaseException(jobId,
                "robot " + robot.id() + " does not hold job " + jobId + " (its lease expired, or the job went elsewhere or ended)"));
    }

    /** A final report may repeat after it took effect: then the robot's last lease of the job is used. */
    private String liveOrLastLease(Robot robot, String jobId) {
        return payloads.leaseHeldBy(jobId, robot.id())
                .or(() -> payloads.lastLeaseOf(jobId, robot.id()))
                .orElseThrow(() -> new StaleLeaseException(jobId, "robot " + robot.id() + " never held job " + jobId));
    }

    // The WebSocket channel: reports name the attempt by job id and lease token.

    /** What a report did: the job's state now, whether it repeated one that already took effect, when a retry runs. */
    public record Reported(JobState state, boolean duplicate, Optional<Instant> retryAt) {
        static Reported now(JobState state) {
            return new Reported(state, false, Optional.empty());
        }
    }

    /**
     * {@code job_started}: assigned → running, committed with the reports of other connections
     * (the future completes after that commit).
     */
    public CompletableFuture<Reported> started(Reporter by, String jobId, String token) {
        String robotId = by.robotId();
        return reports.grouped(by.report(GroupedReports.Kind.STARTED, jobId, token, null)).thenApply(o -> {
            if (o.applied()) {
                return Reported.now(JobState.RUNNING);
            }
            by.checkStillActing();
            RobotLeases.LeaseState l = known(robotId, jobId, token, o.lease().orElse(null), o::jobExists);
            requireLive(l);
            boolean running = JobState.RUNNING.wireName().equals(l.jobState());
            if (!running) {
                // Not reached: a live lease of this robot still assigned is what the grouped change applies to.
                reports.started(l.jobId(), l.token());
            }
            return new Reported(JobState.RUNNING, running, Optional.empty());
        });
    }

    /** {@code job_completed}: → succeeded with the result, committed as {@link #started} is. */
    public CompletableFuture<Reported> completed(Reporter by, String jobId, String token, String resultJson) {
        String robotId = by.robotId();
        return reports.grouped(by.report(GroupedReports.Kind.COMPLETED, jobId, token, resultJson)).thenApply(o -> {
            if (o.applied()) {
                return Reported.now(JobState.SUCCEEDED);
            }
            by.checkStillActing();
            RobotLeases.LeaseState l = known(robotId, jobId, token, o.lease().orElse(null), o::jobExists);
            if (!l.live()) {
                return repeated(l, JobState.SUCCEEDED.wireName());
            }
            // Not reached: a live lease of this robot is what the grouped change applies to.
            reports.completed(l.jobId(), l.token(), resultJson);
            return Reported.now(JobState.SUCCEEDED);
        });
    }

    /** {@code job_progress}: the first one starts the job; {@code percent} (0–100) is recorded. */
    public void progress(String robotId, String jobId, String token, Optional<Integer> percent) {
        RobotLeases.LeaseState l = lease(robotId, jobId, token);
        requireLive(l);
        if (JobState.ASSIGNED.wireName().equals(l.jobState())) {
            reports.started(l.jobId(), l.token());
        }
        percent.ifPresent(p -> reports.progress(l.jobId(), l.token(), p));
    }

    /** One line of a log batch, numbered by {@code seq} within the attempt. */
    public record LogLine(long seq, Instant timestamp, String level, String message, Optional<String> nodeId,
            Optional<String> nodeType) {}

    /** How many lines of a batch were new, and how many were already stored. */
    public record LogsAppended(int accepted, int duplicates) {}

    /**
     * A log batch (1 to {@link #MAX_LOG_BATCH} lines), accepted under a live lease or one its robot
     * ended with a final report (late flushes); the first lines of an assigned job start it.
     */
    public LogsAppended appendLogs(String robotId, String jobId, String token, List<LogLine> lines) {
        if (lines.isEmpty() || lines.size() > MAX_LOG_BATCH) {
            throw new InvalidInputException("entries", "expected 1 to " + MAX_LOG_BATCH + " entries, got " + lines.size());
        }
        RobotLeases.LeaseState l = lease(robotId, jobId, token);
        if (!l.live() && !l.reported()) {
            throw stale(l);
        }
        List<JobLogs.Entry> entries = new ArrayList<>(lines.size());
        for (LogLine e : lines) {
            entries.add(new JobLogs.Entry(e.seq(), e.timestamp(), e.level(), e.message(), e.nodeId(), e.nodeType()));
        }
        JobLogs.Appended appended = logs.append(l.jobId(), l.token(), entries);
        return new LogsAppended(appended.accepted(), appended.duplicates());
    }

    /** {@code job_failed}: pending again after the retry delay while attempts are left (and it is retryable), else failed. */
    public Reported failed(String robotId, String jobId, String token, String errorType, String message, boolean retryable) {
        RobotLeases.LeaseState l = lease(robotId, jobId, token);
        if (!l.live()) {
            return repeated(l, JobState.FAILED.wireName());
        }
        JobState now = reports.failed(l.jobId(), l.token(), errorType, message, retryable);
        Optional<Instant> retryAt = now == JobState.PENDING ? jobs.find(l.jobId()).map(Job::runAfter) : Optional.empty();
        return new Reported(now, false, retryAt);
    }

    /**
     * {@code job_cancelled}: the robot stopped the job, as asked ({@code reason} cancelled or
     * timed_out) or on its own timeout; a cancel nobody asked for is refused.
     */
    public Reported stopped(String robotId, String jobId, String token, String reason) {
        RobotLeases.LeaseState l = lease(robotId, jobId, token);
        if (!l.live()) {
            return repeated(l, l.outcome().filter(o -> o.equals("cancelled") || o.equals("timed_out")).orElse(reason));
        }
        if (l.cancelReason().isEmpty() && reason.equals(JobState.CANCELLED.wireName())) {
            throw new InvalidInputException("reason", "no cancel was requested for job " + l.jobId()
                    + "; to give a job up use job_release or job_failed (only a robot's own timeout may stop a job unasked)");
        }
        return Reported.now(reports.stopped(l.jobId(), l.token(), JobState.TIMED_OUT));
    }

    /** {@code job_release}: the robot gives the job back unrun (pending at once); not while it is being stopped. */
    public void released(String robotId, String jobId, String token) {
        RobotLeases.LeaseState l = lease(robotId, jobId, token);
        requireLive(l);
        if (l.cancelReason().isPresent()) {
            throw new LeaseRefused("conflict", "job " + l.jobId() + " is being cancelled (" + l.cancelReason().get()
                    + "); confirm with job_cancelled instead of releasing it", Optional.empty(), Optional.empty());
        }
        reports.released(l.jobId(), l.token());
    }

    /** {@code lease_extend}: the lease runs {@code seconds} from now (the default when not said); returns its new expiry. */
    public Optional<Instant> extend(String robotId, String jobId, String token, Optional<Long> seconds) {
        int lease = leaseSeconds("extension_seconds", seconds);
        RobotLeases.LeaseState l = lease(robotId, jobId, token);
        requireLive(l);
        reports.extend(l.jobId(), l.token(), lease);
        return leases.find(l.jobId(), l.token()).orElseThrow().expiresAt();
    }

    /**
     * A lease a robot says it holds, as it stands: live (with its expiry and the stop asked for
     * it, if any) or lost ({@code lostReason}: unknown, expired, reported, or a stop's reason).
     */
    public record HeldLease(String jobId, String token, boolean live, Optional<Instant> expiresAt, Optional<String> cancelRequested,
            String lostReason) {}

    /** The leases a robot listed, and the database's time. */
    public record HeldLeases(Instant serverTime, List<HeldLease> leases) {}

    /** A heartbeat: renews the listed leases that are live. */
    public HeldLeases renew(String robotId, Map<String, String> held) {
        Set<String> lost = new HashSet<>(reports.renew(robotId, held, defaultLeaseSeconds));
        return held(robotId, held, leases.find(held), lost, leases.now());
    }

    /**
     * A WebSocket robot's heartbeat, committed with those of other robots ({@code GroupedHeartbeats}):
     * the robot is alive now, its listed leases that are live are renewed. Completes after the
     * commit, or with {@link NotFoundException} (the robot was deleted) or {@link ForbiddenException}
     * (a key was bound to the robot since it registered through a fleet key), nothing changed.
     * The minute's sample of its measurements, when one is due, is written in the same group.
     */
    public CompletableFuture<HeldLeases> heartbeat(String robotId, Robot.Metrics metrics, Map<String, String> held, Actor actor) {
        return reports.heartbeat(new GroupedHeartbeats.Heartbeat(robotId, metrics, robots.sampleDue(robotId, metrics), held,
                defaultLeaseSeconds, RobotAccess.isFleetKey(actor))).thenApply(o -> {
                    if (o.claimed()) {
                        throw RobotAccess.claimed(actor, robotId);
                    }
                    if (!o.found()) {
                        throw new NotFoundException("robot " + robotId + " is not registered");
                    }
                    return held(robotId, held, o.leases(), o.lost(), o.now());
                });
    }

    /** A robot registers again: its listed leases renewed or taken back, the others ended ({@code RobotLeases#resume}). */
    public HeldLeases resume(String robotId, Map<String, String> held) {
        return held(robotId, held, leases.resume(robotId, held, defaultLeaseSeconds), Set.of(), leases.now());
    }

    private static HeldLeases held(String robotId, Map<String, String> held, List<RobotLeases.LeaseState> states, Set<String> lost,
            Instant now) {
        Map<String, RobotLeases.LeaseState> byJob = new LinkedHashMap<>();
        states.stream().filter(l -> l.robotId().equals(robotId)).forEach(l -> byJob.put(l.jobId(), l));
        List<HeldLease> out = new ArrayList<>();
        held.forEach((job, token) -> {
            RobotLeases.LeaseState l = byJob.get(job);
            boolean live = !lost.contains(job) && l != null && l.live();
            out.add(new HeldLease(job, token, live, live ? l.expiresAt() : Optional.empty(),
                    live ? l.cancelReason() : Optional.empty(), l == null ? "unknown" : l.endReason()));
        });
        return new HeldLeases(now, out);
    }

    /** The lease a report names, if it is this robot's; otherwise refused: the job or the lease is unknown. */
    private RobotLeases.LeaseState lease(String robotId, String jobId, String token) {
        return known(robotId, jobId, token, leases.find(jobId, token).orElse(null), () -> leases.jobExists(jobId));
    }
}
