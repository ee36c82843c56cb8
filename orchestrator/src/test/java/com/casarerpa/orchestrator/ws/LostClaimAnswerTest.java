package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A claim whose statement commits while the connection to the database breaks: the instance
 * never hears that the job is leased. Found by the 60 s outage test, where such a job waited for
 * its lease to expire and ran as a second attempt. Now the dispatcher sends it once the database
 * answers again, as attempt 1, long before the lease (300 s here) could expire.
 *
 * <p>The claim is held inside PostgreSQL by a trigger that sleeps, the connection is cut while
 * it sleeps, and the statement, whose Sync the server already has, commits with nobody to tell.
 */
class LostClaimAnswerTest {
    @TempDir
    Path workDir;

    @Test
    void a_job_leased_by_a_claim_whose_answer_was_lost_is_sent_to_its_robot_as_the_same_attempt() throws Exception {
        String db = TestPostgres.createDatabase();
        try (TcpProxy proxy = new TcpProxy(TestPostgres.HOST, TestPostgres.PORT);
                ChannelServer server = ChannelServer.postgresAt(workDir,
                        "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + proxy.port() + "/" + db,
                        Map.of("CASARE_QUEUE_VISIBILITY_TIMEOUT_SECONDS", "300"));
                Connection direct = TestPostgres.connect(db)) {
            TestRobot robot = server.robot();
            assertThat(robot.register(TestRobot.message("register").put("robot_id", "r-lost-answer")
                    .put("max_concurrent_jobs", 1)).path("type").asText()).isEqualTo("registered");
            try (Statement s = direct.createStatement()) {
                s.execute("CREATE FUNCTION casare_test_slow_claim() RETURNS trigger LANGUAGE plpgsql"
                        + " AS $$ BEGIN PERFORM pg_sleep(3); RETURN NEW; END $$");
                s.execute("CREATE TRIGGER slow_claim AFTER INSERT ON job_attempts FOR EACH ROW"
                        + " EXECUTE FUNCTION casare_test_slow_claim()");
            }

            String job = server.submit();
            await("the claim sleeps inside PostgreSQL").atMost(Duration.ofSeconds(10))
                    .until(() -> one(direct, "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'"
                            + " AND datname = '" + db + "'").equals("1"));
            proxy.cut();
            try (Statement s = direct.createStatement()) {
                s.execute("DROP TRIGGER slow_claim ON job_attempts");
            }
            await("the claim committed although its connection is gone").atMost(Duration.ofSeconds(10))
                    .until(() -> one(direct, "SELECT state FROM jobs WHERE id = '" + job + "'").equals("assigned"));
            proxy.restore();

            JsonNode assign = robot.next("job_assign", Duration.ofSeconds(30));
            assertThat(assign.get("job_id").asText()).isEqualTo(job);
            assertThat(assign.get("attempt").asInt()).as("the claim's own attempt, not a second one").isEqualTo(1);
            assertThat(assign.get("lease_token").asText())
                    .isEqualTo(one(direct, "SELECT lease_token FROM jobs WHERE id = '" + job + "'"));

            robot.call(TestRobot.report("job_started", assign));
            JsonNode done = robot.call(TestRobot.report("job_completed", assign).set("result",
                    Json.mapper().createObjectNode().put("executed_nodes", 1).put("duration_ms", 5)));
            assertThat(done.path("type").asText()).as(done.toString()).isEqualTo("ack");
            assertThat(one(direct, "SELECT state FROM jobs WHERE id = '" + job + "'")).isEqualTo("succeeded");
            assertThat(one(direct, "SELECT COUNT(*) FROM job_attempts WHERE job_id = '" + job + "'")).isEqualTo("1");
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }

    private static String one(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }
}
