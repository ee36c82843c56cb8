package com.casarerpa.orchestrator.cli;

import com.casarerpa.common.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One {@code GET /health} of a local instance, for {@code status} and {@code start --daemon}. */
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
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
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
}
