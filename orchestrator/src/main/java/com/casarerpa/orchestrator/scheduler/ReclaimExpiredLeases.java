package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.metrics.RobotMetrics;
import com.casarerpa.orchestrator.store.InstancePulses;
import com.casarerpa.orchestrator.store.JobReaping;
import com.casarerpa.orchestrator.store.RobotStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep of the queue's safety net: jobs whose lease expired (their robot crashed or went
 * silent) end their attempt and go back to pending, or fail when their attempts are spent; jobs
 * running past their timeout are marked to be stopped as timed out. Every instance runs it;
 * {@code SKIP LOCKED} keeps them from doing the same row twice.
 *
 * <p>Each sweep first beats this instance's pulse ({@link InstancePulses}): time when the
 * database could not take heartbeats does not count against robots, so after an outage or a
 * stall they get a fresh heartbeat window before anyone is judged. A sweep whose beat fails
 * (the database still away) judges nobody.
 *
 * <p>The leases it ends by expiry are counted ({@code casare_lease_expiries_total}).
 */
public final class ReclaimExpiredLeases implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReclaimExpiredLeases.class);
    static final int BATCH = 500;

    private final JobReaping reaping;
    private final RobotStore robots;
    private final InstancePulses pulses;
    private final int heartbeatTimeoutSeconds;
    private final int cancelGraceSeconds;
    private final Clock clock;
    private final RobotMetrics metrics;
    private final Instant notBefore;
    private List<String> stalledBefore = List.of();

    /**
     * @param heartbeatTimeoutSeconds a robot silent this long is offline and its leases end; a
     *                                freshly started instance waits this long before judging, so
     *                                robots of a restarted single instance have time to come back
     * @param cancelGraceSeconds      how long a robot has to confirm a cancel or timeout before the job ends without it
     * @param metrics                 where the leases ended by expiry are counted
     */
    public ReclaimExpiredLeases(JobReaping reaping, RobotStore robots, InstancePulses pulses, int heartbeatTimeoutSeconds,
            int cancelGraceSeconds, Clock clock, RobotMetrics metrics) {
        this.reaping = reaping;
        this.robots = robots;
        this.pulses = pulses;
        this.heartbeatTimeoutSeconds = heartbeatTimeoutSeconds;
        this.cancelGraceSeconds = cancelGraceSeconds;
        this.clock = clock;
        this.metrics = metrics;
        this.notBefore = clock.instant().plusSeconds(heartbeatTimeoutSeconds);
    }

    @Override
    public void run() {
        beat();
        if (!clock.instant().isBefore(notBefore)) {
            for (String robot : robots.markSilentOffline(heartbeatTimeoutSeconds)) {
                log.info("robot {} sent no heartbeat for {} s: offline, its leases end now", robot, heartbeatTimeoutSeconds);
            }
        }
        List<JobReaping.Expired> expired;
        do {
            expired = reaping.expireLeases(BATCH);
            metrics.leaseExpired(expired.size());
            for (JobReaping.Expired e : expired) {
                log.info("lease of job {} (attempt {}) on robot {} expired; the job is now {}", e.jobId(), e.attempt(),
                        e.robotId(), e.now().wireName());
            }
        } while (expired.size() == BATCH);
        for (JobReaping.TimedOut t : reaping.timeOut(BATCH)) {
            log.info("job {} on robot {} ran past its timeout; stopping it", t.jobId(), t.robotId());
        }
        for (JobReaping.TimedOut t : reaping.endUnconfirmedStops(cancelGraceSeconds, BATCH)) {
            log.info("robot {} did not confirm the stop of job {} within {} s; the job ends without it", t.robotId(),
                    t.jobId(), cancelGraceSeconds);
        }
    }

    private void beat() {
        InstancePulses.Beat beat = pulses.beat();
        switch (beat.gap()) {
            case EVERY_INSTANCE -> log.warn("no instance could write to the database for a while (outage or stall); {} robot(s)"
                    + " get a fresh heartbeat window before they are judged", beat.robotsRefreshed());
            case THIS_INSTANCE -> log.warn("this instance could not write to the database for a while; its {} robot(s) get a"
                    + " fresh heartbeat window before they are judged", beat.robotsRefreshed());
            case NONE -> { }
        }
        if (!beat.stalledInstances().equals(stalledBefore)) {
            log.info(beat.stalledInstances().isEmpty() ? "every instance writes to the database again"
                    : "instance(s) {} do not write to the database; their robots are kept alive for now", beat.stalledInstances());
            stalledBefore = beat.stalledInstances();
        }
    }
}
