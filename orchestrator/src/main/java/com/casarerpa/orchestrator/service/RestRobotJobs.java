package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobPayloads;
import com.casarerpa.orchestrator.store.JobReports;
import com.casarerpa.orchestrator.store.StaleLeaseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pull protocol of existing CasareRPA robots (COMPAT.md): they claim jobs and report by job
 * id, without lease tokens, so a report is accepted only from the robot that holds the job's
 * live lease; anything else is a stale report (409) that changes nothing.
 */
public final class RestRobotJobs {
    private final Robots robots;
    private final JobClaims claims;
    private final JobReports reports;
    private final JobPayloads payloads;

    public RestRobotJobs(Robots robots, JobClaims claims, JobReports reports, JobPayloads payloads) {
        this.robots = robots;
        this.claims = claims;
        this.reports = reports;
        this.payloads = payloads;
    }

    /** A claimed job with what the robot needs to run it. */
    public record ClaimedJob(JobClaims.Claim claim, JobPayloads.Payload payload) {}

    /**
     * Claims up to {@code limit} jobs for the robot (never more than its free slots, none in
     * maintenance). A REST robot starts what it claims at once, so the jobs are running.
     */
    public List<ClaimedJob> claim(Robot robot, Optional<String> environment, int limit, int leaseSeconds) {
        if (robot.maintenance()) {
            return List.of();
        }
        int n = Math.min(limit, robots.freeSlots(robot));
        Set<String> offers = new HashSet<>(robot.capabilities());
        List<JobClaims.Claim> claimed = claims.claim(new JobClaims.Claimer(robot.id(), offers,
                environment.or(robot::environment), n, leaseSeconds));
        Map<String, JobPayloads.Payload> byJob = payloads.of(claimed.stream().map(c -> c.job().id()).toList());
        for (JobClaims.Claim c : claimed) {
            reports.started(c.job().id(), c.lease().token());
        }
        return claimed.stream().map(c -> new ClaimedJob(c, byJob.get(c.job().id()))).toList();
    }

    public void extend(Robot robot, String jobId, int seconds) {
        reports.extend(jobId, liveLease(robot, jobId), seconds);
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

    /** The only robot the caller's key speaks for, if there is exactly one. */
    public Optional<String> soleRobotOf(Actor actor) {
        return robots.soleRobotOf(actor);
    }

    /** The robot, if the caller may act as it. */
    public Robot robot(String robotId, Actor actor) {
        return robots.actingAs(robotId, actor);
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
}
