package com.casarerpa.orchestrator.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.metrics.Metrics;
import com.casarerpa.orchestrator.metrics.RetentionMetrics;
import com.casarerpa.orchestrator.store.ExpiredRows;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.MaintenanceLease;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.JobHistoryRows;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * Retention on PostgreSQL and H2: what is old and finished goes with everything hanging off it,
 * what is recent, unfinished or still needed stays, batches are bounded, and two instances never
 * purge at once. The clock of the purge is the system's (the lease uses the database's); the rows
 * are written with times relative to it.
 */
class PurgeExpiredRowsTest {
    private static final OrchestratorSettings.Retention DEFAULTS = new OrchestratorSettings.Retention(true, 90, 90, 365, 500, 60);

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        Jdbi jdbi;
        final Instant now = Instant.now();

        @BeforeEach
        void open() {
            db = database.migrated(dir);
            new QueueFixture(db.database(), Duration.ZERO); // the workflow the jobs run
            jdbi = Jdbi3.of(db.database());
        }

        @AfterEach
        void close() {
            db.close();
        }

        @Test
        void old_finished_jobs_go_with_their_logs_attempts_tags_and_requirements_and_the_rest_stays() {
            for (String state : List.of("succeeded", "failed", "cancelled", "timed_out")) {
                job("old_" + state, state, daysAgo(120), Optional.of(daysAgo(100)));
            }
            job("recent", "succeeded", daysAgo(100), Optional.of(daysAgo(80)));
            job("old_pending", "pending", daysAgo(200), Optional.empty());
            job("old_running", "running", daysAgo(200), Optional.empty());
            job("old_latest_of_schedule", "succeeded", daysAgo(200), Optional.of(daysAgo(199)));
            schedule("sch_nightly", Optional.of("old_latest_of_schedule"));

            PurgeExpiredRows.Outcome outcome = purge("i1", DEFAULTS, RetentionMetrics.none()).run();

            assertThat(outcome.ran()).isTrue();
            assertThat(jobIds()).containsExactlyInAnyOrder("recent", "old_pending", "old_running", "old_latest_of_schedule");
            for (String child : ExpiredRows.JOB_CHILDREN) {
                assertThat(strings("SELECT DISTINCT job_id FROM " + child))
                        .as(child).containsExactlyInAnyOrder("recent", "old_pending", "old_running", "old_latest_of_schedule");
            }
            assertThat(outcome.purged()).containsEntry("jobs", 4).containsEntry("job_logs", 8).containsEntry("job_attempts", 4)
                    .containsEntry("job_tags", 4).containsEntry("job_requirements", 4);
        }

        @Test
        void schedule_fires_audit_events_batch_keys_and_bulk_actions_go_by_their_own_ages() {
            schedule("sch_hourly", Optional.empty());
            fire("sch_hourly", daysAgo(91));
            fire("sch_hourly", daysAgo(89));
            audit(daysAgo(366));
            audit(daysAgo(364));
            job("old_in_batch", "succeeded", daysAgo(200), Optional.of(daysAgo(199)));
            job("recent_in_batch", "succeeded", daysAgo(10), Optional.of(daysAgo(9)));
            batchKey("spent", daysAgo(200), "old_in_batch");
            batchKey("its_job_is_kept", daysAgo(200), "recent_in_batch");
            batchKey("recent", daysAgo(10), "gone_long_ago");
            bulkAction("old_bulk", daysAgo(100));
            bulkAction("recent_bulk", daysAgo(10));

            PurgeExpiredRows.Outcome outcome = purge("i1", DEFAULTS, RetentionMetrics.none()).run();

            assertThat(count("schedule_fires")).isEqualTo(1);
            assertThat(count("audit_events")).isEqualTo(1);
            assertThat(strings("SELECT idempotency_key FROM job_batches"))
                    .containsExactlyInAnyOrder("its_job_is_kept", "recent");
            assertThat(strings("SELECT id FROM job_bulk_actions"))
                    .containsExactly("recent_bulk");
            assertThat(outcome.purged()).containsEntry("schedule_fires", 1).containsEntry("audit_events", 1)
                    .containsEntry("job_batches", 1).containsEntry("job_bulk_actions", 1).containsEntry("jobs", 1);
        }

