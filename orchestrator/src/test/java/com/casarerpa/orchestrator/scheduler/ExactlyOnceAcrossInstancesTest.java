package com.casarerpa.orchestrator.scheduler;

import static com.casarerpa.orchestrator.testing.ScheduleBench.OPERATOR;
import static com.casarerpa.orchestrator.testing.ScheduleBench.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.store.ScheduleFiring;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.ScheduleBench;
import com.casarerpa.orchestrator.testing.Triggers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three scheduler instances, each with its own connection pool, on one PostgreSQL database and
 * one shared clock, fire 200 every-minute schedules through a simulated hour. Each minute the
 * three passes start at the same moment (a barrier), twice, so they race for the same due rows.
 * Every (schedule, minute) must be fired exactly once, with exactly one job, never early.
 */
@Tag("slow")
class ExactlyOnceAcrossInstancesTest {
    private static final int SCHEDULES = 200;
    private static final int MINUTES = 60;
    private static final int INSTANCES = 3;

    @TempDir
    Path dir;

    @Test
    void three_instances_fire_200_schedules_for_an_hour_each_fire_exactly_once() throws Exception {
        Instant start = Instant.parse("2027-01-04T08:00:00Z");
        try (ScheduleBench bench = new ScheduleBench("postgres", dir, start, 1_000_000)) {
            for (int i = 0; i < SCHEDULES; i++) {
                bench.instance.schedules.create(spec("s" + i, bench.workflowId, i % 2 == 0 ? "* * * * *" : "*/1 * * * *",
                        Map.of()), OPERATOR);
            }
            String url = bench.db.env().get("DATABASE_URL");
            List<Database> pools = new ArrayList<>();
            List<Triggers> instances = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                Database db = Database.open(DatabaseUrl.parse(url), PoolSettings.forCommand());
                pools.add(db);
                instances.add(new Triggers(Jdbi3.of(db), db, bench.workflows.service(), new RecordingAuditTrail(), bench.clock,
                        1_000_000));
            }
            Map<Integer, AtomicInteger> firedBy = new ConcurrentHashMap<>();
            ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
            try {
                for (int minute = 1; minute <= MINUTES; minute++) {
                    bench.clock.advance(Duration.ofMinutes(1));
                    for (int round = 0; round < 2; round++) {
                        CyclicBarrier together = new CyclicBarrier(INSTANCES);
                        List<Future<List<ScheduleFiring.Fired>>> passes = new ArrayList<>();
                        for (int i = 0; i < INSTANCES; i++) {
                            Triggers t = instances.get(i);
                            int instance = i;
                            passes.add(threads.submit(() -> {
                                together.await();
                                List<ScheduleFiring.Fired> fired = t.pass.run();
                                firedBy.computeIfAbsent(instance, k -> new AtomicInteger()).addAndGet(fired.size());
                                return fired;
                            }));
                        }
                        for (Future<List<ScheduleFiring.Fired>> p : passes) {
                            p.get();
                        }
                    }
                }
            } finally {
                threads.shutdownNow();
                pools.forEach(Database::close);
            }

            long expected = (long) SCHEDULES * MINUTES;
            assertThat(bench.count("SELECT COUNT(*) FROM schedule_fires")).isEqualTo(expected);
            assertThat(bench.count("SELECT COUNT(*) FROM schedule_fires WHERE outcome = 'started'")).isEqualTo(expected);
            assertThat(bench.count("SELECT COUNT(DISTINCT job_id) FROM schedule_fires")).isEqualTo(expected);
            assertThat(bench.count("SELECT COUNT(*) FROM jobs WHERE source = 'schedule'")).isEqualTo(expected);
            assertThat(bench.count("SELECT COUNT(*) FROM schedule_fires WHERE fired_at < scheduled_at")).as("early fires").isZero();
            // Every schedule has every minute of the hour: 08:01 … 09:00.
            assertThat(bench.count("SELECT COUNT(*) FROM (SELECT schedule_id FROM schedule_fires GROUP BY schedule_id"
                    + " HAVING COUNT(*) = " + MINUTES + " AND MIN(scheduled_at) = TIMESTAMP WITH TIME ZONE '2027-01-04 08:01:00+00'"
                    + " AND MAX(scheduled_at) = TIMESTAMP WITH TIME ZONE '2027-01-04 09:00:00+00') s")).isEqualTo(SCHEDULES);
            assertThat(firedBy.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo((int) expected);
            assertThat(firedBy.values().stream().filter(n -> n.get() > 0)).as("instances that fired: " + firedBy)
                    .hasSizeGreaterThan(1);
        }
    }
}
