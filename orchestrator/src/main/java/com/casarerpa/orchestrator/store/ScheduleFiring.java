package com.casarerpa.orchestrator.store;

import com.casarerpa.orchestrator.domain.FirePlan;
import com.casarerpa.orchestrator.domain.JobIds;
import com.casarerpa.orchestrator.domain.JobOptions;
import com.casarerpa.orchestrator.domain.OverLimitPolicy;
import com.casarerpa.orchestrator.domain.OverlapPolicy;
import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Fires schedules, exactly once on any number of instances. {@link #fireDue} claims due schedules
 * with {@code FOR UPDATE SKIP LOCKED} (on H2, which serves one process, a plain row lock) and,
 * in the same transaction, records each fire under the unique key {@code (schedule,
 * scheduled time)}, inserts its job, and moves {@code next_fire_at} past now. A crash before
 * the commit leaves everything as it was; another instance then fires it.
 *
 * <p>Fires count the active schedule-started jobs under one row lock ({@link ScheduleHolds}), so
 * {@code max_concurrent_schedules} holds across instances. A fire over the bound (or while
 * earlier fires wait for it) still makes its job, held until the bound allows it, with the reason
 * in its history; under {@link OverLimitPolicy#SKIP} it is recorded as skipped instead. With
 * overlap policy skip, a fire while the schedule's previous job is active is recorded as skipped
 * with the reason. Times come from the injected clock; nothing fires before its time, and each
 * fire's {@code fired_at} is read as its transaction writes it, a few milliseconds before the
 * commit that makes its job visible. Each fire, started or skipped, is published on the
 * {@link ChangeEvents} bus once its transaction commits.
 *
 * <p>A fire time found recorded already when it comes to be fired (by another instance, or by a
 * manual fire at that very millisecond) is not fired again, and the pass says how many it met
 * ({@link Pass#duplicates()}): the unique key would refuse the row, and with it the whole batch.
 * The due query tells which schedules have such a record ahead of their next fire time, so only
 * those cost one more statement.
 */
public final class ScheduleFiring {
    private static final String ACTIVE = "('pending', 'assigned', 'running')";

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final JobStore jobs;
    private final JobIds ids;
    private final Clock clock;
    private final int maxConcurrent;
    private final OverLimitPolicy overLimit;
    private final ScheduleHolds holds;
    private final ChangeEvents events;

    /**
     * A fire that happened: started (with its job) or skipped (with the reason). A started fire
     * with a reason made a job that is held until {@code max_concurrent_schedules} allows it.
     */
    public record Fired(String scheduleId, Instant scheduledAt, Instant firedAt, Optional<String> jobId,
            Optional<String> reason) {
        /** Why no job was made; empty when one was. */
        public Optional<String> skipReason() {
            return jobId.isEmpty() ? reason : Optional.empty();
        }

        /** True when its job waits for the bound. */
        public boolean held() {
            return jobId.isPresent() && reason.isPresent();
        }
    }

    /** What one {@link #fireDue} did: its fires, and the fire times it found recorded already (not fired again). */
    public record Pass(List<Fired> fired, int duplicates) {
        public Pass {
            fired = List.copyOf(fired);
        }
    }

    /** One transaction's part of a pass: how many due schedules it took, what it fired, the duplicates it met. */
    private record Batch(int claimed, List<Fired> fired, int duplicates) {}

    /** A due schedule, and whether a fire of it is recorded between its next fire time and now. */
    private record Due(Schedule schedule, boolean recordedAhead) {}

    /** Fires without publishing them (commands run outside the server), queueing fires over the bound. */
    public ScheduleFiring(Jdbi jdbi, Dialect dialect, JobStore jobs, JobIds ids, Clock clock, int maxConcurrent) {
        this(jdbi, dialect, jobs, ids, clock, maxConcurrent, OverLimitPolicy.QUEUE, ChangeEvents.none());
    }

    public ScheduleFiring(Jdbi jdbi, Dialect dialect, JobStore jobs, JobIds ids, Clock clock, int maxConcurrent,
            OverLimitPolicy overLimit, ChangeEvents events) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.jobs = jobs;
        this.ids = ids;
        this.clock = clock;
        this.maxConcurrent = maxConcurrent;
        this.overLimit = overLimit;
        this.holds = new ScheduleHolds(jdbi, maxConcurrent);
        this.events = events;
    }

    /** The jobs held back by {@code max_concurrent_schedules}: their release and their waiting reason. */
    public ScheduleHolds holds() {
        return holds;
    }

    /** Fires every schedule due by now, {@code batch} schedules per transaction, each transaction planning from its own now. */
    public Pass fireDue(int batch) {
        List<Fired> all = new ArrayList<>();
        int duplicates = 0;
        Batch done;
        do {
            done = Jdbi3.call("schedule fires", () -> jdbi.inTransaction(h -> fireBatch(h, now(), batch)));
            all.addAll(done.fired());
            duplicates += done.duplicates();
        } while (done.claimed() == batch);
        return new Pass(all, duplicates);
    }

    private Batch fireBatch(Handle h, Instant now, int batch) {
        String skipLocked = dialect == Dialect.POSTGRESQL ? " SKIP LOCKED" : "";
        List<Due> due = h.createQuery("SELECT " + ScheduleRows.COLUMNS + ", EXISTS (SELECT 1 FROM schedule_fires f"
                        + " WHERE f.schedule_id = schedules.id AND f.scheduled_at >= schedules.next_fire_at"
                        + " AND f.scheduled_at <= :now) AS recorded_ahead FROM schedules WHERE enabled = TRUE"
                        + " AND next_fire_at <= :now ORDER BY next_fire_at LIMIT :limit FOR UPDATE" + skipLocked)
                .bind("now", Jdbi3.ts(now))
                .bind("limit", batch)
                .map((rs, ctx) -> new Due(ScheduleRows.map(rs), rs.getBoolean("recorded_ahead")))
                .list();
        List<Fired> out = new ArrayList<>();
        if (due.isEmpty()) {
            return new Batch(0, out, 0);
        }
        ScheduleHolds.Slots slots = ScheduleHolds.lock(h);
        Writes w = new Writes(h, now);
        int duplicates = 0;
        for (Due d : due) {
            Schedule s = d.schedule();
            Instant from = firstUnhandled(s);
            if (from.isAfter(now)) {
                w.advance(s.id(), Optional.of(from), s.lastFireAt(), s.lastJobId());
                continue;
            }
            FirePlan plan = FirePlan.of(s, from, now);
            Set<Instant> recorded = d.recordedAhead() ? recorded(h, s.id(), from, now) : Set.of();
            Optional<Instant> lastFire = s.lastFireAt();
            if (plan.skipped().isPresent()) {
                FirePlan.Skip k = plan.skipped().get();
                if (recorded.contains(k.scheduledAt())) {
                    duplicates++;
                } else {
                    w.fire(s, k.scheduledAt(), "cron", Optional.empty(), Optional.of(k.reason()));
                }
                lastFire = Optional.of(k.scheduledAt());
            }
            Optional<String> lastJob = s.lastJobId();
            for (Instant t : plan.fire()) {
                if (recorded.contains(t)) {
                    duplicates++;
                    lastFire = Optional.of(t);
                    continue;
                }
                Optional<String> reason = skipReason(h, s, lastJob, w);
                Optional<String> job = Optional.empty();
                if (reason.isEmpty()) {
                    if (overLimit == OverLimitPolicy.SKIP && slots.active >= maxConcurrent) {
                        reason = Optional.of(ScheduleHolds.reason(slots.active, maxConcurrent) + " (over_limit_policy skip)");
                    } else {
                        // Queued: over the bound, or behind held jobs (they go first, in queue order).
                        boolean held = overLimit == OverLimitPolicy.QUEUE && !slots.free(maxConcurrent);
                        job = Optional.of(w.job(newJob(h, s, w.latest), held));
                        lastJob = job;
                        if (held) {
                            reason = Optional.of(ScheduleHolds.reason(slots.active, maxConcurrent)
                                    + (slots.active < maxConcurrent ? " and held jobs are ahead" : "")
                                    + ": its job waits until the bound allows it");
                            slots.anyHeld = true;
                        } else {
                            slots.active++;
                        }
                    }
                }
                w.fire(s, t, "cron", job, reason);
                lastFire = Optional.of(t);
            }
            w.advance(s.id(), plan.next(), lastFire, lastJob);
        }
        out.addAll(w.execute());
        ScheduleHolds.release(h, slots, maxConcurrent);
        return new Batch(due.size(), out, duplicates);
    }

    /** The clock's instant in milliseconds (the database keeps microseconds, the API milliseconds). */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The fire times of a schedule recorded from {@code from} to {@code now}. */
    private static Set<Instant> recorded(Handle h, String scheduleId, Instant from, Instant now) {
        return Set.copyOf(h.createQuery("SELECT scheduled_at FROM schedule_fires WHERE schedule_id = :id"
                        + " AND scheduled_at >= :from AND scheduled_at <= :now")
                .bind("id", scheduleId).bind("from", Jdbi3.ts(from)).bind("now", Jdbi3.ts(now))
                .map((rs, ctx) -> Jdbi3.instant(rs.getObject(1)).orElseThrow())
                .list());
    }

    /**
     * The schedule's next fire time, unless a fire time at or before it was handled already: a
     * change that wrote an older {@code next_fire_at} back (it raced a fire) must not fire a time
     * twice, nor stop the schedule on the unique key.
     */
    private static Instant firstUnhandled(Schedule s) {
        Instant next = s.nextFireAt().orElseThrow();
        if (s.lastFireAt().isEmpty() || next.isAfter(s.lastFireAt().get())) {
            return next;
        }
        return s.cron().nextAfter(s.lastFireAt().get(), s.timezone()).orElse(Instant.MAX);
    }

    /**
     * Starts a job of the schedule now, whatever its cron, overlap policy and the bound say (an
     * operator asked for it); recorded in its history as a manual fire.
     *
     * @return empty when the schedule does not exist
     */
    public Optional<Fired> fireNow(String scheduleId) {
        Instant now = now();
        return Jdbi3.call("schedule fires", () -> jdbi.inTransaction(h -> {
            Optional<Schedule> s = h.createQuery("SELECT " + ScheduleRows.COLUMNS + " FROM schedules WHERE id = :id FOR UPDATE")
                    .bind("id", scheduleId)
                    .map((rs, ctx) -> ScheduleRows.map(rs))
                    .findOne();
            if (s.isEmpty()) {
                return Optional.<Fired>empty();
            }
            // Under the row lock no cron fire of this schedule can be written meanwhile; a fire
            // already recorded at this very millisecond moves the manual one a millisecond on.
            Instant at = now;
            while (h.createQuery("SELECT COUNT(*) FROM schedule_fires WHERE schedule_id = :id AND scheduled_at = :at")
                    .bind("id", scheduleId).bind("at", Jdbi3.ts(at)).mapTo(Integer.class).one() > 0) {
                at = at.plusMillis(1);
            }
            Writes w = new Writes(h, at);
            String job = w.job(newJob(h, s.get(), w.latest), false);
            w.fire(s.get(), at, "manual", Optional.of(job), Optional.empty());
            w.advance(scheduleId, s.get().nextFireAt(), s.get().lastFireAt(), Optional.of(job));
            return Optional.of(w.execute().getFirst());
        }));
    }

    /** Why the overlap policy skips this fire; empty when it may start a job. */
    private Optional<String> skipReason(Handle h, Schedule s, Optional<String> lastJob, Writes w) {
        if (s.overlapPolicy() == OverlapPolicy.SKIP && lastJob.isPresent() && w.started(lastJob.get())) {
            return Optional.of("overlap: the previous job " + lastJob.get() + " was started by this same pass and is"
                    + " pending (overlap_policy skip)");
        }
        if (s.overlapPolicy() == OverlapPolicy.SKIP && lastJob.isPresent()) {
            Optional<String> state = h.createQuery("SELECT state FROM jobs WHERE id = :id AND state IN " + ACTIVE)
                    .bind("id", lastJob.get())
                    .mapTo(String.class)
                    .findOne();
            if (state.isPresent()) {
                return Optional.of("overlap: the previous job " + lastJob.get() + " is still " + state.get()
                        + " (overlap_policy skip)");
            }
        }
        return Optional.empty();
    }

    /** @param latest the latest version of each workflow, read once per transaction */
    private JobStore.NewJob newJob(Handle h, Schedule s, Map<String, Integer> latest) {
        JobOptions o = s.jobOptions();
        int version = o.version().orElseGet(() -> latest.computeIfAbsent(s.workflowId(), w -> h.createQuery(
                        "SELECT latest_version FROM workflows WHERE id = :id")
                .bind("id", w)
                .mapTo(Integer.class)
                .one()));
        return new JobStore.NewJob(ids.next(), s.workflowId(), version, o.priority(), o.variablesJson(),
                o.requiredCapabilities(), o.tags(), o.environment(), Optional.empty(), o.maxRetries(), o.timeoutSeconds(),
                "schedule", "schedule:" + s.id());
    }

    /**
     * The rows one transaction writes, sent as batches at the end (jobs, the held ones marked,
     * fires, schedule advances): a minute at which a thousand schedules are due costs a few round
     * trips. The fires' {@code fired_at} is read then, after the jobs are written.
     */
    private final class Writes {
        final Handle h;
        /** No fire is stamped before this: the latest time fired, so a fire is never recorded early. */
        final Instant notBefore;
        final Map<String, Integer> latest = new HashMap<>();
        final List<JobStore.NewJob> newJobs = new ArrayList<>();
        final List<String> held = new ArrayList<>();
        final Set<String> jobIds = new HashSet<>();
        final List<Unstamped> pending = new ArrayList<>();
        final PreparedBatch fires;
        final PreparedBatch advances;

        /** A fire decided, waiting for its time. */
        private record Unstamped(Schedule schedule, Instant scheduledAt, String kind, Optional<String> job,
                Optional<String> reason) {}

        Writes(Handle h, Instant notBefore) {
            this.h = h;
            this.notBefore = notBefore;
            fires = h.prepareBatch("INSERT INTO schedule_fires (schedule_id, scheduled_at, fired_at, kind, outcome, job_id,"
                    + " reason) VALUES (:id, :scheduled, :fired, :kind, :outcome, :job, :reason)");
            advances = h.prepareBatch("UPDATE schedules SET next_fire_at = :next, last_fire_at = :lastFire,"
                    + " last_job_id = :lastJob WHERE id = :id");
        }

        /** @param held true: the job waits for {@code max_concurrent_schedules} */
        String job(JobStore.NewJob job, boolean held) {
            newJobs.add(job);
            jobIds.add(job.id());
            if (held) {
                this.held.add(job.id());
            }
            return job.id();
        }

        boolean started(String jobId) {
            return jobIds.contains(jobId);
        }

        void fire(Schedule schedule, Instant scheduledAt, String kind, Optional<String> job, Optional<String> reason) {
            pending.add(new Unstamped(schedule, scheduledAt, kind, job, reason));
            events.afterCommit(h, Change.scheduleFired(schedule.id(), job, schedule.folderId()));
        }

        void advance(String scheduleId, Optional<Instant> next, Optional<Instant> lastFire, Optional<String> lastJob) {
            advances.bind("next", Jdbi3.ts(next.orElse(null)))
                    .bind("lastFire", Jdbi3.ts(lastFire.orElse(null)))
                    .bind("lastJob", lastJob.orElse(null))
                    .bind("id", scheduleId)
                    .add();
        }

        /** Writes everything; returns the fires, stamped with the time their rows are written. */
        List<Fired> execute() {
            if (!newJobs.isEmpty()) {
                // Inserted as every job is, then marked held: the job insert stays the API's own.
                jobs.insertWithin(h, newJobs);
                ScheduleHolds.hold(h, held);
            }
            Instant stamp = now();
            Instant firedAt = stamp.isBefore(notBefore) ? notBefore : stamp;
            List<Fired> out = new ArrayList<>();
            for (Unstamped f : pending) {
                fires.bind("id", f.schedule().id())
                        .bind("scheduled", Jdbi3.ts(f.scheduledAt()))
                        .bind("fired", Jdbi3.ts(firedAt))
                        .bind("kind", f.kind())
                        .bind("outcome", f.job().isPresent() ? "started" : "skipped")
                        .bind("job", f.job().orElse(null))
                        .bind("reason", f.reason().map(r -> r.length() > 1000 ? r.substring(0, 1000) : r).orElse(null))
                        .add();
                out.add(new Fired(f.schedule().id(), f.scheduledAt(), firedAt, f.job(), f.reason()));
            }
            if (fires.size() > 0) {
                fires.execute();
            }
            if (advances.size() > 0) {
                advances.execute();
            }
            return out;
        }
    }
}