        @Test
        void an_age_of_zero_keeps_that_kind_for_ever() {
            job("ancient", "succeeded", daysAgo(3000), Optional.of(daysAgo(3000)));
            audit(daysAgo(3000));

            purge("i1", new OrchestratorSettings.Retention(true, 0, 90, 0, 500, 60), RetentionMetrics.none()).run();

            assertThat(jobIds()).containsExactly("ancient");
            assertThat(count("audit_events")).isEqualTo(1);
        }

        @Test
        void batches_are_bounded_and_a_backlog_goes_in_one_pass() {
            for (int i = 0; i < 11; i++) {
                job("old_" + i, "succeeded", daysAgo(200), Optional.of(daysAgo(150).plusSeconds(i % 3)));
                audit(daysAgo(400));
            }
            MaintenanceLease lease = lease("i1");
            assertThat(lease.acquire()).isTrue();
            ExpiredRows rows = new ExpiredRows(jdbi, db.database().dialect());
            ExpiredRows.JobBatch first = rows.purgeJobs(lease, daysAgo(90), 4, Optional.empty());
            assertThat(first.jobs()).isEqualTo(4);
            assertThat(first.deleted()).containsEntry("job_logs", 8);
            assertThat(first.next()).isPresent();
            assertThat(rows.purgeAuditEvents(lease, daysAgo(365), 4)).isEqualTo(4);
            lease.release();

            PurgeExpiredRows.Outcome outcome = purge("i1", new OrchestratorSettings.Retention(true, 90, 90, 365, 4, 60),
                    RetentionMetrics.none()).run();

            assertThat(outcome.purged()).containsEntry("jobs", 7).containsEntry("audit_events", 7);
            assertThat(outcome.batches()).as("7 jobs and 7 events, 4 a batch: 2 + 1 of keys + 1 of bulk actions + 2 + 1 of fires")
                    .isGreaterThanOrEqualTo(5);
            assertThat(jobIds()).isEmpty();
            assertThat(count("audit_events")).isZero();
        }

        @Test
        void two_instances_never_purge_at_once_and_a_lease_that_ran_out_fences_its_old_holder() {
            job("old", "succeeded", daysAgo(200), Optional.of(daysAgo(150)));
            MaintenanceLease first = lease("instance-a");
            assertThat(first.acquire()).isTrue();

            PurgeExpiredRows.Outcome second = purge("instance-b", DEFAULTS, RetentionMetrics.none()).run();

            assertThat(second.ran()).as("instance-a holds the lease").isFalse();
            assertThat(jobIds()).containsExactly("old");
            assertThat(first.holder()).contains("instance-a");

            // instance-a stalls past its lease; instance-b takes it over and instance-a's next batch is refused.
            jdbi.useHandle(h -> h.execute("UPDATE maintenance_leases SET expires_at = ? WHERE name = 'retention'",
                    Jdbi3.ts(Instant.now().minus(Duration.ofMinutes(1)))));
            MaintenanceLease takeover = lease("instance-b");
            assertThat(takeover.acquire()).isTrue();
            ExpiredRows rows = new ExpiredRows(jdbi, db.database().dialect());
            assertThatThrownBy(() -> rows.purgeJobs(first, daysAgo(90), 10, Optional.empty()))
                    .isInstanceOf(MaintenanceLease.LostException.class);
            assertThat(jobIds()).as("the refused batch rolled back").containsExactly("old");
            first.release();
            assertThat(takeover.holder()).as("a release by a former holder changes nothing").contains("instance-b");

            assertThat(rows.purgeJobs(takeover, daysAgo(90), 10, Optional.empty()).jobs()).isEqualTo(1);
            takeover.release();
            assertThat(takeover.holder()).isEmpty();
        }

