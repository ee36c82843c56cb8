package com.casarerpa.orchestrator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.casarerpa.common.json.Json;
import com.casarerpa.orchestrator.testing.EventStream;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.TestCertificates;
import com.casarerpa.orchestrator.testing.TestCertificates.Authority;
import com.casarerpa.orchestrator.testing.TestCertificates.Issued;
import com.casarerpa.orchestrator.testing.TestCertificates.KeyForm;
import com.casarerpa.orchestrator.testing.TestCertificates.Kind;
import com.casarerpa.testkit.TestRobot;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct TLS ({@code --ssl-cert/--ssl-key}, docs/operations.md, "TLS") with certificates made
 * here: a root CA, an intermediate CA, and a server certificate whose file carries the chain.
 * A client that trusts only the root gets HTTPS (health, an authenticated call, the live feed,
 * the session cookie marked Secure) and WSS (a robot registers) on the one port; a renewed
 * certificate reaches new connections without a restart.
 */
class TlsServerTest {
    @TempDir
    Path dir;

    private final Authority root = TestCertificates.root("Test Root CA");
    private final Authority intermediate = root.intermediate("Test Intermediate CA");
    private final SSLContext trustingRoot = TestCertificates.trusting(root.certificate());
    private final HttpClient client = HttpClient.newBuilder().sslContext(trustingRoot).connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private RunningOrchestrator server;
    private String admin;
    private String base;

    private void start(Issued certificate, KeyForm form) {
        Path cert = certificate.writeChain(dir.resolve("tls/fullchain.pem"), intermediate.certificate());
        Path key = certificate.writeKey(dir.resolve("tls/key.pem"), form);
        server = RunningOrchestrator.embedded(dir, Map.of("ORCHESTRATOR_SSL_CERT", cert.toString(),
                "ORCHESTRATOR_SSL_KEY", key.toString()));
        admin = server.orchestrator().bootstrapKey().orElseThrow();
        base = "https://127.0.0.1:" + server.orchestrator().port();
    }

    @BeforeEach
    void noServerYet() {
        server = null;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        client.close();
    }

    private HttpResponse<String> send(String method, String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> asAdmin() {
        return Map.of("Authorization", "Bearer " + admin);
    }

    @Test
    void https_and_wss_share_the_port_with_an_rsa_key_and_an_intermediate_ca() throws Exception {
        start(intermediate.server(Kind.RSA), KeyForm.TRADITIONAL);
        assertThat(server.orchestrator().scheme()).isEqualTo("https");

        List<X509Certificate> shown = TestCertificates.presented(trustingRoot, server.orchestrator().port());
        assertThat(shown).as("the server's certificate, then the intermediate from the same file").hasSize(2);
        assertThat(shown.get(1).getSubjectX500Principal()).isEqualTo(intermediate.certificate().getSubjectX500Principal());

        HttpResponse<String> health = send("GET", "/health", null, Map.of());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Json.mapper().readTree(health.body()).get("status").asText()).isEqualTo("healthy");
        assertThat(send("GET", "/api/v1/api-keys", null, asAdmin()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/api-keys", null, Map.of()).statusCode()).isEqualTo(401);

        HttpResponse<String> cookie = send("POST", "/api/v1/auth/login", "{\"api_key\":\"" + admin + "\",\"session\":\"cookie\"}",
                Map.of());
        assertThat(cookie.headers().allValues("Set-Cookie")).hasSize(2).allSatisfy(c -> assertThat(c).contains("; Secure"));

        try (EventStream feed = EventStream.open(client, URI.create(base + "/api/v1/events"), asAdmin())) {
            assertThat(feed.status()).isEqualTo(200);
            String robotKey = Json.mapper().readTree(send("POST", "/api/v1/api-keys", "{\"name\":\"tls-robot\",\"role\":\"robot\"}",
                    asAdmin()).body()).get("key").asText();
            try (TestRobot robot = TestRobot.connectAsync(client, URI.create("wss://127.0.0.1:" + server.orchestrator().port()
                    + "/ws/robots"), Map.of("Authorization", "Bearer " + robotKey), null).get(10, TimeUnit.SECONDS)) {
                JsonNode registered = robot.register(TestRobot.message("register").put("robot_id", "tls-robot-1"));
                assertThat(registered.get("type").asText()).as(registered.toString()).isEqualTo("registered");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(feed.received()).anyMatch(e ->
                    e.event().equals("change") && e.json().path("kind").asText().equals("robot")
                            && e.json().path("id").asText().equals("tls-robot-1")));
        }
    }

    @Test
    void an_ec_key_serves_and_a_renewed_certificate_reaches_new_connections_without_a_restart() throws Exception {
        Issued first = intermediate.server(Kind.EC);
        start(first, KeyForm.PKCS8);
        int port = server.orchestrator().port();
        assertThat(TestCertificates.presented(trustingRoot, port).getFirst().getSerialNumber()).isEqualTo(first.serial());
        assertThat(send("GET", "/health", null, Map.of()).statusCode()).isEqualTo(200);

        // Renewed as certbot would: the chain first, then the key (for a moment the two do not match).
        Issued renewed = intermediate.server(Kind.RSA);
        renewed.writeChain(dir.resolve("tls/fullchain.pem"), intermediate.certificate());
        renewed.writeKey(dir.resolve("tls/key.pem"), KeyForm.PKCS8);

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(TestCertificates.presented(trustingRoot, port).getFirst().getSerialNumber()).isEqualTo(renewed.serial()));
        assertThat(send("GET", "/api/v1/api-keys", null, asAdmin()).statusCode()).as("a new connection after the renewal")
                .isEqualTo(200);
        assertThat(server.orchestrator().loops()).filteredOn(l -> l.name().equals("certificate-watch")).singleElement()
                .satisfies(l -> assertThat(l.failures()).isZero());
    }

    @Test
    void plain_http_gets_no_answer_on_the_tls_port() throws Exception {
        start(intermediate.server(Kind.EC), KeyForm.TRADITIONAL);
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (plain) {
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.orchestrator().port() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.send(get, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
        }
    }
}
