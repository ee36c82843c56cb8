package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One {@code GET /health} of a local instance, for {@code status} and {@code start --daemon}.
 * With TLS ({@code https://}) the instance's certificate is not checked: it is named for the
 * public host, not the loopback address asked here, and may come from a private CA. Nothing is
 * sent but the request line, and the answer only informs {@code status}.
 */
final class HealthProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /**
     * What the instance answered: its HTTP status and body, or why it did not answer.
     *
     * @param status 0 when it did not answer
     * @param body   the JSON answer; an empty object when there was none
     * @param error  why there was no answer; empty when there was one
     */
    record Answer(int status, JsonNode body, String error) {
        /** No answer, because {@code why}. */
        static Answer none(String why) {
            return new Answer(0, Json.mapper().createObjectNode(), why);
        }

        boolean answered() {
            return status != 0;
        }

        String field(String name, String otherwise) {
            return body.hasNonNull(name) ? body.get(name).asText() : otherwise;
        }
    }

    private HealthProbe() {}

    static Answer ask(String address) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (address.startsWith("https:")) {
            builder.sslContext(acceptingAnyCertificate());
        }
        try (HttpClient client = builder.build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(address + "/health")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = Json.mapper().readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            return new Answer(r.statusCode(), body == null || !body.isObject() ? Json.mapper().createObjectNode() : body, "");
        } catch (IOException e) {
            return Answer.none(e.getMessage() == null ? e.getClass().getSimpleName() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.none("interrupted");
        }
    }

    /** A context whose trust manager accepts any certificate for any name (see the class comment). */
    private static SSLContext acceptingAnyCertificate() {
        X509ExtendedTrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {any}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
