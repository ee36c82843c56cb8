package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.store.JobReaping;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sweep of the queue's safety net: jobs whose lease expired (their robot crashed or went
 * silent) end their attempt and go back to pending, or fail when their attempts are spent; jobs
 * running past their timeout are marked to be stopped as timed out. Every instance runs it;
 * {@code SKIP LOCKED} keeps them from doing the same row twice.
 */
public final class ReclaimExpiredLeases implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ReclaimExpiredLeases.class);
    static final int BATCH = 500;

    private final JobReaping reaping;

    public ReclaimExpiredLeases(JobReaping reaping) {
        this.reaping = reaping;
    }

    @Override
    public void run() {
        List<JobReaping.Expired> expired;
        do {
            expired = reaping.expireLeases(BATCH);
            for (JobReaping.Expired e : expired) {
                log.info("lease of job {} (attempt {}) on robot {} expired; the job is now {}", e.jobId(), e.attempt(),
                        e.robotId(), e.now().wireName());
            }
        } while (expired.size() == BATCH);
        for (JobReaping.TimedOut t : reaping.timeOut(BATCH)) {
            log.info("job {} on robot {} ran past its timeout; stopping it", t.jobId(), t.robotId());
        }
    }
}
