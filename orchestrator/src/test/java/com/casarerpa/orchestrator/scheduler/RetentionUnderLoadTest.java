package com.casarerpa.orchestrator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.metrics.RetentionMetrics;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.ExpiredRows;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.JobClaims;
import com.casarerpa.orchestrator.store.JobLogs;
import com.casarerpa.orchestrator.store.MaintenanceLease;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Retention of a big backlog on PostgreSQL while jobs keep running: a few hundred thousand old
 * rows (jobs with attempts, logs and tags; schedule fires; audit events) written with
 * {@code generate_series}, then purged with the default settings while a robot (the store's claim
 * and report statements, on a pool of its own) submits, claims, logs and completes jobs without
 * pause. The purge must finish, take nothing that is recent or unfinished, leave the robot's jobs
 * alone, and hold its locks only briefly: the longest batch (one transaction) and the robot's
 * slowest round are bounded. The figures are printed.
 */
@Tag("ops")
class RetentionUnderLoadTest {
    static final int OLD_JOBS = 150_000;
    static final int LOGS_PER_JOB = 2;
    static final int OLD_FIRES = 50_000;
    static final int OLD_AUDIT = 100_000;
    /** The longest one batch may take on this (shared, 2-core) machine: well under the statement timeout. */
    static final Duration LONGEST_BATCH = Duration.ofSeconds(3);
    /** A round of the robot is 16 transactions; on a busy shared machine one takes up to ~3 s without any purge. */
    static final Duration SLOWEST_ROUND = Duration.ofSeconds(10);

    @Test
    void a_big_backlog_is_purged_in_short_batches_while_a_robot_keeps_completing_jobs() throws Exception {
        try (MigratedDatabase db = MigratedDatabase.postgres();
                Database robotSide = Database.open(db.url(), PoolSettings.forCommand())) {
            QueueFixture q = new QueueFixture(robotSide, Duration.ZERO);
            Jdbi jdbi = Jdbi3.of(db.database(), 10); // the server's statement timeout
            long seeding = System.nanoTime();
            seed(Jdbi3.of(db.database())); // no statement timeout: the inserts take a while
            Duration seeded = Duration.ofNanos(System.nanoTime() - seeding);
            long oldRows = OLD_JOBS * (3L + LOGS_PER_JOB) + OLD_FIRES + OLD_AUDIT;

            Robot robot = new Robot(q);
            Thread robotThread = Thread.ofPlatform().name("robot").start(robot);
            try {
                await(() -> robot.completed.get() >= 20);
                long baselineFrom = robot.rounds.get();
                await(() -> robot.rounds.get() >= baselineFrom + 50);
                Duration baseline = robot.slowestAndReset();
                LockWaits waits = new LockWaits(jdbi);
                Thread sampler = Thread.ofPlatform().name("lock-waits").start(waits);
                PurgeExpiredRows purge = new PurgeExpiredRows(new ExpiredRows(jdbi, db.database().dialect()),
                        new MaintenanceLease(jdbi, db.database().dialect(), "retention", "ops-test", PurgeExpiredRows.LEASE),
                        new OrchestratorSettings.Retention(true, 90, 90, 365, 500, 60), Clock.systemUTC(), RetentionMetrics.none());
                long started = System.nanoTime();
                long completedBefore = robot.completed.get();
                PurgeExpiredRows.Outcome outcome = purge.run();
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                long completedDuring = robot.completed.get() - completedBefore;

                waits.stop.set(true);
                sampler.join(10_000);
                robot.stop.set(true);
                robotThread.join(30_000);
                System.out.printf("retention under load: seeded %,d old rows in %d s; purged %,d rows in %.1f s (%,d rows/s) in %d batches,"
                                + " longest batch %d ms; longest lock wait seen in pg_stat_activity %d ms; robot completed %,d jobs meanwhile,"
                                + " its slowest round %d ms (before the purge: %d ms); purged per table %s%n",
                        oldRows, seeded.toSeconds(), outcome.total(), took.toMillis() / 1000.0,
                        Math.round(outcome.total() / Math.max(0.001, took.toMillis() / 1000.0)), outcome.batches(),
                        outcome.longest().toMillis(), waits.longest().toMillis(), completedDuring, robot.slowest().toMillis(),
                        baseline.toMillis(), outcome.purged());

                assertThat(robot.failures).as("the robot's statements all worked").isEmpty();
                assertThat(outcome.purged()).containsEntry("jobs", OLD_JOBS).containsEntry("job_logs", OLD_JOBS * LOGS_PER_JOB)
                        .containsEntry("job_attempts", OLD_JOBS).containsEntry("job_tags", OLD_JOBS)
                        .containsEntry("schedule_fires", OLD_FIRES).containsEntry("audit_events", OLD_AUDIT);
                assertThat(outcome.longest()).as("the longest batch").isLessThan(LONGEST_BATCH);
                assertThat(waits.longest()).as("the longest wait for a lock anyone had meanwhile").isLessThan(LONGEST_BATCH);
                assertThat(robot.slowest()).as("the robot's slowest round (submit, claim, log, complete: 16 transactions)")
                        .isLessThan(SLOWEST_ROUND);
                assertThat(completedDuring).as("jobs kept running during the purge").isPositive();
                assertThat(count(jdbi, "SELECT COUNT(*) FROM jobs WHERE id LIKE 'old_unfinished_%'")).isEqualTo(100);
                assertThat(count(jdbi, "SELECT COUNT(*) FROM jobs WHERE id LIKE 'job_%' AND state <> 'succeeded'"))
                        .as("every job the robot ran is there and succeeded, but those it held when it stopped").isLessThanOrEqualTo(10);
                assertThat(count(jdbi, "SELECT COUNT(*) FROM jobs WHERE id LIKE 'job_%'")).isEqualTo(robot.submitted.get());
                assertThat(count(jdbi, "SELECT COUNT(*) FROM job_logs l JOIN jobs j ON j.id = l.job_id WHERE j.id LIKE 'job_%'"))
                        .as("the robot's jobs keep their logs").isEqualTo(robot.logged.get());
            } finally {
                robot.stop.set(true);
                robotThread.join(30_000);
            }
        }
    }

