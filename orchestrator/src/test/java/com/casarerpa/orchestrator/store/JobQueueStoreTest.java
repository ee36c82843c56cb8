package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.FleetClaim;
import com.casarerpa.orchestrator.domain.Job;
import com.casarerpa.orchestrator.domain.JobAssignment;
import com.casarerpa.orchestrator.domain.JobState;
import com.casarerpa.orchestrator.domain.Submitted;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** Queue semantics of DESIGN.md §3–4 at the store, on PostgreSQL and on H2. */
class JobQueueStoreTest {

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase migrated;
        Database db;
        QueueFixture q;

        @BeforeEach
        void setUp() {
            migrated = database.migrated(dir);
            db = migrated.database();
            q = new QueueFixture(db, Duration.ZERO);
        }

        @AfterEach
        void tearDown() {
            migrated.close();
        }

        Job job(String id) {
            return q.jobs.find(id).orElseThrow();
        }

        @Test
        void a_claim_for_a_websocket_connection_holds_only_while_it_is_the_robots_current_one() {
            RobotStore robots = new RobotStore(q.jdbi, db.dialect());
            robots.register(new com.casarerpa.orchestrator.domain.Robot.Registration("ws-robot", "ws-robot", Optional.of("h"),
                    List.of(), List.of(), Optional.of("default"), 2, Optional.empty(), "websocket"), Optional.empty());
            assertThat(robots.connect("ws-robot", "c_old", "i_a")).isEmpty();
            assertThat(robots.connect("ws-robot", "c_new", "i_b")).contains(new RobotStore.Connection("c_old", "i_a"));
            String jobId = q.jobs.submit(q.job()).job().id();

            assertThat(q.claims.claim(q.robot("ws-robot", 1).onConnection("c_old"))).as("replaced connection").isEmpty();
            assertThat(job(jobId).state()).isEqualTo(JobState.PENDING);
            assertThat(q.claims.claim(q.robot("ws-robot", 1).onConnection("c_new"))).extracting(c -> c.job().id())
                    .containsExactly(jobId);

            robots.disconnect("ws-robot", "c_old");
            assertThat(robots.currentConnections(List.of("ws-robot", "gone"))).isEqualTo(java.util.Map.of("ws-robot", "c_new"));
            robots.disconnect("ws-robot", "c_new");
            assertThat(robots.currentConnections(List.of("ws-robot"))).isEqualTo(java.util.Map.of("ws-robot", ""));
            q.jobs.submit(q.job());
            assertThat(q.claims.claim(q.robot("ws-robot", 1).onConnection("c_new"))).as("closed connection").isEmpty();
        }

        @Test
        void a_fleet_claim_gives_nothing_to_the_slots_of_a_robot_whose_connection_was_replaced() {
            RobotStore robots = new RobotStore(q.jdbi, db.dialect());
            for (String id : List.of("ws-a", "ws-b")) {
                robots.register(new com.casarerpa.orchestrator.domain.Robot.Registration(id, id, Optional.of("h"),
                        List.of(), List.of(), Optional.of("default"), 2, Optional.empty(), "websocket"), Optional.empty());
            }
            robots.connect("ws-a", "c_a", "i_a");
            robots.connect("ws-b", "c_b_old", "i_a");
            robots.connect("ws-b", "c_b_new", "i_b");
            List<Job> submitted = q.jobs.submitAll(List.of(q.job(10, List.of()), q.job(10, List.of()), q.job(10, List.of()),
                    q.job(10, List.of())));

            List<JobAssignment> got = q.claims.claimForFleet(new FleetClaim(java.util.Set.of(),
                    Optional.of("default"), Optional.empty(), List.of("ws-a", "ws-b", "ws-a", "ws-b"), 300,
                    java.util.Map.of("ws-a", "c_a", "ws-b", "c_b_old")));

            assertThat(got).as("only ws-a's two slots count").hasSize(2)
                    .allSatisfy(a -> assertThat(a.lease().robotId()).isEqualTo("ws-a"));
            assertThat(submitted.stream().map(j -> job(j.id()).state()))
                    .containsExactlyInAnyOrder(JobState.ASSIGNED, JobState.ASSIGNED, JobState.PENDING, JobState.PENDING);
        }

