package com.casarerpa.robot.agent;

import com.casarerpa.common.config.Secret;
import com.casarerpa.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens WebSocket connections to the orchestrator, with the key in {@code Authorization} (never
 * in the URL), the private CA when one is configured, and no subprotocol. A refused handshake
 * becomes a {@link Refused} that says whether retrying can help (docs/websocket-api.md,
 * "Handshake answers").
 */
final class Connector {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final Secret apiKey;
    private final HttpClient client;

    Connector(URI url, Secret apiKey, Optional<Path> caFile) {
        this.url = url;
        this.apiKey = apiKey;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT);
        caFile.ifPresent(pem -> b.sslContext(TlsTrust.withCaFile(pem)));
        this.client = b.build();
    }

    /** Why a connection attempt failed. {@code fatal}: stop the robot; otherwise retry after at least {@code retryAfter}. */
    static final class Refused extends Exception {
        final boolean fatal;
        final Duration retryAfter;

        Refused(String message, boolean fatal, Duration retryAfter) {
            super(message);
            this.fatal = fatal;
            this.retryAfter = retryAfter;
        }
    }

    void connect(Session session) throws Refused, InterruptedException {
        try {
            session.attach(client.newWebSocketBuilder()
                    .connectTimeout(CONNECT_TIMEOUT)
                    .header("Authorization", "Bearer " + apiKey.reveal())
                    .buildAsync(url, session)
                    .get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            throw new Refused("no answer from " + url + " within " + (CONNECT_TIMEOUT.toSeconds() + 5) + " s", false, Duration.ZERO);
        } catch (ExecutionException e) {
            throw refusal(e.getCause());
        }
    }

    private Refused refusal(Throwable cause) {
        if (cause instanceof WebSocketHandshakeException h) {
            HttpResponse<?> r = h.getResponse();
            int status = r.statusCode();
            Duration retryAfter = r.headers().firstValue("Retry-After").flatMap(Connector::seconds).orElse(Duration.ZERO);
            String body = errorMessage(r.body()).map(m -> ": " + m).orElse("");
            return switch (status) {
                case 401 -> new Refused("the orchestrator refused the API key (401)" + body
                        + "; check robot.api_key (it may be unknown, revoked or expired)", true, Duration.ZERO);
                case 403 -> new Refused("the API key may not connect robots (403)" + body
                        + "; create one with role robot ('casare-rpa orchestrator create-api-key --role robot')", true, Duration.ZERO);
                case 404 -> new Refused("no robot endpoint at " + url + " (404); check robot.url", false, Duration.ZERO);
                default -> new Refused("the orchestrator answered " + status + body, false, retryAfter);
            };
        }
        if (cause instanceof IOException io) {
            String why = io.getMessage() != null ? io.getMessage()
                    : io instanceof java.net.ConnectException ? "connection refused" : io.getClass().getSimpleName();
            if (cause instanceof javax.net.ssl.SSLException) {
                why = "TLS failed (" + why + "); for a private CA set robot.ca_file";
            }
            return new Refused("cannot reach " + url + ": " + why, false, Duration.ZERO);
        }
        return new Refused("cannot connect to " + url + ": " + cause, false, Duration.ZERO);
    }

    /** The {@code error.message} of a REST error body; nothing for other bodies (an HTML page of a proxy, say). */
    private static Optional<String> errorMessage(Object body) {
        if (body instanceof String text && text.strip().startsWith("{")) {
            try {
                return Optional.ofNullable(Json.mapper().readTree(text).path("error").path("message").asText(null));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
