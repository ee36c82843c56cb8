package com.casarerpa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code casare-rpa orchestrator start --ssl-cert … --ssl-key …} as a user runs it, with a
 * self-signed certificate made by the {@code openssl} command: it serves HTTPS, and the URLs it
 * prints say so.
 */
class TlsLauncherIT {
    @TempDir
    Path workDir;

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
    }

    private SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Test
    void start_with_a_certificate_serves_https_and_prints_https_urls() throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2");
        Map<String, String> env = Map.of("CASARE_DATA_DIR", workDir.resolve("data").toString());
        try (LauncherProcess server = LauncherProcess.jar(workDir, env, "orchestrator", "start", "--port", "0",
                "--ssl-cert", "cert.pem", "--ssl-key", "key.pem")) {
            String port = server.awaitLine("listening on https://127\\.0\\.0\\.1:(\\d+)", Duration.ofSeconds(90));
            server.awaitLine("Open the dashboard at (https://127\\.0\\.0\\.1:\\d+/)", Duration.ofSeconds(30));
            assertThat(server.output()).contains("Open the dashboard at https://127.0.0.1:" + port + "/")
                    .contains("TLS: serving CN=localhost");

            try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(workDir.resolve("cert.pem"))).build()) {
                HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }
            // status reads the pid file the foreground start wrote and asks /health over https.
            try (LauncherProcess status = LauncherProcess.jar(workDir, env, "orchestrator", "status", "--json")) {
                assertThat(status.waitFor(Duration.ofSeconds(60))).as(status.output()).isZero();
                JsonNode json = Json.mapper().readTree(String.join("\n", status.stdout()));
                assertThat(json.get("state").asText()).isEqualTo("running");
                assertThat(json.get("address").asText()).isEqualTo("https://127.0.0.1:" + port);
                assertThat(json.get("health").get("status").asText()).isEqualTo("healthy");
            }
            assertThat(server.terminate(Duration.ofSeconds(30))).as(server.output()).isIn(0, 143);
        }
    }
}
