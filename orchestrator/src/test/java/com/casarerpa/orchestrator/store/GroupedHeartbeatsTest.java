package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.store.GroupedHeartbeats.Heartbeat;
import com.casarerpa.orchestrator.store.GroupedHeartbeats.Outcome;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.QueueFixture;
import com.casarerpa.orchestrator.testing.TestDatabase;
import com.casarerpa.orchestrator.events.ChangeEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/**
 * Heartbeats written in groups keep liveness and fencing as they were, across instances: two
 * instances on one database, each with its own group writer, robot store and reaper. A robot
 * whose heartbeats one instance groups is alive for the other's sweep and keeps its lease past
 * the other's reaper; a silent robot is judged offline and its job re-queued; a renewal under a
 * token that is not live changes nothing and is reported lost; many heartbeats are one
 * transaction.
 */
class GroupedHeartbeatsTest {

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
        /** Instance A: where the robots are connected; its heartbeats are grouped. */
        GroupedHeartbeats a;
        /** Instance B: its offline sweep and reaper judge every robot. */
        RobotStore robotsOfB;

        @BeforeEach
        void setUp() {
            migrated = database.migrated(dir);
            db = migrated.database();
            q = new QueueFixture(db, Duration.ZERO);
            a = new GroupedHeartbeats(q.jdbi, db.dialect(), ChangeEvents.none());
            robotsOfB = new RobotStore(Jdbi3.of(db), db.dialect());
        }

        @AfterEach
        void tearDown() {
            a.close();
            migrated.close();
        }

        void register(String id) {
            new RobotStore(q.jdbi, db.dialect()).register(new Robot.Registration(id, id, Optional.of("host"), List.of(), List.of(),
                    Optional.of("default"), 2, Optional.empty(), "websocket", Optional.empty()), Optional.empty());
        }

        JobClaims.Claim claimed(String robot) {
            q.jobs.submitAll(List.of(q.job()));
            List<JobClaims.Claim> claims = q.claims.claim(q.robot(robot, 1));
            assertThat(claims).hasSize(1);
            return claims.getFirst();
        }

        Outcome beat(String robot, Map<String, String> leases) {
            return a.submit(new Heartbeat(robot, metrics(), Optional.empty(), leases, 300, false)).join();
        }

        Robot.Metrics metrics() {
            return new Robot.Metrics(Optional.of(12.5), Optional.empty(), Optional.empty(), Optional.of(0));
        }

        /** Both robots silent for a minute, by the database's clock, and their leases ending in a second. */
        void silentForAMinute(String... robots) {
            q.jdbi.useHandle(h -> {
                for (String r : robots) {
                    h.createUpdate("UPDATE robots SET last_heartbeat = " + db.dialect().plusSeconds("CURRENT_TIMESTAMP", "-60")
                            + " WHERE id = :id").bind("id", r).execute();
                    h.createUpdate("UPDATE jobs SET lease_expires_at = " + db.dialect().plusSeconds("CURRENT_TIMESTAMP", "1")
                            + " WHERE robot_id = :id").bind("id", r).execute();
                }
            });
        }

        Instant leaseExpiry(String jobId) {
            return q.jdbi.withHandle(h -> h.createQuery("SELECT lease_expires_at FROM jobs WHERE id = :id").bind("id", jobId)
                    .map((rs, ctx) -> Jdbi3.instant(rs.getObject(1)).orElseThrow()).one());
        }

        String state(String jobId) {
            return q.jdbi.withHandle(h -> h.createQuery("SELECT state FROM jobs WHERE id = :id").bind("id", jobId)
                    .mapTo(String.class).one());
        }

        @Test
        void a_robot_whose_heartbeats_one_instance_groups_stays_alive_for_the_other_and_a_silent_one_does_not() {
            register("alive");
            register("silent");
            JobClaims.Claim kept = claimed("alive");
            JobClaims.Claim lost = claimed("silent");
            silentForAMinute("alive", "silent");

            Outcome o = beat("alive", Map.of(kept.job().id(), kept.lease().token()));

            assertThat(o.found()).isTrue();
            assertThat(o.lost()).isEmpty();
            assertThat(o.leases()).singleElement().satisfies(l -> {
                assertThat(l.live()).isTrue();
                assertThat(l.expiresAt().orElseThrow()).isAfter(o.now().plusSeconds(250));
            });
            assertThat(robotsOfB.markSilentOffline(30)).containsExactly("silent");
            assertThat(robotsOfB.find("alive").orElseThrow().status()).isEqualTo(Robot.Status.ONLINE);
            assertThat(robotsOfB.find("alive").orElseThrow().cpuPercent()).contains(12.5);
            // B's reaper re-queues the silent robot's job, never the live one's.
            List<String> expired = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                new JobReaping(Jdbi3.of(db), db.dialect(), q.reports).expireLeases(100).forEach(e -> expired.add(e.jobId()));
                return expired.contains(lost.job().id());
            });
            assertThat(expired).doesNotContain(kept.job().id());
            assertThat(state(kept.job().id())).isEqualTo("assigned");
            assertThat(state(lost.job().id())).isEqualTo("pending");
        }

        @Test
        void a_heartbeat_of_an_offline_robot_brings_it_back_online() {
            register("back");
            robotsOfB.setStatus("back", Robot.Status.OFFLINE);

            assertThat(beat("back", Map.of()).found()).isTrue();

            assertThat(robotsOfB.find("back").orElseThrow().status()).isEqualTo(Robot.Status.ONLINE);
        }

        @Test
        void a_lease_that_is_not_live_is_not_renewed_and_is_reported_lost_and_a_deleted_robot_changes_nothing() {
            register("r1");
            JobClaims.Claim c = claimed("r1");
            Instant before = leaseExpiry(c.job().id());

            Outcome stale = beat("r1", Map.of(c.job().id(), "not-its-token"));
            Outcome foreign = a.submit(new Heartbeat("r2", metrics(), Optional.empty(), Map.of(c.job().id(), c.lease().token()), 300, false)).join();

            assertThat(stale.found()).isTrue();
            assertThat(stale.lost()).containsExactly(c.job().id());
            assertThat(foreign.found()).as("r2 was never registered").isFalse();
            assertThat(foreign.lost()).isEmpty();
            assertThat(leaseExpiry(c.job().id())).isEqualTo(before);
        }

        @Test
        void heartbeats_that_arrive_together_are_one_transaction_and_each_is_answered_after_it() throws Exception {
            List<String> robots = new ArrayList<>();
            List<JobClaims.Claim> claims = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                robots.add("r" + i);
                register("r" + i);
                claims.add(claimed("r" + i));
            }
            long groupsBefore = a.groups();
            List<CompletableFuture<Outcome>> answers = new ArrayList<>();
            try (AutoCloseable held = a.holdWrites()) {
                for (int i = 0; i < robots.size(); i++) {
                    JobClaims.Claim c = claims.get(i);
                    answers.add(a.submit(new Heartbeat(robots.get(i), metrics(), Optional.empty(), Map.of(c.job().id(), c.lease().token()), 300, false)));
                }
                assertThat(answers).noneMatch(CompletableFuture::isDone);
            }
            assertThat(answers).allSatisfy(f -> assertThat(f.join().leases()).singleElement().matches(RobotLeases.LeaseState::live));
            assertThat(a.groups() - groupsBefore).isEqualTo(1);
        }
    }
}
