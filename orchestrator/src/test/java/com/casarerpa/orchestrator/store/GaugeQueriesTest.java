package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The shared gauges' reading: live jobs by state, the oldest dispatchable job's wait, robots and their slots. */
class GaugeQueriesTest {
    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        QueueFixture q;
        RobotStore robots;
        GaugeQueries gauges;

        @BeforeEach
        void setUp() {
            db = database.migrated(dir);
            q = new QueueFixture(db.database(), Duration.ofHours(1)); // a failed attempt waits an hour for its retry
            robots = new RobotStore(q.jdbi, db.database().dialect());
            gauges = new GaugeQueries(q.jdbi);
        }

        @AfterEach
        void tearDown() {
            db.close();
        }

        private void register(String id, int slots) {
            robots.register(new Robot.Registration(id, id, Optional.empty(), List.of(), List.of(), Optional.empty(), slots,
                    Optional.empty(), "websocket"), Optional.empty());
        }

        private JobClaims.Claim claim(String robot) {
            q.jobs.submitAll(List.of(q.job()));
            return q.claims.claim(q.robot(robot, 1)).getFirst();
        }

        @Test
        void an_empty_database_reads_all_zero() {
            assertThat(gauges.read()).isEqualTo(GaugeQueries.Figures.none());
        }

        @Test
        void live_jobs_by_state_robots_by_status_and_the_slots_of_robots_that_are_there() {
            register("r-busy", 3);
            register("r-maintenance", 2);
            register("r-gone", 2);
            JobClaims.Claim running = claim("r-busy");
            q.reports.started(running.job().id(), running.lease().token());
            claim("r-busy");
            claim("r-maintenance");
            claim("r-gone");
            JobClaims.Claim flaky = claim("r-flaky");
            assertThat(q.reports.failed(flaky.job().id(), flaky.lease().token(), "NodeError", "boom")).isEqualTo(JobState.PENDING);
            JobClaims.Claim done = claim("r-busy");
            q.reports.completed(done.job().id(), done.lease().token(), "{}");
            robots.setStatus("r-busy", Robot.Status.BUSY);
            robots.setMaintenance("r-maintenance", true);
            robots.setStatus("r-gone", Robot.Status.OFFLINE);

            GaugeQueries.Figures f = gauges.read();
            assertThat(f.jobs()).isEqualTo(Map.of(JobState.PENDING, 1L, JobState.ASSIGNED, 3L, JobState.RUNNING, 1L));
            assertThat(f.oldestWaiting()).as("the only pending job waits for its retry time").isZero();
            assertThat(f.robots()).isEqualTo(Map.of("online", 1L, "busy", 1L, "offline", 1L));
            assertThat(f.slotsUsed()).as("2 of r-busy, 1 of r-maintenance; r-gone is offline").isEqualTo(3);
            assertThat(f.slotsFree()).as("1 of r-busy; a robot in maintenance offers none").isEqualTo(1);
        }

        @Test
        void the_oldest_wait_counts_only_jobs_that_may_be_dispatched_now() {
            q.jobs.submitAll(List.of(q.job(), q.job()));
            await().atMost(Duration.ofSeconds(5)).until(() -> gauges.read().oldestWaiting().compareTo(Duration.ofMillis(200)) > 0);
            assertThat(gauges.read().oldestWaiting()).isLessThan(Duration.ofSeconds(5));
            assertThat(gauges.read().jobs().get(JobState.PENDING)).isEqualTo(2);
        }
    }
}