        @Test
        void a_submitted_job_is_pending_and_an_idempotent_resubmit_returns_the_first() {
            JobStore.Idempotency key = new JobStore.Idempotency("api_key:k1", "order-42", "a".repeat(64));
            JobStore.NewJob first = new JobStore.NewJob("job_a", q.workflowId, 1, 10, "{\"x\":1}", List.of("browser"),
                    List.of("t1"), Optional.empty(), Optional.of(key), 3, Optional.of(600), "api", "test");
            Submitted s = q.jobs.submit(first);
            assertThat(s.created()).isTrue();
            assertThat(s.job().state()).isEqualTo(JobState.PENDING);
            assertThat(s.job().requiredCapabilities()).containsExactly("browser");
            assertThat(s.job().timeoutSeconds()).contains(600);
            assertThat(s.job().idempotencyKey()).contains("order-42");

            Submitted s2 = q.jobs.submit(keyed("job_b", key));
            assertThat(s2.created()).isFalse();
            assertThat(s2.sameRequest()).isTrue();
            assertThat(s2.job().id()).isEqualTo("job_a");
            assertThat(q.jobs.find("job_b")).isEmpty();

            Submitted other = q.jobs.submit(keyed("job_c", new JobStore.Idempotency("api_key:k1", "order-42", "b".repeat(64))));
            assertThat(other.created()).isFalse();
            assertThat(other.sameRequest()).as("the key stands for another request").isFalse();
            assertThat(q.jobs.find("job_c")).isEmpty();

            Submitted elsewhere = q.jobs.submit(keyed("job_d", new JobStore.Idempotency("webhook:wh_1", "order-42",
                    "a".repeat(64))));
            assertThat(elsewhere.created()).as("another caller's key is its own").isTrue();
        }

        private JobStore.NewJob keyed(String id, JobStore.Idempotency key) {
            return new JobStore.NewJob(id, q.workflowId, 1, 5, "{}", List.of(), List.of(), Optional.empty(), Optional.of(key), 3,
                    Optional.empty(), "api", "test");
        }

        @Test
        void claims_take_higher_priority_first_then_oldest_and_never_more_than_asked() {
            List<Job> low = q.jobs.submitAll(List.of(q.job(1, List.of()), q.job(1, List.of())));
            Job high = q.jobs.submitAll(List.of(q.job(20, List.of()))).getFirst();
            Job mid = q.jobs.submitAll(List.of(q.job(10, List.of()))).getFirst();

            List<JobClaims.Claim> claimed = q.claims.claim(q.robot("r1", 3));
            // Jobs of one batch share their creation time; between them the order is by id.
            String firstLow = low.stream().map(Job::id).sorted().findFirst().orElseThrow();
            String secondLow = low.stream().map(Job::id).sorted().skip(1).findFirst().orElseThrow();
            assertThat(claimed).extracting(c -> c.job().id()).containsExactly(high.id(), mid.id(), firstLow);
            assertThat(claimed).allSatisfy(c -> {
                assertThat(c.job().state()).isEqualTo(JobState.ASSIGNED);
                assertThat(c.job().robotId()).contains("r1");
                assertThat(c.lease().attempt()).isEqualTo(1);
                assertThat(c.lease().token()).isNotBlank();
            });
            assertThat(q.claims.claim(q.robot("r2", 5))).extracting(c -> c.job().id()).containsExactly(secondLow);
            assertThat(q.claims.claim(q.robot("r3", 5))).isEmpty();
        }

        @Test
        void a_robot_gets_only_jobs_whose_requirements_it_meets_and_whose_environment_it_serves() {
            Job browser = q.jobs.submitAll(List.of(q.job(10, List.of("browser")))).getFirst();
            Job both = q.jobs.submitAll(List.of(q.job(10, List.of("browser", "desktop")))).getFirst();
            Job staging = q.jobs.submit(new JobStore.NewJob("job_staging", q.workflowId, 1, 10, "{}", List.of(), List.of(),
                    Optional.of("staging"), Optional.empty(), 3, Optional.empty(), "api", "test")).job();

            JobClaims.Claimer plain = new JobClaims.Claimer("plain", Set.of(), Optional.of("default"), 10, 60);
            assertThat(q.claims.claim(plain)).isEmpty();
            JobClaims.Claimer browserOnly = new JobClaims.Claimer("b", Set.of("browser", "high_memory"), Optional.of("default"), 10, 60);
            assertThat(q.claims.claim(browserOnly)).extracting(c -> c.job().id()).containsExactly(browser.id());
            JobClaims.Claimer stagingDesktop = new JobClaims.Claimer("s", Set.of("browser", "desktop"), Optional.of("staging"), 10, 60);
            assertThat(q.claims.claim(stagingDesktop)).extracting(c -> c.job().id()).containsExactlyInAnyOrder(both.id(), staging.id());
        }

