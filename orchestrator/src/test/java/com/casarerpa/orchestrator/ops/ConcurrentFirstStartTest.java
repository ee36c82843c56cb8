package com.casarerpa.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.StartedInstance;
import com.casarerpa.orchestrator.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's compose file with {@code replicas: 3}: three instances start at the same moment on
 * one empty PostgreSQL database, with no secret configured. All come up (one initialises, the
 * others wait for it), the schema is applied once, and they share the one generated signing key:
 * a token issued by one is accepted by the others.
 */
@Tag("ops")
class ConcurrentFirstStartTest {
    static final int INSTANCES = 3;

    @TempDir
    Path workDir;

    @Test
    void three_instances_starting_at_once_on_an_empty_database_all_come_up_and_share_the_generated_key() throws Exception {
        String db = TestPostgres.createDatabase();
        Map<String, String> env = Map.of("DATABASE_URL", TestPostgres.url(db), "ORCHESTRATOR_WORKERS", "4");
        ExecutorService starters = Executors.newFixedThreadPool(INSTANCES);
        List<Orchestrator> started = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Orchestrator>> starting = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
                Path dir = workDir.resolve("instance-" + i);
                starting.add(starters.submit(() -> {
                    go.await();
                    return StartedInstance.start(dir, env);
                }));
            }
            go.countDown();
            List<Throwable> failures = new ArrayList<>();
            for (Future<Orchestrator> f : starting) {
                try {
                    started.add(f.get(120, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(failures).as("instances that refused to start").isEmpty();
            for (Orchestrator o : started) {
                assertThat(new Http(o.port()).get("/ready").status()).isEqualTo(200);
            }
            assertThat(count(db, "SELECT COUNT(*) FROM flyway_schema_history WHERE success"))
                    .as("each migration applied once").isEqualTo(count(db, "SELECT COUNT(DISTINCT version) FROM flyway_schema_history"));
            assertThat(count(db, "SELECT COUNT(*) FROM generated_secrets")).isEqualTo(1);

            Map<String, String> cli = Map.of("DATABASE_URL", TestPostgres.url(db), "CASARE_DATA_DIR", workDir.resolve("cli").toString());
            String token = StartedInstance.token(started.get(0).port(), StartedInstance.adminKey(cli, workDir));
            for (Orchestrator o : started) {
                assertThat(StartedInstance.workflowsWith(o.port(), token)).as("a token of the first instance on " + o.port())
                        .isEqualTo(200);
            }
        } finally {
            started.forEach(Orchestrator::close);
            starters.shutdownNow();
            TestPostgres.dropDatabase(db);
        }
    }

    private static long count(String db, String sql) throws Exception {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