    /** The old rows, fast: finished jobs 100 to 300 days old with what hangs off them, 100 old unfinished jobs, fires, audit events. */
    private static void seed(Jdbi jdbi) {
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags, max_retries, attempt,"
                    + " run_after, source, created_by, created_at, updated_at, started_at, finished_at)"
                    + " SELECT 'old_' || i, 'wf_fixture', 1, CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'succeeded' END, 10,"
                    + " '{\"n\": ' || i || '}', '[\"nightly\"]', 3, 1, t, 'api', 'test', t, t, t, t + INTERVAL '1 minute'"
                    + " FROM (SELECT i, now() - INTERVAL '300 days' + i * INTERVAL '1 minute' AS t"
                    + " FROM generate_series(1, " + OLD_JOBS + ") AS i) s");
            h.execute("INSERT INTO job_attempts (job_id, attempt, robot_id, lease_token, assigned_at, started_at, ended_at, outcome)"
                    + " SELECT id, 1, 'robot-old', 'token', created_at, created_at, finished_at, state FROM jobs WHERE id LIKE 'old_%'");
            h.execute("INSERT INTO job_tags (job_id, tag) SELECT id, 'nightly' FROM jobs WHERE id LIKE 'old_%'");
            h.execute("INSERT INTO job_logs (job_id, attempt, logged_at, level, message, seq)"
                    + " SELECT id, 1, created_at, 'INFO', 'step ' || n || ' of job ' || id || ' done', n"
                    + " FROM jobs, generate_series(1, " + LOGS_PER_JOB + ") AS n WHERE id LIKE 'old_%'");
            h.execute("INSERT INTO jobs (id, workflow_id, workflow_version, state, priority, variables, tags, max_retries, attempt,"
                    + " run_after, source, created_by, created_at, updated_at)"
                    + " SELECT 'old_unfinished_' || i, 'wf_fixture', 1, 'pending', 10, '{}', '[]', 3, 0,"
                    + " now() + INTERVAL '300 days', 'api', 'test', now() - INTERVAL '300 days', now() - INTERVAL '300 days'"
                    + " FROM generate_series(1, 100) AS i");
            h.execute("INSERT INTO schedules (id, name, workflow_id, cron, timezone, enabled, job_options, misfire_policy,"
                    + " misfire_limit, overlap_policy, created_at, updated_at, created_by) VALUES ('sch_ops', 'ops', 'wf_fixture',"
                    + " '* * * * *', 'UTC', FALSE, '{}', 'fire_once', 10, 'allow', now(), now(), 'test')");
            h.execute("INSERT INTO schedule_fires (schedule_id, scheduled_at, fired_at, kind, outcome, reason)"
                    + " SELECT 'sch_ops', t, t, 'cron', 'skipped', 'overlap' FROM (SELECT now() - INTERVAL '300 days'"
                    + " + i * INTERVAL '1 minute' AS t FROM generate_series(1, " + OLD_FIRES + ") AS i) s");
            h.execute("INSERT INTO audit_events (occurred_at, actor_kind, actor_id, actor_name, action, target_type, target_id, details)"
                    + " SELECT now() - INTERVAL '800 days' + i * INTERVAL '1 minute', 'api_key', 'key_ops', 'ops', 'job.submit', 'job',"
                    + " 'old_' || i, '{}' FROM generate_series(1, " + OLD_AUDIT + ") AS i");
            h.execute("ANALYZE");
        });
    }

    /** Submits a few jobs, claims them, logs a line each and completes them, again and again, timing each round. */
    static final class Robot implements Runnable {
        final QueueFixture q;
        final JobLogs logs;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong logged = new AtomicLong();
        final AtomicLong slowestNanos = new AtomicLong();
        final AtomicLong rounds = new AtomicLong();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        Robot(QueueFixture q) {
            this.q = q;
            this.logs = new JobLogs(q.jdbi);
        }

        @Override
        public void run() {
            while (!stop.get()) {
                long start = System.nanoTime();
                try {
                    List<Job> jobs = q.jobs.submitAll(List.of(q.job(), q.job(), q.job(), q.job(), q.job()));
                    submitted.addAndGet(jobs.size());
                    for (JobClaims.Claim c : q.claims.claim(q.robot("robot-live", 10))) {
                        q.reports.started(c.job().id(), c.lease().token());
                        logs.append(c.job().id(), c.lease().token(), List.of(new JobLogs.Entry(1, Instant.now(), "INFO", "working",
                                Optional.empty(), Optional.empty())));
                        logged.incrementAndGet();
                        q.reports.completed(c.job().id(), c.lease().token(), "{}");
                        completed.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                rounds.incrementAndGet();
            }
        }

        Duration slowest() {
            return Duration.ofNanos(slowestNanos.get());
        }

        Duration slowestAndReset() {
            return Duration.ofNanos(slowestNanos.getAndSet(0));
        }
    }

    /** Samples, every 50 ms, how long the longest current wait for a lock in this database has lasted. */
    static final class LockWaits implements Runnable {
        final Jdbi jdbi;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong longestMillis = new AtomicLong();

        LockWaits(Jdbi jdbi) {
            this.jdbi = jdbi;
        }

        @Override
        public void run() {
            jdbi.useHandle(h -> {
                while (!stop.get()) {
                    long ms = h.createQuery("SELECT COALESCE(MAX(EXTRACT(EPOCH FROM clock_timestamp() - state_change) * 1000), 0)"
                            + " FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                            .mapTo(Double.class).one().longValue();
                    longestMillis.accumulateAndGet(ms, Math::max);
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
                }
            });
        }

        Duration longest() {
            return Duration.ofMillis(longestMillis.get());
        }
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition::getAsBoolean);
    }
}
