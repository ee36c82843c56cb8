package com.casarerpa.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordedEvents;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** Each change of a robot's status, and only a change, is one event after its commit. */
class RobotStatusEventsTest {
    private static final Robot.Metrics NO_METRICS = new Robot.Metrics(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        final ChangeEvents bus = new ChangeEvents(() -> "i_test", Clock.systemUTC());
        final RecordedEvents seen = new RecordedEvents(bus);
        MigratedDatabase db;
        Jdbi jdbi;
        RobotStore robots;

        @BeforeEach
        void setUp() {
            db = database.migrated(dir);
            jdbi = Jdbi3.of(db.database());
            robots = new RobotStore(jdbi, db.database().dialect(), bus);
        }

        @AfterEach
        void tearDown() {
            bus.close();
            db.close();
        }

        @Test
        void registering_setting_the_status_the_sweep_and_a_reviving_heartbeat_each_publish_one_event() {
            robots.register(registration("r1"), Optional.empty());
            robots.register(registration("r1"), Optional.empty()); // online already: no event
            robots.heartbeat("r1", NO_METRICS); // online already: no event
            robots.setStatus("r1", Robot.Status.BUSY);
            robots.setStatus("r1", Robot.Status.BUSY);
            assertThat(robots.heartbeat("r_unknown", NO_METRICS)).isFalse();
            assertThat(robots.setStatus("r_unknown", Robot.Status.BUSY)).isFalse();
            assertThat(changes()).containsExactly(
                    Change.robot("r1", Optional.empty(), "online"),
                    Change.robot("r1", Optional.of("online"), "busy"));

            jdbi.useHandle(h -> h.execute("UPDATE robots SET last_heartbeat = TIMESTAMP '2020-01-01 00:00:00' WHERE id = 'r1'"));
            assertThat(robots.markSilentOffline(60)).containsExactly("r1");
            assertThat(robots.markSilentOffline(60)).isEmpty();
            assertThat(changes()).endsWith(Change.robot("r1", Optional.of("busy"), "offline")).hasSize(3);

            robots.heartbeat("r1", NO_METRICS);
            robots.heartbeat("r1", NO_METRICS);
            assertThat(changes()).endsWith(Change.robot("r1", Optional.of("offline"), "online")).hasSize(4);
            assertThat(robots.find("r1").orElseThrow().status()).isEqualTo(Robot.Status.ONLINE);
            assertThat(seen.untilNow()).allSatisfy(e -> {
                assertThat(e.instance()).isEqualTo("i_test");
                assertThat(e.remote()).isFalse();
            });
        }

        @Test
        void a_connection_that_opens_moves_or_closes_is_one_event_each_with_the_status_unchanged() {
            robots.register(registration("r1"), Optional.empty());
            robots.setStatus("r1", Robot.Status.BUSY);
            int before = changes().size();
            robots.connect("r1", "c_1", "i_a");
            robots.connect("r1", "c_1", "i_a"); // the same connection again: nothing changed
            robots.connect("r1", "c_2", "i_b"); // replaced by one on another instance
            robots.disconnect("r1", "c_1"); // not its connection any more: nothing changes
            assertThat(robots.find("r1").orElseThrow().instance()).contains("i_b");
            robots.disconnect("r1", "c_2");
            robots.disconnect("r1", "c_2");
            robots.connect("r_unknown", "c_3", "i_a");
            robots.disconnect("r_unknown", "c_3");
            assertThat(changes().subList(before, changes().size())).containsExactly(
                    Change.robotConnection("r1", "busy"),
                    Change.robotConnection("r1", "busy"),
                    Change.robotConnection("r1", "busy"));
            Robot lost = robots.find("r1").orElseThrow();
            assertThat(lost.instance()).isEmpty();
            assertThat(lost.status()).as("kept until the heartbeat sweep").isEqualTo(Robot.Status.BUSY);
        }

        private List<Change> changes() {
            return seen.changes();
        }

        private static Robot.Registration registration(String id) {
            return new Robot.Registration(id, id, Optional.empty(), List.of(), List.of(), Optional.empty(), 1, Optional.empty(),
                    "rest");
        }
    }
}
