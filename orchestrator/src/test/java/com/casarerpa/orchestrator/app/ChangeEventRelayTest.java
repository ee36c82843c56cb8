package com.casarerpa.orchestrator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Robot;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.events.ChangeEvents;
import com.casarerpa.orchestrator.events.EventRelay;
import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.RobotStore;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordedEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances on one PostgreSQL database: a change committed on A reaches B's subscribers,
 * marked remote, in few NOTIFYs; the wake-ups keep working beside them. The embedded database
 * has no relay.
 */
class ChangeEventRelayTest {
    private final ChangeEvents busA = new ChangeEvents(() -> "i_a", Clock.systemUTC());
    private final ChangeEvents busB = new ChangeEvents(() -> "i_b", Clock.systemUTC());
    private final List<ChangeEvent> onB = new CopyOnWriteArrayList<>();
    private MigratedDatabase db;
    private Database dbB;
    private JobWakeups a;
    private JobWakeups b;
    private EventRelay relayA;
    private EventRelay relayB;

    @TempDir
    Path dir;

    @BeforeEach
    void twoInstances() {
        db = MigratedDatabase.postgres();
        dbB = Database.open(DatabaseUrl.parse(db.env().get("DATABASE_URL")), PoolSettings.forCommand());
        a = new JobWakeups(db.database());
        b = new JobWakeups(dbB);
        relayA = a.relay(busA).orElseThrow();
        relayB = b.relay(busB).orElseThrow();
        busB.subscribe("test", onB::add);
        // B's listener needs a moment to LISTEN: publish on A until B hears one (what went out
        // before is lost). Then a last one: NOTIFYs arrive in order, so once it is there, every
        // earlier one that will ever arrive has.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            busA.publish(Change.job("j_ready", Optional.empty(), "pending"));
            return !onB.isEmpty();
        });
        busA.publish(Change.job("j_last", Optional.empty(), "pending"));
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.stream().anyMatch(e -> e.subject().equals("j_last")));
        onB.clear();
    }

    @AfterEach
    void close() {
        relayA.close();
        relayB.close();
        busA.close();
        busB.close();
        a.close();
        b.close();
        dbB.close();
        db.close();
    }

    @Test
    void a_robot_change_committed_on_one_instance_reaches_the_subscribers_of_another_once_marked_remote() {
        RecordedEvents onA = new RecordedEvents(busA);
        RobotStore robotsA = new RobotStore(Jdbi3.of(db.database()), db.database().dialect(), busA);
        robotsA.register(new Robot.Registration("r1", "r1", Optional.empty(), List.of(), List.of(), Optional.empty(), 1,
                Optional.empty(), "rest"), Optional.empty());
        robotsA.setStatus("r1", Robot.Status.BUSY);

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.size() == 2);
        assertThat(onB).extracting(ChangeEvent::change).containsExactly(
                Change.robot("r1", Optional.empty(), "online"),
                Change.robot("r1", Optional.of("online"), "busy"));
        assertThat(onB).allSatisfy(e -> {
            assertThat(e.remote()).isTrue();
            assertThat(e.instance()).isEqualTo("i_a");
        });
        // A hears its own change once, as its own: its NOTIFY coming back is not published again.
        assertThat(onA.untilNow()).extracting(ChangeEvent::remote).containsExactly(false, false);
        // B does not send back what it received.
        assertThat(relayB.relayed()).isZero();
    }

    @Test
    void a_burst_of_events_goes_out_in_few_notifies_each_under_the_limit_and_all_arrive() {
        int n = 2_000;
        long notifiesBefore = relayA.notifies();
        IntStream.range(0, n).forEach(i -> busA.publish(Change.job("j_01HZX" + i, Optional.of("running"), "succeeded")));

        await().atMost(Duration.ofSeconds(30)).until(() -> onB.size() == n);
        assertThat(onB).extracting(ChangeEvent::subject).doesNotHaveDuplicates();
        long notifies = relayA.notifies() - notifiesBefore;
        // ~70 bytes an event: at least 2000 * 60 / 7900 payloads, and far fewer than one per event.
        assertThat(notifies).isBetween(15L, 200L);
        assertThat(relayA.dropped()).isZero();
    }

    @Test
    void the_wake_ups_still_reach_the_other_instance() {
        AtomicInteger woken = new AtomicInteger();
        b.onJobs(woken::incrementAndGet);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.jobsAvailable();
            return woken.get() > 0;
        });
    }

    @Test
    void on_the_embedded_database_there_is_no_relay() {
        try (MigratedDatabase h2 = MigratedDatabase.h2(dir); JobWakeups w = new JobWakeups(h2.database())) {
            assertThat(w.relay(busA)).isEmpty();
        }
    }
}
