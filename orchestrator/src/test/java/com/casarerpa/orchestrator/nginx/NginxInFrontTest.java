package com.casarerpa.orchestrator.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.Nginx;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.casarerpa.orchestrator.testing.SelfSignedCertificate;
import com.casarerpa.testkit.AutoRobot;
import com.casarerpa.testkit.RobotLog;
import com.casarerpa.testkit.RobotSetup;
import com.casarerpa.testkit.Robots;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/nginx/orchestrator.conf, the specification's reverse proxy, run by Debian's nginx with
 * TLS (a certificate made by openssl) in front of one orchestrator on PostgreSQL: the REST API
 * with an API key, bodies above nginx's default limit, the HTTP redirect, the dashboard and its
 * assets, its session cookie marked Secure (X-Forwarded-Proto), the live feed's events as they
 * happen, and a robot's WebSocket running a job (a key in the query string kept out of the log).
 */
@Tag("ops")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NginxInFrontTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path work;
    @TempDir
    static Path nginxDir;

    private RunningOrchestrator server;
    private Nginx nginx;
    private SelfSignedCertificate certificate;
    private HttpClient client;
    private Http api;
    private String base;
    private int httpPort;
    private Map<String, String> admin;
    private String workflowId;

    @BeforeAll
    void orchestratorBehindNginx() {
        // nginx on loopback is the trusted proxy: the cookie is Secure because it says X-Forwarded-Proto: https.
        server = RunningOrchestrator.postgres(work, Map.of("CASARE_QUEUE_RETRY_DELAY_SECONDS", "0", "CASARE_TRUSTED_PROXIES", "127.0.0.1"));
        admin = Map.of("X-API-Key", server.adminKey(work));
        certificate = SelfSignedCertificate.make(nginxDir);
        List<Integer> ports = Nginx.freePorts(2);
        httpPort = ports.get(1);
        Map<String, String> replace = Nginx.onLoopback(nginxDir, certificate, ports.get(0), httpPort);
        replace.put("http://127.0.0.1:8000", "http://127.0.0.1:" + server.orchestrator().port());
        nginx = Nginx.start(nginxDir, Nginx.site("orchestrator.conf", replace), ports);
        base = "https://127.0.0.1:" + ports.get(0);
        client = certificate.client();
        api = new Http(base, client);
        Http.Response deployed = api.post("/api/v1/workflows", "{\"name\":\"Greeting\",\"workflow_data\":"
                + Samples.chain("greeting", "hello") + "}", admin);
        assertThat(deployed.status()).as(deployed.body()).isEqualTo(201);
        workflowId = deployed.json().get("id").asText();
    }

    @AfterAll
    void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void the_rest_api_answers_through_nginx_with_an_api_key_and_its_own_errors() {
        Http.Response listed = api.get("/api/v1/workflows", admin);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().get("items").findValuesAsText("id")).contains(workflowId);

        Http.Response anonymous = api.get("/api/v1/workflows");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("error").path("code").asText()).isEqualTo("unauthorized");

        // 3 MB: over nginx's default 1 MB, under client_max_body_size, over the submit route's own
        // 2 MB. The orchestrator answers (JSON), not nginx (an HTML page).
        String big = "{\"workflow_id\":\"" + workflowId + "\",\"variables\":{\"blob\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}";
        Http.Response tooBig = api.post("/api/v1/jobs", big, admin);
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.json().path("error").path("code").asText()).as(tooBig.body()).isEqualTo("payload_too_large");
    }

    @Test
    void the_session_cookie_is_secure_because_nginx_says_the_request_came_over_https() {
        Http.Response r = api.post("/api/v1/auth/login", "{\"api_key\":\"" + admin.get("X-API-Key") + "\"}", Map.of());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // The orchestrator itself is reached over plain HTTP: only X-Forwarded-Proto tells it.
        assertThat(r.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("casare_session="))
                .singleElement().satisfies(c -> assertThat(c).contains("; Secure"));
    }

    @Test
    void plain_http_is_redirected_to_https() {
        try (HttpClient plain = HttpClient.newHttpClient()) {
            Http.Response r = new Http("http://127.0.0.1:" + httpPort, plain).get("/jobs?state=failed");
            assertThat(r.status()).isEqualTo(301);
            assertThat(r.header("Location")).isEqualTo("https://127.0.0.1/jobs?state=failed");
        }
    }

    @Test
    void the_dashboard_and_its_assets_come_through_nginx() {
        Http.Response page = api.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.body()).contains("/assets/app.js");

        Http.Response script = api.get("/assets/app.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.header("Content-Type")).contains("javascript");
        assertThat(script.body()).isNotBlank();

        assertThat(api.get("/jobs").status()).as("a deep link of the dashboard").isEqualTo(200);
    }

    @Test
    void the_live_feed_delivers_an_event_through_nginx_as_it_happens() {
        try (EventStream feed = EventStream.open(client, URI.create(base + "/api/v1/events"), admin)) {
            assertThat(feed.status()).isEqualTo(200);
            assertThat(feed.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
            String job = submit();
            // Well within the feed's 15 s keep-alive: a buffering proxy would hold the event back.
            JsonNode seen = feed.nextChange("job", job, "pending", Duration.ofSeconds(5)).json();
            assertThat(seen.get("id").asText()).isEqualTo(job);
        }
    }

    @Test
    void a_robot_connected_through_nginx_runs_a_job() throws Exception {
        String robotKey = key("robot", "Fleet behind nginx");
        RobotLog log = new RobotLog();
        try (Robots robots = new Robots(certificate.trust())) {
            AutoRobot robot = robots.start(RobotSetup.resilient(robotKey, "behind-nginx-1", List.of(URI.create(wss()))), log);
            robot.ready().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String job = submit();
            await("the job succeeded").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get("/api/v1/jobs/" + job, admin).json().get("state").asText(), "succeeded"::equals);
            assertThat(log.executions()).extracting(RobotLog.Execution::jobId).contains(job);
            JsonNode seen = api.get("/api/v1/robots/behind-nginx-1", admin).json();
            assertThat(seen.get("connection").asText()).isEqualTo("connected");
        }
    }

    @Test
    void a_key_in_the_query_string_opens_the_websocket_and_stays_out_of_the_access_log() throws Exception {
        String robotKey = key("robot", "Query-string key");
        TestRobot robot = TestRobot.connectAsync(client, URI.create(wss() + "?api_key=" + robotKey), Map.of(), null)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        robot.close();
        // nginx writes the line when the connection ends.
        await("the handshake's line in the access log").atMost(WAIT)
                .until(() -> nginx.accessLog().lines().anyMatch(l -> l.contains("\"GET /ws/robots HTTP/1.1\" 101")));
        assertThat(nginx.accessLog()).doesNotContain(robotKey).doesNotContain("api_key");
    }

    private String wss() {
        return base.replace("https://", "wss://") + "/ws/robots";
    }

    private String submit() {
        Http.Response r = api.post("/api/v1/jobs", "{\"workflow_id\":\"" + workflowId + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private String key(String role, String name) {
        Http.Response r = api.post("/api/v1/api-keys", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("key").asText();
    }
}
