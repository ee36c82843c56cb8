package com.casarerpa.orchestrator.service;

import com.casarerpa.orchestrator.domain.Actor;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Lease;
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

    /** A claimed job with what the robot needs to run it; the accessors keep the store's types from the API. */
    public record ClaimedJob(JobClaims.Claim claim, JobPayloads.Payload payload) {
        public Job job() {
            return claim.job();
        }

        public Lease lease() {
            return claim.lease();
        }

        public String workflowName() {
            return payload.workflowName();
        }

        public String definition() {
            return payload.definition();
        }
    }

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
}
