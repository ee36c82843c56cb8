package com.casarerpa.orchestrator.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.CliHarness;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TcpProxy;
import com.casarerpa.orchestrator.testing.TestPostgres;
import com.casarerpa.testkit.TestRobot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A robot that connects while the database is unreachable is told 503 (retry elsewhere, later), not 500. */
class HandshakeWithoutDatabaseTest {
    @TempDir
    Path workDir;

    @Test
    void the_upgrade_is_refused_with_503_while_the_database_is_unreachable_and_accepted_again_after() throws Exception {
        String db = TestPostgres.createDatabase();
        try (TcpProxy proxy = new TcpProxy(TestPostgres.HOST, TestPostgres.PORT);
                RunningOrchestrator server = RunningOrchestrator.postgresAt(workDir,
                        "postgresql://" + TestPostgres.USER + "@127.0.0.1:" + proxy.port() + "/" + db, Map.of())) {
            String key = Json.mapper().readTree(CliHarness.orchestrator(server.env(), workDir, "create-api-key", "--name",
                    "Robot", "--role", "robot", "--json").out()).get("key").asText();
            Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
            int port = server.orchestrator().port();
            assertThat(TestRobot.refusal(port, "", auth)).as("upgraded while the database is there").isEmpty();

            proxy.cut();
            assertThat(TestRobot.refusal(port, "", auth)).contains(503);

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> TestRobot.refusal(port, "", auth).equals(Optional.empty()));
        } finally {
            TestPostgres.dropDatabase(db);
        }
    }
}
