package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.store.GroupedReports.Kind;
import com.casarerpa.orchestrator.store.GroupedReports.Report;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.OnlyOn;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * The group commit of {@code job_started} / {@code job_completed}: reports of many callers in one
 * transaction, each answered only after that commit, a report whose lease is not live refused
 * without touching anything (with the lease as it stood), and a report that fails failing alone.
 */
class GroupedReportsTest {

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
        GroupedReports grouped;
        final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();

        @BeforeEach
        void setUp() {
            migrated = database.migrated(dir);
            db = migrated.database();
            q = new QueueFixture(db, Duration.ZERO);
            grouped = new GroupedReports(q.jdbi, db.dialect());
        }

        @AfterEach
        void tearDown() {
            callers.shutdownNow();
            migrated.close();
        }

        List<JobClaims.Claim> claimed(String robot, int n) {
            List<JobStore.NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(q.job());
            }
            q.jobs.submitAll(jobs);
            List<JobClaims.Claim> claims = q.claims.claim(q.robot(robot, n));
            assertThat(claims).hasSize(n);
            return claims;
        }

        Future<Boolean> send(Report r) {
            return grouped.submit(r).thenApply(GroupedReports.Outcome::applied);
        }

        String state(String jobId) {
            return q.jdbi.withHandle(h -> h.createQuery("SELECT state FROM jobs WHERE id = :id").bind("id", jobId)
                    .mapTo(String.class).one());
        }

        String attemptOutcome(JobClaims.Claim c) {
            return q.jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(outcome, CASE WHEN started_at IS NULL THEN 'assigned'"
                            + " ELSE 'started' END) FROM job_attempts WHERE job_id = :id AND lease_token = :token")
                    .bind("id", c.job().id()).bind("token", c.lease().token()).mapTo(String.class).one());
        }

        static Report started(JobClaims.Claim c) {
            return new Report(Kind.STARTED, c.job().id(), c.lease().token(), c.lease().robotId(), null);
        }

        static Report completed(JobClaims.Claim c, String result) {
            return new Report(Kind.COMPLETED, c.job().id(), c.lease().token(), c.lease().robotId(), result);
        }

        @Test
        void a_fleet_keys_report_applies_while_no_key_is_bound_to_its_robot_and_is_refused_by_the_statement_once_one_is()
                throws Exception {
            List<JobClaims.Claim> free = claimed("r-fleet", 2);
            JobClaims.Claim first = free.get(0);
            JobClaims.Claim second = free.get(1);
            Report fleetStart = new Report(Kind.STARTED, first.job().id(), first.lease().token(), "r-fleet", null, true);
            assertThat(send(fleetStart).get()).as("no key is bound to r-fleet").isTrue();

            q.jdbi.useHandle(h -> h.execute("INSERT INTO api_keys (id, name, role, key_hash, key_prefix, robot_id, created_at,"
                    + " created_by) VALUES ('key_bound', 'bound', 'robot', ?, 'csr_bound', 'r-fleet', CURRENT_TIMESTAMP, 'test')",
                    "b".repeat(64)));

            Report fleetDone = new Report(Kind.COMPLETED, first.job().id(), first.lease().token(), "r-fleet", "{}", true);
            Report fleetStartAgain = new Report(Kind.STARTED, second.job().id(), second.lease().token(), "r-fleet", null, true);
            GroupedReports.Outcome refused = grouped.submit(fleetDone).get();
            assertThat(refused.applied()).as("a key is bound to r-fleet now").isFalse();
            assertThat(refused.lease()).as("the lease itself is live: only the key's right to act ended").isPresent()
                    .get().extracting(RobotLeases.LeaseState::live).isEqualTo(true);
            assertThat(send(fleetStartAgain).get()).isFalse();
            assertThat(state(first.job().id())).isEqualTo("running");
            assertThat(state(second.job().id())).isEqualTo("assigned");

            // The key bound to the robot (not a fleet key) reports as before.
            assertThat(send(completed(first, "{}")).get()).isTrue();
            assertThat(state(first.job().id())).isEqualTo("succeeded");
        }

        @Test
        void a_group_that_fails_with_an_error_fails_alone_and_the_writer_goes_on_with_the_next() {
            java.util.concurrent.atomic.AtomicBoolean trap = new java.util.concurrent.atomic.AtomicBoolean(true);
            GroupedReports trapped = new GroupedReports(org.jdbi.v3.core.Jdbi.create(() -> {
                if (trap.getAndSet(false)) {
                    throw new StackOverflowError("thrown by the test's connection factory");
                }
                return db.connection();
            }), db.dialect());
            List<java.util.concurrent.CompletableFuture<GroupedReports.Outcome>> answers = new ArrayList<>();
            try (AutoCloseable held = trapped.holdWrites()) {
                for (int i = 0; i < GroupedReports.MAX_GROUP + 10; i++) {
                    answers.add(trapped.submit(new Report(Kind.STARTED, "job_none_" + i, "token", "r", null)));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.stream().allMatch(java.util.concurrent.Future::isDone));
            assertThat(answers.subList(0, GroupedReports.MAX_GROUP)).allMatch(java.util.concurrent.CompletableFuture::isCompletedExceptionally);
            assertThat(answers.subList(GroupedReports.MAX_GROUP, answers.size()))
                    .allSatisfy(a -> assertThat(a.join().jobExists()).as("answered: no such job").isFalse());
        }

        @Test
        void close_commits_the_reports_already_accepted_and_refuses_later_ones() throws Exception {
            List<JobClaims.Claim> claims = claimed("r1", 20);
            List<Future<Boolean>> answers = new ArrayList<>();
            AutoCloseable held = grouped.holdWrites();
            claims.forEach(c -> answers.add(send(started(c))));
            Future<?> closing = callers.submit(() -> grouped.close());
            for (Future<Boolean> a : answers) {
                assertThat(a.get()).isTrue();
            }
            closing.get();
            assertThat(claims).allSatisfy(c -> assertThat(state(c.job().id())).isEqualTo("running"));
            assertThatThrownBy(() -> grouped.submit(completed(claims.getFirst(), "{}")).join())
                    .hasCauseInstanceOf(DatabaseUnavailableException.class).hasMessageContaining("stopping");
            assertThat(state(claims.getFirst().job().id())).isEqualTo("running");
            held.close();
        }

        @Test
        void reports_that_arrive_together_commit_in_one_transaction_and_each_caller_returns_only_after_it() throws Exception {
            List<JobClaims.Claim> claims = claimed("r1", 3);
            List<Future<Boolean>> answers = new ArrayList<>();
            try (AutoCloseable held = grouped.holdWrites()) {
                answers.add(send(started(claims.get(0))));
                answers.add(send(completed(claims.get(1), "{\"executed_nodes\":1}")));
                answers.add(send(started(claims.get(2))));
                await().atMost(Duration.ofSeconds(10)).until(() -> grouped.queued() == 3);
                // Nothing is committed and nobody is answered while the group waits.
                assertThat(answers).noneMatch(Future::isDone);
                assertThat(claims).allSatisfy(c -> assertThat(state(c.job().id())).isEqualTo("assigned"));
            }
            for (Future<Boolean> a : answers) {
                assertThat(a.get()).isTrue();
            }
            assertThat(grouped.groups()).isEqualTo(1);
            assertThat(state(claims.get(0).job().id())).isEqualTo("running");
            assertThat(state(claims.get(1).job().id())).isEqualTo("succeeded");
            assertThat(state(claims.get(2).job().id())).isEqualTo("running");
            assertThat(attemptOutcome(claims.get(0))).isEqualTo("started");
            assertThat(attemptOutcome(claims.get(1))).isEqualTo("succeeded");
            String result = q.jdbi.withHandle(h -> h.createQuery("SELECT result FROM jobs WHERE id = :id")
                    .bind("id", claims.get(1).job().id()).mapTo(String.class).one());
            assertThat(result).isEqualTo("{\"executed_nodes\":1}");
        }

        @Test
        void a_report_whose_lease_is_not_live_for_its_robot_changes_nothing_and_the_rest_of_its_group_applies() throws Exception {
            List<JobClaims.Claim> claims = claimed("r1", 3);
            JobClaims.Claim good = claims.get(0), foreign = claims.get(1), stale = claims.get(2);
            Future<Boolean> ok, otherRobot, staleToken;
            try (AutoCloseable held = grouped.holdWrites()) {
                ok = send(completed(good, "{}"));
                otherRobot = send(new Report(Kind.COMPLETED, foreign.job().id(), foreign.lease().token(), "r2", "{}"));
                staleToken = send(new Report(Kind.STARTED, stale.job().id(), "not-the-token", "r1", null));
                await().atMost(Duration.ofSeconds(10)).until(() -> grouped.queued() == 3);
            }
            assertThat(ok.get()).isTrue();
            assertThat(otherRobot.get()).isFalse();
            assertThat(staleToken.get()).isFalse();
            assertThat(state(good.job().id())).isEqualTo("succeeded");
            assertThat(state(foreign.job().id())).isEqualTo("assigned");
            assertThat(state(stale.job().id())).isEqualTo("assigned");
            assertThat(attemptOutcome(foreign)).isEqualTo("assigned");
            assertThat(attemptOutcome(stale)).isEqualTo("assigned");

            // The same final report again: its guard no longer matches; the lease, read in the same
            // transaction, says it ended with this very report (the channel answers duplicate).
            GroupedReports.Outcome again = grouped.submit(completed(good, "{}")).get();
            assertThat(again.applied()).isFalse();
            assertThat(again.lease()).hasValueSatisfying(l -> {
                assertThat(l.live()).isFalse();
                assertThat(l.reported()).isTrue();
                assertThat(l.outcome()).contains("succeeded");
            });
            // Another robot's report names a lease that is live, but not its own.
            GroupedReports.Outcome foreignOutcome = grouped.submit(new Report(Kind.STARTED, foreign.job().id(),
                    foreign.lease().token(), "r2", null)).get();
            assertThat(foreignOutcome.applied()).isFalse();
            assertThat(foreignOutcome.lease()).hasValueSatisfying(l -> assertThat(l.robotId()).isEqualTo("r1"));
            // An unknown token of a job that exists, and a job that does not exist.
            GroupedReports.Outcome unknownToken = grouped.submit(new Report(Kind.STARTED, stale.job().id(), "nope", "r1", null)).get();
            assertThat(unknownToken.lease()).isEmpty();
            assertThat(unknownToken.jobExists()).isTrue();
            GroupedReports.Outcome noJob = grouped.submit(new Report(Kind.COMPLETED, "job_missing", "nope", "r1", "{}")).get();
            assertThat(noJob.applied()).isFalse();
            assertThat(noJob.jobExists()).isFalse();
            // A job_started after the completion changes nothing either.
            assertThat(send(started(good)).get()).isFalse();
            assertThat(state(good.job().id())).isEqualTo("succeeded");
        }

        @Test
        void reports_of_one_job_in_one_group_take_effect_in_the_order_they_came() throws Exception {
            JobClaims.Claim c = claimed("r1", 1).getFirst();
            java.util.concurrent.CompletableFuture<GroupedReports.Outcome> first, second, third, fourth;
            try (AutoCloseable held = grouped.holdWrites()) {
                first = grouped.submit(started(c));
                second = grouped.submit(completed(c, "{}"));
                third = grouped.submit(completed(c, "{}"));
                fourth = grouped.submit(started(c));
            }
            assertThat(first.get().applied()).isTrue();
            assertThat(second.get().applied()).isTrue();
            // After the completion: the same completion again is a repeat, a start comes too late.
            assertThat(third.get().applied()).isFalse();
            assertThat(third.get().lease()).hasValueSatisfying(l -> assertThat(l.outcome()).contains("succeeded"));
            assertThat(fourth.get().applied()).isFalse();
            assertThat(fourth.get().lease()).hasValueSatisfying(l -> assertThat(l.live()).isFalse());
            assertThat(grouped.groups()).isEqualTo(1);
            assertThat(state(c.job().id())).isEqualTo("succeeded");
        }

        @Test
        void many_callers_at_once_all_commit_in_fewer_transactions_than_reports() throws Exception {
            List<JobClaims.Claim> claims = claimed("r1", 60);
            List<Future<Boolean>> answers = new ArrayList<>();
            try (AutoCloseable held = grouped.holdWrites()) {
                for (JobClaims.Claim c : claims) {
                    answers.add(callers.submit(() -> grouped.submit(started(c)).join().applied()
                            && grouped.submit(completed(c, "{}")).join().applied()));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> grouped.queued() == claims.size());
            }
            for (Future<Boolean> a : answers) {
                assertThat(a.get()).isTrue();
            }
            assertThat(claims).allSatisfy(c -> {
                assertThat(state(c.job().id())).isEqualTo("succeeded");
                assertThat(attemptOutcome(c)).isEqualTo("succeeded");
            });
            assertThat(grouped.groups()).isLessThan(2L * claims.size());
        }

        @Test
        @OnlyOn(TestDatabase.POSTGRESQL)
        void a_report_the_database_refuses_fails_alone_and_the_others_of_its_group_are_committed() throws Exception {
            List<JobClaims.Claim> claims = claimed("r1", 3);
            Future<Boolean> first, bad, last;
            try (AutoCloseable held = grouped.holdWrites()) {
                first = send(completed(claims.get(0), "{}"));
                // PostgreSQL refuses a NUL character in text: this statement fails, and with it the group's transaction.
                bad = send(completed(claims.get(1), "{\"x\":\"\u0000\"}"));
                last = send(started(claims.get(2)));
                await().atMost(Duration.ofSeconds(10)).until(() -> grouped.queued() == 3);
            }
            assertThat(first.get()).isTrue();
            assertThat(last.get()).isTrue();
            assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(DatabaseAccessException.class);
            assertThat(state(claims.get(0).job().id())).isEqualTo("succeeded");
            assertThat(state(claims.get(1).job().id())).isEqualTo("assigned");
            assertThat(attemptOutcome(claims.get(1))).isEqualTo("assigned");
            assertThat(state(claims.get(2).job().id())).isEqualTo("running");
            // The failed one can still be reported properly afterwards.
            assertThat(grouped.submit(completed(claims.get(1), "{}")).get().applied()).isTrue();
            assertThat(state(claims.get(1).job().id())).isEqualTo("succeeded");
        }
    }
}
