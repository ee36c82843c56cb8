package com.casarerpa.orchestrator.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.testing.BothDatabases;
import com.casarerpa.orchestrator.testing.MigratedDatabase;
import com.casarerpa.orchestrator.testing.RecordedEvents;
import com.casarerpa.orchestrator.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;

/** The bus: after commit and never after a rollback, on both databases; a slow subscriber slows nobody. */
class ChangeEventsTest {
    private final ChangeEvents bus = new ChangeEvents(() -> "i_test", Clock.systemUTC());
    private final List<ChangeEvent> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeBus() {
        bus.close();
    }

    private static Change marker(String id) {
        return Change.robot(id, Optional.of("online"), "busy");
    }

    @Nested
    @BothDatabases
    class Contract {
        @Parameter
        TestDatabase database;
        @TempDir
        Path dir;
        MigratedDatabase db;
        Jdbi jdbi;
        RecordedEvents recorded;

        @BeforeEach
        void setUp() {
            db = database.migrated(dir);
            jdbi = Jdbi3.of(db.database());
            recorded = new RecordedEvents(bus);
        }

        @AfterEach
        void tearDown() {
            db.close();
        }

        @Test
        void an_event_is_published_when_its_transaction_commits_and_not_before() {
            jdbi.useTransaction(h -> {
                h.execute("UPDATE scheduler_slots SET id = 1 WHERE id = 1");
                bus.afterCommit(h, marker("r_committed"));
                assertThat(recorded.untilNow()).isEmpty();
            });
            List<ChangeEvent> seen = recorded.untilNow();
            assertThat(seen).singleElement().satisfies(e -> {
                assertThat(e.change()).isEqualTo(marker("r_committed"));
                assertThat(e.kind()).isEqualTo(Change.Kind.ROBOT);
                assertThat(e.instance()).isEqualTo("i_test");
                assertThat(e.remote()).isFalse();
            });
        }

        @Test
        void a_rolled_back_transaction_publishes_nothing() {
            assertThatThrownBy(() -> jdbi.useTransaction(h -> {
                h.execute("UPDATE scheduler_slots SET id = 1 WHERE id = 1");
                bus.afterCommit(h, marker("r_rolled_back"));
                bus.afterCommit(h, List.of(marker("r_rolled_back_too")));
                throw new IllegalStateException("roll back");
            })).isInstanceOf(IllegalStateException.class);
            // A later commit must not carry the rolled-back events either.
            jdbi.useTransaction(h -> bus.afterCommit(h, marker("r_after")));
            assertThat(recorded.untilNow()).extracting(ChangeEvent::subject).containsExactly("r_after");
        }

        @Test
        void outside_a_transaction_the_event_follows_the_statement() {
            jdbi.useHandle(h -> {
                h.execute("UPDATE scheduler_slots SET id = 1 WHERE id = 1");
                bus.afterCommit(h, marker("r_autocommit"));
                assertThat(recorded.untilNow()).extracting(ChangeEvent::subject).containsExactly("r_autocommit");
            });
        }
    }

    @Test
    void a_slow_subscriber_neither_slows_publishing_nor_the_others_and_its_overflow_is_counted() {
        CountDownLatch release = new CountDownLatch(1);
        Subscription slow = bus.subscribe("slow", 100, Duration.ZERO, batch -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int n = 20_000;
        bus.subscribe("fast", n, Duration.ZERO, seen::addAll);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            bus.publish(Change.job("j_" + i, Optional.of("pending"), "assigned"));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        release.countDown();

        assertThat(took).as("publishing %d events past a stuck subscriber", n).isLessThan(Duration.ofSeconds(5));
        // at most its queue and one batch taken from it were kept
        assertThat(slow.dropped()).isGreaterThanOrEqualTo(n - 201L);
        assertThat(bus.dropped()).isEqualTo(slow.dropped());
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == n);
        assertThat(seen.getLast().subject()).isEqualTo("j_" + (n - 1));
    }

