package com.casarerpa.orchestrator.scheduler;

import static com.casarerpa.orchestrator.testing.ScheduleBench.OPERATOR;
import static com.casarerpa.orchestrator.testing.ScheduleBench.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.domain.Schedule;
import com.casarerpa.orchestrator.events.Change;
import com.casarerpa.orchestrator.events.ChangeEvent;
import com.casarerpa.orchestrator.service.InvalidInputException;
import com.casarerpa.orchestrator.domain.OverLimitPolicy;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.store.ScheduleStore;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.ScheduleBench;
import com.casarerpa.orchestrator.testing.TestClock;
import com.casarerpa.orchestrator.testing.Triggers;
import com.casarerpa.orchestrator.domain.Actor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Firing on each database with a clock moved by hand: on time and never early, misfires after a
 * restart under each policy, overlap skip, max_concurrent_schedules (queued, or skipped by
 * policy), and each fire's own fired_at.
 */
class ScheduleFiringTest {
    private static final Instant START = Instant.parse("2027-01-04T08:00:00Z"); // a Monday

    @TempDir
    Path dir;

    private ScheduleBench bench(String database, int maxConcurrent) {
        return new ScheduleBench(database, dir, START, maxConcurrent);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void a_schedule_fires_at_its_time_never_early_with_its_job_options(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            Schedule s = b.instance.schedules.create(spec("nine", b.workflowId, "0 9 * * 1-5",
                    Map.of("job", Map.of("priority", 17, "variables", Map.of("region", "eu")))), OPERATOR);
            assertThat(s.nextFireAt()).contains(Instant.parse("2027-01-04T09:00:00Z"));

            b.clock.advance(Duration.ofMinutes(60).minusMillis(1));
            assertThat(b.instance.pass.run()).isEmpty();
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isZero();

            b.clock.advance(Duration.ofMillis(1));
            List<ScheduleFiring.Fired> fired = b.instance.pass.run();

            assertThat(fired).hasSize(1);
            assertThat(fired.getFirst().scheduledAt()).isEqualTo(Instant.parse("2027-01-04T09:00:00Z"));
            String job = fired.getFirst().jobId().orElseThrow();
            String stored = b.jdbi.withHandle(h -> h.createQuery("SELECT priority || ' ' || source || ' ' || variables FROM jobs"
                    + " WHERE id = :id").bind("id", job).mapTo(String.class).one());
            assertThat(stored).isEqualTo("17 schedule {\"region\":\"eu\"}");
            assertThat(b.instance.schedules.get("nine", Actor.localCli()).nextFireAt()).contains(Instant.parse("2027-01-05T09:00:00Z"));
            assertThat(b.instance.pass.run()).as("a second pass fires nothing").isEmpty();
            ScheduleStore.Fire h = b.instance.schedules.history("nine", 10, Actor.localCli()).getFirst();
            assertThat(h.outcome()).isEqualTo("started");
            assertThat(Duration.between(h.scheduledAt(), h.firedAt())).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void after_a_restart_fire_once_starts_one_job_for_all_missed_times(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            b.instance.schedules.create(spec("ten", b.workflowId, "*/10 * * * *", Map.of()), OPERATOR);
            b.clock.advance(Duration.ofMinutes(65)); // 08:10 … 09:00 missed: six times

            List<ScheduleFiring.Fired> fired = b.restart().pass.run();

            assertThat(fired).extracting(f -> f.jobId().isPresent()).containsExactlyInAnyOrder(true, false);
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isEqualTo(1);
            ScheduleFiring.Fired started = fired.stream().filter(f -> f.jobId().isPresent()).findFirst().orElseThrow();
            assertThat(started.scheduledAt()).isEqualTo(Instant.parse("2027-01-04T09:00:00Z"));
            assertThat(fired.stream().filter(f -> f.jobId().isEmpty()).findFirst().orElseThrow().skipReason().orElseThrow())
                    .contains("5 earlier fire time(s) missed");
            assertThat(b.instance.schedules.get("ten", Actor.localCli()).nextFireAt()).contains(Instant.parse("2027-01-04T09:10:00Z"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void after_a_restart_skip_starts_nothing_and_records_why(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            b.instance.schedules.create(spec("ten", b.workflowId, "*/10 * * * *", Map.of("misfire_policy", "skip")), OPERATOR);
            b.clock.advance(Duration.ofMinutes(65));

            List<ScheduleFiring.Fired> fired = b.restart().pass.run();

            assertThat(fired).hasSize(1);
            assertThat(fired.getFirst().jobId()).isEmpty();
            assertThat(fired.getFirst().skipReason().orElseThrow()).contains("6 fire time(s) missed").contains("skip");
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isZero();

            b.clock.advance(Duration.ofMinutes(5)); // 09:10: on time again
            assertThat(b.instance.pass.run()).singleElement().satisfies(f -> assertThat(f.jobId()).isPresent());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void after_a_restart_fire_all_starts_the_latest_missed_times_up_to_its_limit(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            b.instance.schedules.create(spec("all", b.workflowId, "*/10 * * * *", Map.of("misfire_policy", "fire_all")), OPERATOR);
            b.instance.schedules.create(spec("bounded", b.workflowId, "*/10 * * * *",
                    Map.of("misfire_policy", "fire_all", "misfire_limit", 4)), OPERATOR);
            b.clock.advance(Duration.ofMinutes(65));

            b.restart().pass.run();

            List<ScheduleStore.Fire> all = b.instance.schedules.history("all", 50, Actor.localCli());
            assertThat(all).hasSize(6).allMatch(f -> f.outcome().equals("started"));
            List<ScheduleStore.Fire> bounded = b.instance.schedules.history("bounded", 50, Actor.localCli());
            assertThat(bounded.stream().filter(f -> f.outcome().equals("started")).map(ScheduleStore.Fire::scheduledAt))
                    .containsExactly(Instant.parse("2027-01-04T09:00:00Z"), Instant.parse("2027-01-04T08:50:00Z"),
                            Instant.parse("2027-01-04T08:40:00Z"), Instant.parse("2027-01-04T08:30:00Z"));
            assertThat(bounded.stream().filter(f -> f.outcome().equals("skipped")).findFirst().orElseThrow().reason())
                    .hasValueSatisfying(r -> assertThat(r).contains("2 fire time(s) beyond misfire_limit 4"));
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void overlap_skip_waits_for_the_previous_job_to_finish(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            b.instance.schedules.create(spec("minutely", b.workflowId, "* * * * *", Map.of("overlap_policy", "skip")), OPERATOR);
            b.clock.advance(Duration.ofMinutes(1));
            String first = b.instance.pass.run().getFirst().jobId().orElseThrow();

            b.clock.advance(Duration.ofMinutes(1));
            ScheduleFiring.Fired skipped = b.instance.pass.run().getFirst();
            assertThat(skipped.jobId()).isEmpty();
            assertThat(skipped.skipReason().orElseThrow()).contains("overlap").contains(first).contains("pending");

            b.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET state = 'succeeded' WHERE id = :id").bind("id", first).execute());
            b.clock.advance(Duration.ofMinutes(1));
            assertThat(b.instance.pass.run().getFirst().jobId()).isPresent();
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void fires_over_max_concurrent_schedules_make_jobs_that_wait_and_go_in_queue_order_as_slots_free(String database) {
        try (ScheduleBench b = bench(database, 2)) {
            for (String name : List.of("a", "b", "c")) {
                b.instance.schedules.create(spec(name, b.workflowId, "* * * * *", Map.of()), OPERATOR);
            }
            b.clock.advance(Duration.ofMinutes(1));

            List<ScheduleFiring.Fired> fired = b.instance.pass.run();

            assertThat(fired).hasSize(3).allMatch(f -> f.jobId().isPresent());
            List<ScheduleFiring.Fired> heldFires = fired.stream().filter(ScheduleFiring.Fired::held).toList();
            assertThat(heldFires).hasSize(1);
            ScheduleFiring.Fired held = heldFires.getFirst();
            assertThat(held.reason().orElseThrow()).contains("max_concurrent_schedules").contains("limit 2").contains("waits");
            assertThat(b.count("SELECT COUNT(*) FROM schedule_fires WHERE outcome = 'started' AND reason IS NOT NULL")).isEqualTo(1);
            assertThat(claimable(b)).hasSize(2).doesNotContain(held.jobId().orElseThrow());
            assertThat(b.instance.firing.holds().why(held.jobId().orElseThrow())).hasValueSatisfying(r -> assertThat(r)
                    .startsWith("max_concurrent_schedules: 2 schedule-started jobs are active (limit 2)").endsWith("first in line"));
            assertThat(b.instance.pass.run()).as("no slot freed, nothing due").isEmpty();
            assertThat(claimable(b)).hasSize(2);

            b.clock.advance(Duration.ofMinutes(1));
            List<String> next = b.instance.pass.run().stream().map(f -> f.jobId().orElseThrow()).toList();
            assertThat(heldInOrder(b)).hasSize(4).startsWith(held.jobId().orElseThrow());
            assertThat(b.instance.firing.holds().why(heldInOrder(b).getLast()))
                    .hasValueSatisfying(r -> assertThat(r).endsWith("after 3 held job(s) ahead of it"));

            List<String> queue = heldInOrder(b);
            finish(b, claimable(b).getFirst());
            b.instance.pass.run();
            assertThat(claimable(b)).as("one slot freed: the first held job goes").hasSize(2).contains(queue.get(0));
            finish(b, claimable(b).toArray(String[]::new));
            b.instance.pass.run();
            assertThat(claimable(b)).containsExactlyInAnyOrder(queue.get(1), queue.get(2));
            assertThat(heldInOrder(b)).containsExactly(queue.get(3));
            assertThat(queue).containsAll(next);
            assertThat(b.count("SELECT COUNT(*) FROM jobs WHERE source = 'schedule'")).as("no fire was dropped").isEqualTo(6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void over_limit_policy_skip_records_fires_over_the_bound_as_skipped(String database) {
        try (ScheduleBench b = new ScheduleBench(database, dir, START, 2, OverLimitPolicy.SKIP)) {
            for (String name : List.of("a", "b", "c")) {
                b.instance.schedules.create(spec(name, b.workflowId, "* * * * *", Map.of()), OPERATOR);
            }
            b.clock.advance(Duration.ofMinutes(1));

            List<ScheduleFiring.Fired> fired = b.instance.pass.run();

            assertThat(fired).hasSize(3);
            assertThat(fired.stream().filter(f -> f.jobId().isPresent())).hasSize(2).noneMatch(ScheduleFiring.Fired::held);
            assertThat(fired.stream().filter(f -> f.jobId().isEmpty()).findFirst().orElseThrow().skipReason().orElseThrow())
                    .contains("max_concurrent_schedules").contains("limit 2").contains("over_limit_policy skip");
            assertThat(b.count("SELECT COUNT(*) FROM jobs WHERE source = 'schedule'")).isEqualTo(2);
            assertThat(b.count("SELECT COUNT(*) FROM schedule_fires WHERE outcome = 'skipped'")).isEqualTo(1);
            assertThat(heldInOrder(b)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void each_fire_records_the_time_its_transaction_wrote_it_not_the_start_of_the_pass(String database) {
        try (ScheduleBench b = bench(database, 1_000)) {
            int schedules = 25; // three transactions of 10
            for (int i = 0; i < schedules; i++) {
                b.instance.schedules.create(spec("s" + i, b.workflowId, "* * * * *", Map.of()), OPERATOR);
            }
            b.clock.advance(Duration.ofMinutes(1));
            AtomicLong reads = new AtomicLong();
            TestClock ticking = new TestClock() { // 5 ms pass between any two reads of the time
                @Override
                public Instant instant() {
                    return b.clock.instant().plusMillis(5 * reads.getAndIncrement());
                }
            };
            Triggers instance = new Triggers(b.jdbi, b.db.database(), b.workflows.service(), new RecordingAuditTrail(), ticking, 1_000);

            List<ScheduleFiring.Fired> fired = instance.firing.fireDue(10).fired();

            assertThat(fired).hasSize(schedules);
            List<Instant> stamps = b.jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT fired_at FROM schedule_fires ORDER BY fired_at")
                    .map((rs, ctx) -> Jdbi3.instant(rs.getObject(1)).orElseThrow()).list());
            assertThat(stamps).as("one time per transaction, each read as it wrote").hasSize(3);
            Instant due = START.plus(Duration.ofMinutes(1));
            assertThat(stamps.getFirst()).isAfter(due);
            assertThat(Duration.between(due, stamps.getLast())).as("the last transaction's lag is its own")
                    .isGreaterThan(Duration.between(due, stamps.getFirst()));
            assertThat(fired.stream().map(ScheduleFiring.Fired::firedAt).distinct().sorted().toList()).isEqualTo(stamps);
        }
    }

    /** The ids of the pending jobs a robot may claim now, oldest first. */
    private static List<String> claimable(ScheduleBench b) {
        return b.jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs WHERE state = 'pending' AND held_by IS NULL"
                + " ORDER BY created_at, id").mapTo(String.class).list());
    }

    /** The held jobs in the order they are to be released. */
    private static List<String> heldInOrder(ScheduleBench b) {
        return b.jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs WHERE state = 'pending' AND held_by IS NOT NULL"
                + " ORDER BY priority DESC, created_at, id").mapTo(String.class).list());
    }

    private static void finish(ScheduleBench b, String... jobs) {
        b.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET state = 'succeeded' WHERE id IN (<ids>)")
                .bindList("ids", List.of(jobs)).execute());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void a_stale_next_fire_time_written_back_by_a_racing_change_does_not_fire_a_time_twice(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            b.instance.schedules.create(spec("hourly", b.workflowId, "0 * * * *", Map.of()), OPERATOR);
            b.clock.advance(Duration.ofHours(1));
            assertThat(b.instance.pass.run()).hasSize(1);
            // A change that read the schedule before that fire writes its old next_fire_at back.
            b.jdbi.useHandle(h -> h.createUpdate("UPDATE schedules SET next_fire_at = TIMESTAMP WITH TIME ZONE"
                    + " '2027-01-04 09:00:00+00'").execute());

            b.clock.advance(Duration.ofMinutes(30));
            assertThat(b.instance.pass.run()).as("09:00 was fired already").isEmpty();
            assertThat(b.instance.schedules.get("hourly", Actor.localCli()).nextFireAt()).contains(Instant.parse("2027-01-04T10:00:00Z"));

            b.clock.advance(Duration.ofMinutes(30));
            assertThat(b.instance.pass.run()).singleElement()
                    .satisfies(f -> assertThat(f.scheduledAt()).isEqualTo(Instant.parse("2027-01-04T10:00:00Z")));
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void a_fire_time_recorded_already_is_not_fired_again_and_is_counted_as_a_duplicate(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            b.instance.schedules.create(spec("hourly", b.workflowId, "0 * * * *", Map.of()), OPERATOR);
            b.clock.advance(Duration.ofHours(1));
            // Before the scheduler's pass, an operator's fire lands on the very millisecond of 09:00.
            ScheduleFiring.Fired manual = b.instance.schedules.triggerNow("hourly", OPERATOR);
            assertThat(manual.scheduledAt()).isEqualTo(Instant.parse("2027-01-04T09:00:00Z"));

            ScheduleFiring.Pass pass = b.instance.firing.fireDue(50);
            assertThat(pass.fired()).as("09:00 is recorded already").isEmpty();
            assertThat(pass.duplicates()).isEqualTo(1);
            assertThat(b.instance.schedules.get("hourly", Actor.localCli()).nextFireAt()).contains(Instant.parse("2027-01-04T10:00:00Z"));
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isEqualTo(1);

            b.clock.advance(Duration.ofHours(1));
            pass = b.instance.firing.fireDue(50);
            assertThat(pass.fired()).singleElement().satisfies(f -> assertThat(f.jobId()).isPresent());
            assertThat(pass.duplicates()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void each_fire_publishes_one_event_with_the_job_it_started_after_its_commit(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            List<ChangeEvent> seen = new CopyOnWriteArrayList<>();
            b.instance.events.subscribe("test", seen::add);
            Schedule s = b.instance.schedules.create(spec("hourly", b.workflowId, "0 * * * *", Map.of()), OPERATOR);
            b.clock.advance(Duration.ofHours(1));

            String cronJob = b.instance.pass.run().getFirst().jobId().orElseThrow();
            assertThat(b.instance.pass.run()).isEmpty();
            String manualJob = b.instance.schedules.triggerNow("hourly", OPERATOR).jobId().orElseThrow();

            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
            assertThat(seen).extracting(ChangeEvent::change).containsExactly(
                    Change.scheduleFired(s.id(), Optional.of(cronJob), s.folderId()),
                    Change.scheduleFired(s.id(), Optional.of(manualJob), s.folderId()));
            assertThat(seen.getFirst().change().to()).isEqualTo("started");
            assertThat(seen.getFirst().at()).isEqualTo(b.clock.instant());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void trigger_now_twice_in_the_same_millisecond_starts_two_jobs_and_leaves_the_cron_alone(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            Schedule s = b.instance.schedules.create(spec("manual", b.workflowId, "0 9 * * *", Map.of()), OPERATOR);

            ScheduleFiring.Fired first = b.instance.schedules.triggerNow("manual", OPERATOR);
            ScheduleFiring.Fired second = b.instance.schedules.triggerNow("manual", OPERATOR);

            assertThat(first.jobId()).isPresent().isNotEqualTo(second.jobId());
            assertThat(second.scheduledAt()).isEqualTo(first.scheduledAt().plusMillis(1));
            assertThat(b.instance.schedules.history("manual", 10, Actor.localCli())).extracting(ScheduleStore.Fire::kind).containsOnly("manual");
            assertThat(b.instance.schedules.get("manual", Actor.localCli()).nextFireAt()).isEqualTo(s.nextFireAt());
            assertThat(b.count("SELECT COUNT(*) FROM jobs")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void an_invalid_cron_names_the_field_and_stores_nothing(String database) {
        try (ScheduleBench b = bench(database, 100)) {
            assertThatThrownBy(() -> b.instance.schedules.create(spec("bad", b.workflowId, "0 9 * * 9", Map.of()), OPERATOR))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                        assertThat(e.field()).isEqualTo("cron");
                        assertThat(e.getMessage()).contains("day-of-week");
                    });
            assertThatThrownBy(() -> b.instance.schedules.create(spec("bad", b.workflowId, "0 9 * * *",
                    Map.of("timezone", "Mars/Olympus")), OPERATOR))
                    .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("timezone"));
            assertThat(b.count("SELECT COUNT(*) FROM schedules")).isZero();
        }
    }
}