        @Test
        void a_robot_that_lists_its_node_types_gets_only_workflows_it_can_run() {
            q.jdbi.useHandle(h -> {
                h.execute("INSERT INTO workflow_node_types (workflow_id, version, node_type) VALUES ('wf_fixture', 1, 'StartNode')");
                h.execute("INSERT INTO workflow_node_types (workflow_id, version, node_type) VALUES ('wf_fixture', 1, 'HttpRequestNode')");
            });
            Job j = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claimer basic = new JobClaims.Claimer("basic", Set.of(), Optional.of("default"), 1, 60,
                    Optional.of(Set.of("StartNode", "SetVariableNode")));
            assertThat(q.claims.claim(basic)).isEmpty();
            JobClaims.Claimer web = new JobClaims.Claimer("web", Set.of(), Optional.of("default"), 1, 60,
                    Optional.of(Set.of("StartNode", "HttpRequestNode", "LogNode")));
            assertThat(q.claims.claim(web)).extracting(c -> c.job().id()).containsExactly(j.id());

            Job k = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claimer unspecified = new JobClaims.Claimer("any", Set.of(), Optional.of("default"), 1, 60, Optional.empty());
            assertThat(q.claims.claim(unspecified)).extracting(c -> c.job().id()).containsExactly(k.id());
        }

        @Test
        void an_expired_lease_puts_the_job_back_as_a_new_attempt_and_the_old_lease_is_refused() {
            Job j = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claim first = q.claims.claim(new JobClaims.Claimer("dead", Set.of(), Optional.of("default"), 1, 0)).getFirst();
            q.reports.started(j.id(), first.lease().token());

            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.expireLeases(100).isEmpty());
            assertThat(job(j.id()).state()).isEqualTo(JobState.PENDING);
            assertThat(job(j.id()).errorType()).contains("lease_expired");

            JobClaims.Claim second = q.claims.claim(q.robot("alive", 1)).getFirst();
            assertThat(second.lease().attempt()).isEqualTo(2);
            assertThat(second.lease().token()).isNotEqualTo(first.lease().token());

            assertThatThrownBy(() -> q.reports.completed(j.id(), first.lease().token(), "{}"))
                    .isInstanceOf(StaleLeaseException.class).hasMessageContaining("nothing was changed");
            assertThat(job(j.id()).state()).isEqualTo(JobState.ASSIGNED);
            assertThat(job(j.id()).robotId()).contains("alive");

            q.reports.completed(j.id(), second.lease().token(), "{\"ok\":true}");
            q.reports.completed(j.id(), second.lease().token(), "{\"ok\":true}");
            assertThat(job(j.id()).state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(job(j.id()).result()).contains("{\"ok\":true}");
        }

        @Test
        void a_failure_retries_until_attempts_are_spent_then_the_job_fails() {
            Job j = q.jobs.submit(new JobStore.NewJob("job_retry", q.workflowId, 1, 10, "{}", List.of(), List.of(),
                    Optional.empty(), Optional.empty(), 1, Optional.empty(), "api", "test")).job();
            JobClaims.Claim a1 = q.claims.claim(q.robot("r", 1)).getFirst();
            q.reports.started(j.id(), a1.lease().token());
            assertThat(q.reports.failed(j.id(), a1.lease().token(), "NodeError", "boom 1")).isEqualTo(JobState.PENDING);
            assertThat(job(j.id()).startedAt()).as("a retry's timeout counts from its own start").isEmpty();
            JobClaims.Claim a2 = q.claims.claim(q.robot("r", 1)).getFirst();
            assertThat(a2.lease().attempt()).isEqualTo(2);
            assertThat(q.reports.failed(j.id(), a2.lease().token(), "NodeError", "boom 2")).isEqualTo(JobState.FAILED);
            Job failed = job(j.id());
            assertThat(failed.errorMessage()).contains("boom 2");
            assertThat(failed.finishedAt()).isPresent();
            assertThat(q.claims.claim(q.robot("r", 1))).isEmpty();
            // the same failure reported again is accepted; a completion under that lease is not
            assertThat(q.reports.failed(j.id(), a2.lease().token(), "NodeError", "boom 2")).isEqualTo(JobState.FAILED);
            assertThatThrownBy(() -> q.reports.completed(j.id(), a2.lease().token(), "{}")).isInstanceOf(StaleLeaseException.class);
        }

