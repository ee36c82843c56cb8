package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.config.OrchestratorSettings;
import com.casarerpa.orchestrator.service.ChangedRobots;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Jobs are claimable" and "these robots' connections changed owner" reach this process at once
 * and, on PostgreSQL, the other instances.
 */
class JobWakeupsTest {
    @TempDir
    Path dir;

    @Test
    void a_signal_on_one_instance_wakes_the_listeners_of_another_through_postgresql() {
        onTwoInstances((a, b) -> {
            AtomicInteger wokenA = new AtomicInteger();
            AtomicInteger wokenB = new AtomicInteger();
            a.onJobs(wokenA::incrementAndGet);
            b.onJobs(wokenB::incrementAndGet);

            // the listener needs a moment to LISTEN: signal until B hears one
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                a.jobsAvailable();
                return wokenB.get() > 0;
            });
            assertThat(wokenA.get()).isPositive();
        });
    }

    @Test
    void the_listening_connection_has_the_servers_settings_and_a_name_of_its_own() throws Exception {
        String name = TestPostgres.createDatabase();
        PoolSettings server = PoolSettings.forServer(new OrchestratorSettings.Database(Optional.empty(), 2, 0, 10));
        try (Database db = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), server);
                JobWakeups w = new JobWakeups(db);
                Connection look = TestPostgres.connect(name);
                PreparedStatement listening = look.prepareStatement("SELECT application_name FROM pg_stat_activity"
                        + " WHERE datname = ? AND query LIKE 'LISTEN%'")) {
            listening.setString(1, name);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                try (ResultSet rs = listening.executeQuery()) {
                    assertThat(rs.next()).as("a connection listens").isTrue();
                    assertThat(rs.getString(1)).isEqualTo("casare-orchestrator-listen");
                }
            });
            assertThat(server.forListening().socketTimeout()).isEqualTo(server.socketTimeout()).isPositive();
        } finally {
            TestPostgres.dropDatabase(name);
        }
    }

    @Test
    void on_the_embedded_database_the_signal_stays_in_process() {
        try (Database db = Database.open(DatabaseUrl.embedded(dir), PoolSettings.forCommand());
                JobWakeups w = new JobWakeups(db)) {
            AtomicInteger woken = new AtomicInteger();
            w.onJobs(woken::incrementAndGet);
            w.jobsAvailable();
            assertThat(woken.get()).isEqualTo(1);
        }
    }

    @Test
    void a_robot_change_names_its_robots_to_the_other_instance_and_a_burst_arrives_whole() {
        onTwoInstances((a, b) -> {
            Set<String> heardByB = ConcurrentHashMap.newKeySet();
            AtomicInteger anyByB = new AtomicInteger();
            b.onRobots(changed -> changed.ids().ifPresentOrElse(heardByB::addAll, anyByB::incrementAndGet));
            Set<String> heardHereByA = ConcurrentHashMap.newKeySet();
            a.onRobots(changed -> changed.ids().ifPresent(heardHereByA::addAll));

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                a.robotsChanged("robot-probe");
                return heardByB.contains("robot-probe");
            });
            assertThat(heardHereByA).as("in-process at once").contains("robot-probe");
            // 3,000 ids of 40 characters: more than one payload of 8,000 bytes; all arrive, one by one named.
            List<String> burst = IntStream.range(0, 3000).mapToObj(i -> "robot-of-a-storm-" + "x".repeat(17) + "-" + String.format("%04d", i))
                    .toList();
            burst.forEach(a::robotsChanged);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(heardByB).containsAll(burst));
            assertThat(anyByB.get()).as("no notification without ids").isZero();
        });
    }

    /** Two instances' wake-ups on one new PostgreSQL database, dropped afterwards. */
    private static void onTwoInstances(java.util.function.BiConsumer<JobWakeups, JobWakeups> test) {
        String name = TestPostgres.createDatabase();
        try (Database dbA = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), PoolSettings.forCommand());
                Database dbB = Database.open(DatabaseUrl.parse(TestPostgres.url(name)), PoolSettings.forCommand());
                JobWakeups a = new JobWakeups(dbA);
                JobWakeups b = new JobWakeups(dbB)) {
            test.accept(a, b);
        } finally {
            TestPostgres.dropDatabase(name);
        }
    }

    @Test
    void payloads_name_robots_one_per_line_and_an_empty_one_means_any_robot() {
        assertThat(JobWakeups.fromPayloads(List.of("a\nb", "c"))).isEqualTo(ChangedRobots.of(Set.of("a", "b", "c")));
        // An instance of an earlier version notifies without a payload; a reconnected listener may have missed some.
        assertThat(JobWakeups.fromPayloads(List.of("a", ""))).isEqualTo(ChangedRobots.ANY);
        assertThat(ChangedRobots.ANY.covers("anything")).isTrue();
        assertThat(ChangedRobots.of(Set.of("a")).covers("b")).isFalse();
    }
}