        @Test
        void purged_rows_are_counted_per_table_in_the_metric() {
            job("old", "failed", daysAgo(200), Optional.of(daysAgo(150)));
            audit(daysAgo(400));
            try (Metrics metrics = Metrics.prometheus()) {
                purge("i1", DEFAULTS, metrics.retention()).run();

                assertThat(metrics.scrape())
                        .contains("casare_retention_purged_rows_total{table=\"jobs\"} 1.0")
                        .contains("casare_retention_purged_rows_total{table=\"job_logs\"} 2.0")
                        .contains("casare_retention_purged_rows_total{table=\"audit_events\"} 1.0")
                        .contains("casare_retention_purged_rows_total{table=\"schedule_fires\"} 0.0")
                        .contains("casare_retention_batch_duration_seconds_count");
            }
        }

        private PurgeExpiredRows purge(String instance, OrchestratorSettings.Retention settings, RetentionMetrics metrics) {
            return new PurgeExpiredRows(new ExpiredRows(jdbi, db.database().dialect()), lease(instance), settings,
                    Clock.fixed(now, java.time.ZoneOffset.UTC), metrics);
        }

        private MaintenanceLease lease(String instance) {
            return new MaintenanceLease(jdbi, db.database().dialect(), "retention", instance, PurgeExpiredRows.LEASE);
        }

        private Instant daysAgo(int days) {
            return now.minus(Duration.ofDays(days));
        }

        /** A job with one attempt, two log lines, a tag and a requirement. */
        private void job(String id, String state, Instant created, Optional<Instant> finished) {
            JobHistoryRows.job(jdbi, id, state, created, finished, 2);
        }

        private void schedule(String id, Optional<String> lastJob) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO schedules (id, name, workflow_id, cron, timezone, enabled, job_options,"
                            + " misfire_policy, misfire_limit, overlap_policy, last_job_id, created_at, updated_at, created_by)"
                            + " VALUES (:id, :id, 'wf_fixture', '@daily', 'UTC', FALSE, '{}', 'fire_once', 10, 'allow', :job,"
                            + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'test')")
                    .bind("id", id).bind("job", lastJob.orElse(null)).execute());
        }

        private void fire(String schedule, Instant at) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO schedule_fires (schedule_id, scheduled_at, fired_at, kind, outcome)"
                            + " VALUES (:s, :at, :at, 'cron', 'skipped')")
                    .bind("s", schedule).bind("at", Jdbi3.ts(at)).execute());
        }

        private void audit(Instant at) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO audit_events (occurred_at, actor_kind, actor_id, actor_name, action,"
                            + " target_type, details) VALUES (:at, 'api_key', 'key_1', 'ci', 'job.submit', 'job', '{}')")
                    .bind("at", Jdbi3.ts(at)).execute());
        }

        private void batchKey(String key, Instant at, String jobId) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO job_batches (scope, idempotency_key, request_hash, job_ids, created_at)"
                            + " VALUES ('api_key:key_1', :key, :hash, :ids, :at)")
                    .bind("key", key).bind("hash", "0".repeat(64)).bind("ids", "[\"" + jobId + "\"]").bind("at", Jdbi3.ts(at))
                    .execute());
        }

        private void bulkAction(String id, Instant finished) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO job_bulk_actions (id, action, filter, status, total, done, skipped,"
                            + " failed, creator, created_by, created_at, updated_at, finished_at) VALUES (:id, 'retry', '{}',"
                            + " 'succeeded', 1, 1, 0, 0, 'test', 'test', :at, :at, :at)")
                    .bind("id", id).bind("at", Jdbi3.ts(finished)).execute());
        }

        private List<String> jobIds() {
            return strings("SELECT id FROM jobs");
        }

        private List<String> strings(String sql) {
            return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
        }

        private long count(String table) {
            return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
        }
    }
}
