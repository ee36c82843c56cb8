package com.casarerpa.orchestrator.scheduler;

import static com.casarerpa.orchestrator.testing.ScheduleBench.OPERATOR;
import static com.casarerpa.orchestrator.testing.ScheduleBench.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.store.Database;
import com.casarerpa.orchestrator.store.DatabaseUrl;
import com.casarerpa.orchestrator.store.Jdbi3;
import com.casarerpa.orchestrator.store.PoolSettings;
import com.casarerpa.orchestrator.testing.RecordingAuditTrail;
import com.casarerpa.orchestrator.testing.ScheduleBench;
import com.casarerpa.orchestrator.testing.Triggers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two scheduler instances, each with its own pool, on one PostgreSQL database, with
 * {@code max_concurrent_schedules} 5 and 20 schedules due at the same minute: their passes race
 * (a barrier), each fire happens once and makes its job, 5 are active and 15 held; then, as the
 * active jobs end, racing passes release the held ones in queue order, never more than the bound.
 */
class HeldFiresAcrossInstancesTest {
    private static final int SCHEDULES = 20;
    private static final int BOUND = 5;

    @TempDir
    Path dir;

    @Test
    void two_instances_hold_fires_over_the_bound_and_release_them_in_order_never_above_it() throws Exception {
        try (ScheduleBench bench = new ScheduleBench("postgres", dir, Instant.parse("2027-01-04T08:00:00Z"), BOUND)) {
            for (int i = 0; i < SCHEDULES; i++) {
                bench.instance.schedules.create(spec("s" + i, bench.workflowId, "* * * * *", Map.of()), OPERATOR);
            }
            String url = bench.db.env().get("DATABASE_URL");
            List<Database> pools = new ArrayList<>();
            List<Triggers> instances = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < 2; i++) {
                    Database db = Database.open(DatabaseUrl.parse(url), PoolSettings.forCommand());
                    pools.add(db);
                    instances.add(new Triggers(Jdbi3.of(db), db, bench.workflows.service(), new RecordingAuditTrail(), bench.clock,
                            BOUND));
                }
                bench.clock.advance(Duration.ofMinutes(1));
                together(threads, instances);

                assertThat(bench.count("SELECT COUNT(*) FROM schedule_fires")).isEqualTo(SCHEDULES);
                assertThat(bench.count("SELECT COUNT(DISTINCT job_id) FROM schedule_fires")).isEqualTo(SCHEDULES);
                assertThat(bench.count("SELECT COUNT(*) FROM jobs WHERE source = 'schedule'")).isEqualTo(SCHEDULES);
                assertThat(active(bench)).hasSize(BOUND);
                assertThat(held(bench)).hasSize(SCHEDULES - BOUND);

                while (!held(bench).isEmpty()) {
                    List<String> queue = held(bench);
                    bench.jdbi.useHandle(h -> h.createUpdate("UPDATE jobs SET state = 'succeeded' WHERE state = 'pending'"
                            + " AND held_by IS NULL").execute());
                    together(threads, instances);
                    assertThat(active(bench)).as("released: the first of the queue, up to the bound")
                            .containsExactlyInAnyOrderElementsOf(queue.subList(0, Math.min(BOUND, queue.size())));
                }
                assertThat(bench.count("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'")).isEqualTo(SCHEDULES - BOUND);
            } finally {
                threads.shutdownNow();
                pools.forEach(Database::close);
            }
        }
    }

    /** One pass of each instance, started at the same moment. */
    private static void together(ExecutorService threads, List<Triggers> instances) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(instances.size());
        List<Future<?>> passes = new ArrayList<>();
        for (Triggers t : instances) {
            passes.add(threads.submit((Callable<?>) () -> {
                barrier.await();
                return t.pass.run();
            }));
        }
        for (Future<?> p : passes) {
            p.get();
        }
    }

    /** Schedule jobs a robot may take now. */
    private static List<String> active(ScheduleBench bench) {
        return bench.jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs WHERE state = 'pending' AND held_by IS NULL")
                .mapTo(String.class).list());
    }

    /** Held jobs in the order they are to go. */
    private static List<String> held(ScheduleBench bench) {
        return bench.jdbi.withHandle(h -> h.createQuery("SELECT id FROM jobs WHERE state = 'pending' AND held_by IS NOT NULL"
                + " ORDER BY priority DESC, created_at, id").mapTo(String.class).list());
    }
}
