package com.casarerpa.robot;

import static com.casarerpa.robot.testing.Flows.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestCertificates;
import com.casarerpa.orchestrator.testing.TestCertificates.Authority;
import com.casarerpa.orchestrator.testing.TestCertificates.Issued;
import com.casarerpa.orchestrator.testing.TestCertificates.KeyForm;
import com.casarerpa.orchestrator.testing.TestCertificates.Kind;
import com.casarerpa.robot.testing.Flows;
import com.casarerpa.robot.testing.LocalRobot;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference robot against an orchestrator that serves TLS itself ({@code --ssl-cert/--ssl-key}):
 * given the private root CA as {@code robot.ca_file} and {@code --url https://…}, it connects over
 * {@code wss://} on the server's one port and runs a job.
 */
class DirectTlsTest {
    @TempDir
    Path server;

    @TempDir
    Path certs;

    @TempDir
    Path robotDir;

    @Test
    void a_robot_with_the_ca_file_runs_a_job_over_wss_on_the_orchestrators_own_port() throws Exception {
        Authority root = TestCertificates.root("Robot Test Root");
        Authority intermediate = root.intermediate("Robot Test Intermediate");
        Issued issued = intermediate.server(Kind.EC);
        Map<String, String> env = new HashMap<>(Map.of(
                "ORCHESTRATOR_SSL_CERT", issued.writeChain(certs.resolve("chain.pem"), intermediate.certificate()).toString(),
                "ORCHESTRATOR_SSL_KEY", issued.writeKey(certs.resolve("key.pem"), KeyForm.TRADITIONAL).toString(),
                "CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "100000"));
        try (RunningOrchestrator orchestrator = RunningOrchestrator.embedded(server, env);
             HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(root.certificate())).build()) {
            String base = "https://127.0.0.1:" + orchestrator.orchestrator().port();
            Http https = new Http(base, client);
            Map<String, String> admin = Map.of("X-API-Key", orchestrator.orchestrator().bootstrapKey().orElseThrow());
            String robotKey = https.post("/api/v1/api-keys", "{\"name\":\"robots\",\"role\":\"robot\"}", admin).json().get("key").asText();
            assertThat(https.post("/api/v1/workflows", "{\"name\":\"Tls\",\"workflow_data\":" + Flows.chain("tls", set("over", "tls"))
                    + "}", admin).status()).isIn(200, 201);

            try (LocalRobot robot = LocalRobot.start(base, robotKey, robotDir,
                    Map.of("robot.ca_file", root.writeCertificate(certs.resolve("ca.pem")).toString()))) {
                String job = https.post("/api/v1/jobs", "{\"workflow_name\":\"Tls\"}", admin).json().get("id").asText();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                        assertThat(https.get("/api/v1/jobs/" + job, admin).json().get("state").asText()).isEqualTo("succeeded"));
                assertThat(https.get("/api/v1/jobs/" + job, admin).json().at("/result/variables/over").asText()).isEqualTo("tls");
            }
        }
    }
}