    @Test
    void a_failing_subscriber_keeps_receiving() {
        bus.subscribe("failing", e -> {
            seen.add(e);
            throw new IllegalStateException("boom");
        });
        bus.publish(marker("r_1"));
        bus.publish(marker("r_2"));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    }

    @Test
    void events_are_numbered_in_delivery_order_and_a_resume_gets_those_after_its_number_while_the_bus_holds_them() {
        for (int i = 1; i <= 5; i++) {
            bus.publish(marker("r_" + i));
        }
        assertThat(bus.lastSeq()).isEqualTo(5);
        ChangeEvents.Resumed r = bus.subscribeAfter("resume", 100, Duration.ZERO, seen::addAll, 3);
        assertThat(r.last()).isEqualTo(5);
        assertThat(r.missed().orElseThrow()).extracting(ChangeEvent::seq).containsExactly(4L, 5L);
        assertThat(r.missed().orElseThrow()).extracting(ChangeEvent::subject).containsExactly("r_4", "r_5");
        bus.publish(marker("r_6"));
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
        assertThat(seen.getFirst().seq()).as("the subscription gets what came after, not the missed again").isEqualTo(6);

        assertThat(bus.subscribeAfter("now", 10, Duration.ZERO, b -> { }, 6).missed().orElseThrow()).isEmpty();
        assertThat(bus.subscribeAfter("ahead", 10, Duration.ZERO, b -> { }, 7).missed()).as("a number not given yet").isEmpty();
        for (int i = 0; i < ChangeEvents.RECENT; i++) {
            bus.publish(marker("r"));
        }
        assertThat(bus.subscribeAfter("old", 10, Duration.ZERO, b -> { }, 5).missed()).as("more than RECENT ago").isEmpty();
        assertThat(bus.subscribeAfter("oldest kept", 10, Duration.ZERO, b -> { }, 6).missed().orElseThrow())
                .hasSize(ChangeEvents.RECENT);
    }

    @Test
    void what_an_ended_subscription_dropped_stays_counted() {
        Subscription small = bus.subscribe("small", 1, Duration.ofSeconds(10), b -> { });
        for (int i = 0; i < 10; i++) {
            bus.publish(marker("r_" + i));
        }
        long dropped = bus.dropped();
        assertThat(dropped).isGreaterThanOrEqualTo(8);
        small.close();
        assertThat(bus.dropped()).isEqualTo(dropped);
    }

    @Test
    void payloads_carry_the_folder_and_those_of_older_instances_without_it_still_decode() {
        ChangeEvent e = new ChangeEvent(Change.job("job_1", Optional.of("pending"), "assigned", "fld_a"),
                java.time.Instant.ofEpochMilli(1_700_000_000_000L), "i_a", false);
        EventPayloads.Decoded d = EventPayloads.decode(EventPayloads.encode("i_a", List.of(e)).getFirst());
        assertThat(d.events().getFirst().change()).isEqualTo(e.change());
        assertThat(d.events().getFirst().change().folder()).contains("fld_a");

        EventPayloads.Decoded old = EventPayloads.decode("{\"i\":\"i_old\",\"e\":[[\"job\",\"job_2\",null,\"pending\",null,1700000000000]]}");
        assertThat(old.events().getFirst().change()).isEqualTo(Change.job("job_2", Optional.empty(), "pending"));
        assertThat(old.events().getFirst().change().folder()).isEmpty();

        EventPayloads.Decoded newer = EventPayloads.decode("{\"i\":\"i_new\",\"e\":[[\"webhook\",\"wh_1\",null,\"x\",null,1700000000000,null],"
                + "[\"robot\",\"r1\",\"online\",\"busy\",null,1700000000000]]}");
        assertThat(newer.events()).as("a kind this instance does not know is skipped, not the payload")
                .extracting(ev -> ev.change().subject()).containsExactly("r1");

        Change log = Change.log("job_3", "fld_b", 42);
        assertThat(EventPayloads.decode(EventPayloads.encode("i_a", List.of(new ChangeEvent(log, e.at(), "i_a", false))).getFirst())
                .events().getFirst().change()).isEqualTo(log);
    }
}
