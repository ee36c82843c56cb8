package com.casarerpa.orchestrator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.casarerpa.orchestrator.app.Orchestrator;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.LocalPgBouncer;
import com.casarerpa.orchestrator.testing.StartedInstance;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.Robots;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec's "Connection Pooling" with Debian's pgbouncer on a loopback port: in session mode and
 * in transaction mode (with {@code database.pool_mode: transaction} and a direct URL) two
 * instances make their first start through it on an empty database, a robot runs jobs, and a
 * change made on one instance reaches the other's live feed (LISTEN/NOTIFY; nothing else carries
 * it). Transaction pooling that the configuration does not declare is refused at start, naming
 * the setting.
 */
@Tag("ops")
class PgBouncerTest {
    @TempDir
    Path workDir;

    @Test
    void in_session_mode_two_instances_start_run_jobs_and_wake_each_other() throws Exception {
        try (LocalPgBouncer bouncer = LocalPgBouncer.start("session")) {
            String db = TestPostgres.createDatabase();
            try {
                runJobsAcrossTwoInstances(db, pooled(bouncer, db));
            } finally {
                TestPostgres.dropDatabase(db);
            }
        }
    }

    @Test
    void in_transaction_mode_with_the_setting_two_instances_start_run_jobs_and_wake_each_other() throws Exception {
        try (LocalPgBouncer bouncer = LocalPgBouncer.start("transaction")) {
            String db = TestPostgres.createDatabase();
            try {
                Map<String, String> env = pooled(bouncer, db);
                env.put("CASARE_DATABASE_POOL_MODE", "transaction");
                env.put("DATABASE_DIRECT_URL", TestPostgres.url(db));
                runJobsAcrossTwoInstances(db, env);
            } finally {
                TestPostgres.dropDatabase(db);
            }
        }
    }

    @Test
    void undeclared_transaction_pooling_is_refused_at_start_naming_the_setting() {
        try (LocalPgBouncer bouncer = LocalPgBouncer.start("transaction")) {
            String db = TestPostgres.createMigratedDatabase();
            try {
                assertThatThrownBy(() -> StartedInstance.start(workDir, pooled(bouncer, db)).close())
                        .hasMessageStartingWith("database.url: the connections to 127.0.0.1:" + bouncer.port()
                                + " are pooled per transaction")
                        .hasMessageContaining("set database.pool_mode: transaction")
                        .hasMessageContaining("database.direct_url")
                        .hasMessageNotContaining("\n");
                Map<String, String> throughBouncerToo = pooled(bouncer, db);
                throughBouncerToo.put("CASARE_DATABASE_POOL_MODE", "transaction");
                throughBouncerToo.put("DATABASE_DIRECT_URL", bouncer.url(db));
                assertThatThrownBy(() -> StartedInstance.start(workDir, throughBouncerToo).close())
                        .hasMessageStartingWith("database.direct_url: the connections to 127.0.0.1:" + bouncer.port());
            } finally {
                TestPostgres.dropDatabase(db);
            }
        }
    }

    /** DATABASE_URL through the bouncer, a smaller pool as the spec says ("Lower with external pooler"), no secret. */
    private static Map<String, String> pooled(LocalPgBouncer bouncer, String db) {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", bouncer.url(db));
        env.put("CASARE_DATABASE_POOL_SIZE", "5");
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_REQUESTS_PER_MINUTE", "100000");
        env.put("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000");
        return env;
    }

    private void runJobsAcrossTwoInstances(String db, Map<String, String> env) throws Exception {
        try (Orchestrator a = StartedInstance.start(workDir.resolve("a"), env);
                Orchestrator b = StartedInstance.start(workDir.resolve("b"), env);
                Robots robots = new Robots()) {
            Map<String, String> cli = new HashMap<>(env);
            cli.put("CASARE_DATA_DIR", workDir.resolve("cli").toString());
            JobFlow onB = new JobFlow(new Http(b.port()), StartedInstance.adminKey(cli, workDir));
            String workflow = onB.deploy("pooled");
            try (EventStream feedOnA = EventStream.open(a.port(), "", onB.admin())) {
                assertThat(feedOnA.status()).isEqualTo(200);
                // No robot yet: A's own dispatcher would otherwise take the job before the event arrives.
                String first = onB.submit(workflow);
                JsonNode seen = feedOnA.nextChange("job", first, "pending", JobFlow.WAIT).json();
                assertThat(seen.get("remote").asBoolean()).as("came from B through NOTIFY").isTrue();
                onB.robot(robots, a.port(), "robot-on-a");
                onB.awaitState(first, "succeeded");
            }
            // More than pgjdbc's prepareThreshold (5) of each statement: a named statement would
            // meet another session behind a transaction pooler.
            List<String> jobs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                jobs.add(onB.submit(workflow));
            }
            jobs.forEach(id -> onB.awaitState(id, "succeeded"));
            assertThat(StartedInstance.workflowsWith(a.port(), StartedInstance.token(b.port(), StartedInstance.adminKey(cli, workDir))))
                    .as("the generated key is shared through the pooler too").isEqualTo(200);
        }
    }
}