        @Test
        void a_retry_waits_for_its_delay() {
            QueueFixture delayed = new QueueFixture(db, Duration.ofHours(1));
            Job j = delayed.jobs.submitAll(List.of(new JobStore.NewJob("job_delay", "wf_fixture", 1, 10, "{}", List.of(),
                    List.of(), Optional.empty(), Optional.empty(), 3, Optional.empty(), "api", "test"))).getFirst();
            JobClaims.Claim c = delayed.claims.claim(delayed.robot("r", 1)).getFirst();
            delayed.reports.failed(j.id(), c.lease().token(), "E", "m");
            Job pending = job(j.id());
            assertThat(pending.state()).isEqualTo(JobState.PENDING);
            assertThat(pending.runAfter()).isAfter(pending.updatedAt().plus(Duration.ofMinutes(29)));
            assertThat(delayed.claims.claim(delayed.robot("r", 1))).isEmpty();
        }

        @Test
        void a_release_puts_the_job_back_at_once_without_counting_the_attempt() {
            Job j = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claim c = q.claims.claim(q.robot("r", 1)).getFirst();
            q.reports.released(j.id(), c.lease().token());
            assertThat(job(j.id()).state()).isEqualTo(JobState.PENDING);
            assertThat(job(j.id()).attempt()).isZero();
            assertThat(q.claims.claim(q.robot("r2", 1)).getFirst().lease().attempt()).isEqualTo(1);
        }

        @Test
        void cancelling_a_pending_job_ends_it_and_a_running_one_is_stopped_by_its_robot() {
            Job pending = q.jobs.submitAll(List.of(q.job())).getFirst();
            assertThat(q.reports.cancel(pending.id())).isEqualTo(JobReports.CancelOutcome.CANCELLED);
            assertThat(job(pending.id()).state()).isEqualTo(JobState.CANCELLED);

            Job running = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claim c = q.claims.claim(q.robot("r", 1)).getFirst();
            q.reports.started(running.id(), c.lease().token());
            assertThat(q.reports.cancel(running.id())).isEqualTo(JobReports.CancelOutcome.STOPPING);
            assertThat(job(running.id()).stopping()).contains(JobState.CANCELLED);
            assertThat(q.reaping.stopping("r")).extracting(JobReaping.TimedOut::jobId).containsExactly(running.id());
            assertThat(q.reports.stopped(running.id(), c.lease().token())).isEqualTo(JobState.CANCELLED);
            assertThat(q.reports.cancel(running.id())).isEqualTo(JobReports.CancelOutcome.ALREADY_FINISHED);
            assertThat(q.reports.cancel("job_missing")).isEqualTo(JobReports.CancelOutcome.NOT_FOUND);
        }

