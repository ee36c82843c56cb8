package com.casarerpa.orchestrator.scheduler;

import com.casarerpa.orchestrator.metrics.ScheduleMetrics;
import com.casarerpa.orchestrator.service.JobSignals;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleHolds;
import com.casarerpa.orchestrator.store.ScheduleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the scheduler: fires every due schedule (exactly once across instances, see
 * {@link ScheduleFiring}), wakes the dispatchers when jobs were started, and says how long the
 * loop may wait before the next fire time. Each fire that made a job records its lag (fire
 * time, read by this instance's clock as its transaction wrote it, minus the cron's due time);
 * fire times found recorded already are counted as duplicates. Each pass also releases jobs held
 * by {@code max_concurrent_schedules} into the slots that freed since ({@link ScheduleHolds}).
 */
public final class FireDueSchedules {
    private static final Logger log = LoggerFactory.getLogger(FireDueSchedules.class);
    /**
     * Schedules per transaction. All fires queue on one row lock (the bound's count), so a minute's
     * transactions run one after the other and each one's round trips and commit add to the lag of
     * the fires after it: few, large transactions (a thousand fires in four).
     */
    static final int BATCH = 250;

    private final ScheduleFiring firing;
    private final ScheduleStore schedules;
    private final JobSignals signals;
    private final Clock clock;
    private final ScheduleMetrics metrics;

    public FireDueSchedules(ScheduleFiring firing, ScheduleStore schedules, JobSignals signals, Clock clock,
            ScheduleMetrics metrics) {
        this.firing = firing;
        this.schedules = schedules;
        this.signals = signals;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Fires what is due and releases held jobs the bound now allows; returns the fires made (started and skipped). */
    public List<ScheduleFiring.Fired> run() {
        ScheduleFiring.Pass pass = firing.fireDue(BATCH);
        metrics.duplicateFires(pass.duplicates());
        if (pass.duplicates() > 0) {
            log.info("{} fire time(s) were recorded already (another instance or a manual fire): not fired again", pass.duplicates());
        }
        List<ScheduleFiring.Fired> fired = pass.fired();
        boolean started = false;
        for (ScheduleFiring.Fired f : fired) {
            if (f.jobId().isPresent()) {
                started = true;
                Duration lag = Duration.between(f.scheduledAt(), f.firedAt());
                metrics.lag(lag);
                log.debug("schedule {} fired for {} (lag {} ms): job {}{}", f.scheduleId(), f.scheduledAt(), lag.toMillis(),
                        f.jobId().get(), f.held() ? ", held: " + f.reason().orElseThrow() : "");
            } else {
                log.info("schedule {} skipped its fire of {}: {}", f.scheduleId(), f.scheduledAt(), f.skipReason().orElse(""));
            }
        }
        List<String> released = firing.holds().release();
        if (!released.isEmpty()) {
            log.debug("{} held schedule job(s) released into free slots of max_concurrent_schedules", released.size());
        }
        if (started || !released.isEmpty()) {
            signals.jobsAvailable();
        }
        return fired;
    }

    /** How long until the earliest next fire time (zero when one is due), empty when none is planned. */
    public Optional<Duration> untilNext() {
        Instant now = clock.instant();
        return schedules.earliestDue().map(t -> t.isAfter(now) ? Duration.between(now, t) : Duration.ZERO);
    }
}