        @Test
        void a_job_past_its_timeout_is_stopped_and_ends_timed_out_even_if_its_robot_vanishes() {
            Job j = q.jobs.submit(new JobStore.NewJob("job_slow", q.workflowId, 1, 10, "{}", List.of(), List.of(),
                    Optional.empty(), Optional.empty(), 3, Optional.of(0), "api", "test")).job();
            JobClaims.Claim c = q.claims.claim(new JobClaims.Claimer("r", Set.of(), Optional.of("default"), 1, 0)).getFirst();
            q.reports.started(j.id(), c.lease().token());
            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.timeOut(10).isEmpty());
            assertThat(job(j.id()).stopping()).contains(JobState.TIMED_OUT);
            // the robot never confirms: the lease expires and the job ends timed out, not retried
            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.expireLeases(10).isEmpty());
            assertThat(job(j.id()).state()).isEqualTo(JobState.TIMED_OUT);
            assertTimeoutError(job(j.id()), 0, "; then lease_expired: robot r stopped renewing its lease (attempt 1)");
        }

        @Test
        void a_timed_out_job_says_what_timed_out_and_after_how_long_when_its_robot_confirms_the_stop() {
            JobClaims.Claim c = runningWithTimeout("job_confirmed", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.timeOut(10).isEmpty());
            assertThat(q.reports.stopped("job_confirmed", c.lease().token())).isEqualTo(JobState.TIMED_OUT);

            Job ended = job("job_confirmed");
            assertTimeoutError(ended, 1, "");
            assertThat(ended.errorMessage().orElseThrow()).matches(".*: stopped after ([1-9]|10) s");
            com.casarerpa.orchestrator.domain.JobAttempt attempt = new JobHistory(q.jdbi).attempts("job_confirmed").getFirst();
            assertThat(attempt.outcome()).contains("timed_out");
            assertThat(attempt.errorType()).contains("timeout");
            assertThat(attempt.errorMessage()).isEqualTo(ended.errorMessage());
        }

        @Test
        void a_timed_out_job_whose_stop_is_never_confirmed_says_so_too() {
            runningWithTimeout("job_deaf", 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.timeOut(10).isEmpty());
            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.endUnconfirmedStops(0, 10).isEmpty());
            assertTimeoutError(job("job_deaf"), 0, "; robot r did not confirm the stop within 0 s");
        }

        @Test
        void a_robot_that_stops_a_job_on_its_own_timeout_leaves_the_same_error() {
            JobClaims.Claim c = runningWithTimeout("job_backstop", 3600);
            assertThat(q.reports.stopped("job_backstop", c.lease().token(), JobState.TIMED_OUT)).isEqualTo(JobState.TIMED_OUT);
            assertTimeoutError(job("job_backstop"), 3600, "");
        }

        private JobClaims.Claim runningWithTimeout(String id, int timeoutSeconds) {
            q.jobs.submit(new JobStore.NewJob(id, q.workflowId, 1, 10, "{}", List.of(), List.of(), Optional.empty(),
                    Optional.empty(), 3, Optional.of(timeoutSeconds), "api", "test"));
            JobClaims.Claim c = q.claims.claim(q.robot("r", 1)).getFirst();
            q.reports.started(id, c.lease().token());
            return c;
        }

        private static void assertTimeoutError(Job ended, int timeoutSeconds, String then) {
            assertThat(ended.state()).isEqualTo(JobState.TIMED_OUT);
            assertThat(ended.errorType()).contains("timeout");
            assertThat(ended.errorMessage().orElseThrow()).matches(java.util.regex.Pattern.quote("ran longer than its timeout_seconds ("
                    + timeoutSeconds + " s): stopped after ") + "\\d+ s" + java.util.regex.Pattern.quote(then));
        }

        @Test
        void a_stop_its_robot_never_confirms_ends_the_job_after_the_grace_period() {
            Job j = q.jobs.submitAll(List.of(q.job())).getFirst();
            JobClaims.Claim c = q.claims.claim(q.robot("deaf", 1)).getFirst();
            q.reports.started(j.id(), c.lease().token());
            assertThat(q.reports.cancel(j.id())).isEqualTo(JobReports.CancelOutcome.STOPPING);
            assertThat(q.reaping.endUnconfirmedStops(3600, 10)).isEmpty();

            await().atMost(Duration.ofSeconds(10)).until(() -> !q.reaping.endUnconfirmedStops(0, 10).isEmpty());
            Job ended = job(j.id());
            assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
            assertThat(ended.errorType()).contains("stop_unconfirmed");
            assertThatThrownBy(() -> q.reports.completed(j.id(), c.lease().token(), "{}")).isInstanceOf(StaleLeaseException.class);
        }

        @Test
        void heartbeats_renew_live_leases_and_name_the_lost_ones() {
            List<Job> two = q.jobs.submitAll(List.of(q.job(), q.job()));
            List<JobClaims.Claim> claims = q.claims.claim(q.robot("r", 2));
            java.util.Map<String, String> tokens = new java.util.HashMap<>();
            claims.forEach(c -> tokens.put(c.job().id(), c.lease().token()));
            tokens.put(two.getFirst().id(), "not-the-token");
            List<String> lost = q.reports.renew("r", tokens, 120);
            assertThat(lost).containsExactly(two.getFirst().id());
        }
    }
}
