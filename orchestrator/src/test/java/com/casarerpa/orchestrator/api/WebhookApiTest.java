package com.casarerpa.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.casarerpa.orchestrator.domain.WebhookAuth;
import com.casarerpa.orchestrator.testing.Http;
import com.casarerpa.orchestrator.testing.MutableClock;
import com.casarerpa.orchestrator.testing.RunningOrchestrator;
import com.casarerpa.orchestrator.testing.Samples;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks on a whole server: signed deliveries start jobs with the body as variables; a wrong
 * signature, a stale timestamp or a missing key is 401 and changes nothing; a delivery id sent
 * twice starts one job. The receiving route takes no API key.
 */
class WebhookApiTest {
    private static final String BODY = "{\"order\":{\"id\":42,\"total\":9.5},\"noise\":true}";

    @TempDir
    Path work;

    private final MutableClock clock = new MutableClock(Instant.parse("2027-05-01T10:00:00Z"));
    private RunningOrchestrator server;
    private Http http;
    private Map<String, String> admin;

    @BeforeEach
    void start() {
        server = RunningOrchestrator.embedded(work, Map.of("CASARE_ORCHESTRATOR_RATE_LIMIT_BURST", "10000",
                "CASARE_WEBHOOK_URL", "https://hooks.example.com/casare/"), clock);
        http = server.http();
        admin = Map.of("X-API-Key", server.orchestrator().bootstrapKey().orElseThrow());
        http.post("/api/v1/workflows", "{\"name\":\"Orders\",\"workflow_data\":" + Samples.chain("Orders", "a") + "}", admin);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode create(String body) {
        Http.Response r = http.post("/api/v1/webhooks", body, admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    private Map<String, String> signed(String secret, String delivery, String body, Instant at) {
        String ts = String.valueOf(at.getEpochSecond());
        Map<String, String> h = new HashMap<>();
        h.put("X-Casare-Timestamp", ts);
        h.put("X-Casare-Delivery", delivery);
        h.put("X-Casare-Signature", WebhookAuth.signature(secret, ts, delivery, body.getBytes(StandardCharsets.UTF_8)));
        return h;
    }

    private long jobs() {
        return http.get("/api/v1/jobs", admin).json().get("items").size();
    }

    @Test
    void a_signed_delivery_starts_a_job_with_the_mapped_body_as_variables() {
        JsonNode hook = create("{\"name\":\"New order\",\"workflow_name\":\"Orders\",\"variables_path\":\"/order\","
                + "\"job\":{\"priority\":14}}");
        String id = hook.get("id").asText();
        assertThat(hook.get("url").asText()).isEqualTo("https://hooks.example.com/casare/" + id);
        assertThat(hook.get("secret").asText()).startsWith("whsec_");
        assertThat(http.get("/api/v1/webhooks/" + id, admin).json().has("secret")).isFalse();

        Http.Response r = http.post("/webhooks/" + id, BODY, signed(hook.get("secret").asText(), "d-1", BODY, clock.instant()));

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode job = http.get("/api/v1/jobs/" + r.json().get("job_id").asText(), admin).json();
        assertThat(job.get("variables").toString()).isEqualTo("{\"id\":42,\"total\":9.5}");
        assertThat(job.get("priority").asInt()).isEqualTo(14);
    }

    @Test
    void a_wrong_signature_or_a_stale_timestamp_is_401_and_changes_nothing() {
        JsonNode hook = create("{\"name\":\"New order\",\"workflow_name\":\"Orders\"}");
        String id = hook.get("id").asText();
        String secret = hook.get("secret").asText();

        Http.Response wrongSecret = http.post("/webhooks/" + id, BODY, signed("whsec_not-it", "d-1", BODY, clock.instant()));
        Http.Response tampered = http.post("/webhooks/" + id, BODY.replace("42", "43"), signed(secret, "d-1", BODY, clock.instant()));
        Http.Response otherDelivery = http.post("/webhooks/" + id, BODY, withDelivery(signed(secret, "d-1", BODY, clock.instant()), "d-2"));
        Http.Response unsigned = http.post("/webhooks/" + id, BODY, Map.of());
        Http.Response stale = http.post("/webhooks/" + id, BODY, signed(secret, "d-3", BODY, clock.instant().minus(Duration.ofMinutes(6))));
        Http.Response apiKeyInstead = http.post("/webhooks/" + id, BODY, admin);

        for (Http.Response r : new Http.Response[] {wrongSecret, tampered, otherDelivery, unsigned, stale, apiKeyInstead}) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("webhook_unauthorized");
            assertThat(r.body()).doesNotContain(secret);
        }
        assertThat(stale.json().at("/error/message").asText()).contains("5 minutes");
        assertThat(jobs()).isZero();
    }

    @Test
    void a_timestamp_past_the_range_of_dates_is_401_like_any_stale_one() {
        JsonNode hook = create("{\"name\":\"New order\",\"workflow_name\":\"Orders\"}");
        String id = hook.get("id").asText();
        String secret = hook.get("secret").asText();

        for (long ts : new long[] {Long.MAX_VALUE, Long.MIN_VALUE}) {
            Map<String, String> headers = signed(secret, "d-" + ts, BODY, clock.instant());
            headers.put("X-Casare-Timestamp", String.valueOf(ts));
            headers.put("X-Casare-Signature", WebhookAuth.signature(secret, String.valueOf(ts), "d-" + ts,
                    BODY.getBytes(StandardCharsets.UTF_8)));

            Http.Response r = http.post("/webhooks/" + id, BODY, headers);

            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("webhook_unauthorized");
            assertThat(r.json().at("/error/message").asText()).contains("5 minutes");
        }
        assertThat(jobs()).isZero();
    }

    @Test
    void a_delivery_is_taken_whatever_its_content_type_while_management_routes_want_json() {
        JsonNode hook = create("{\"name\":\"New order\",\"workflow_name\":\"Orders\",\"auth_mode\":\"key\"}");
        Map<String, String> key = Map.of("X-Casare-Webhook-Key", hook.get("secret").asText());

        Http.Response plain = http.send("POST", "/webhooks/" + hook.get("id").asText(), "text/plain", BODY, key);
        Http.Response none = http.send("POST", "/webhooks/" + hook.get("id").asText(), null, BODY, key);
        Http.Response form = http.send("POST", "/api/v1/webhooks", "application/x-www-form-urlencoded",
                "{\"name\":\"Other\",\"workflow_name\":\"Orders\"}", admin);

        assertThat(plain.status()).as(plain.body()).isEqualTo(202);
        assertThat(none.status()).as(none.body()).isEqualTo(202);
        assertThat(form.status()).as(form.body()).isEqualTo(415);
        assertThat(form.json().at("/error/code").asText()).isEqualTo("unsupported_media_type");
    }

    private static Map<String, String> withDelivery(Map<String, String> headers, String delivery) {
        Map<String, String> h = new HashMap<>(headers);
        h.put("X-Casare-Delivery", delivery);
        return h;
    }

    @Test
    void a_delivery_sent_twice_starts_one_job() {
        JsonNode hook = create("{\"name\":\"New order\",\"workflow_name\":\"Orders\"}");
        String id = hook.get("id").asText();
        Map<String, String> headers = signed(hook.get("secret").asText(), "delivery-77", BODY, clock.instant());

        Http.Response first = http.post("/webhooks/" + id, BODY, headers);
        clock.advance(Duration.ofSeconds(30));
        Http.Response again = http.post("/webhooks/" + id, BODY, headers);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("created").asBoolean()).isFalse();
        assertThat(again.json().get("job_id").asText()).isEqualTo(first.json().get("job_id").asText());
        assertThat(jobs()).isEqualTo(1);
    }

    @Test
    void key_mode_takes_the_key_header_and_stores_only_its_hash() {
        JsonNode hook = create("{\"name\":\"Simple\",\"workflow_name\":\"Orders\",\"auth_mode\":\"key\"}");
        String id = hook.get("id").asText();
        String key = hook.get("secret").asText();

        assertThat(http.post("/webhooks/" + id, BODY, Map.of("X-Casare-Webhook-Key", key + "x")).status()).isEqualTo(401);
        Http.Response ok = http.post("/webhooks/" + id, BODY, Map.of("X-Casare-Webhook-Key", key));
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
        assertThat(jobs()).isEqualTo(1);

        http.post("/api/v1/webhooks/" + id + "/disable", "{}", admin);
        assertThat(http.post("/webhooks/" + id, BODY, Map.of("X-Casare-Webhook-Key", key)).status()).isEqualTo(404);
    }

    @Test
    void bad_webhook_definitions_are_400_naming_the_field() {
        assertThat(http.post("/api/v1/webhooks", "{\"name\":\"x\",\"workflow_name\":\"Orders\",\"auth_mode\":\"basic\"}", admin)
                .json().at("/error/details/field").asText()).isEqualTo("auth_mode");
        assertThat(http.post("/api/v1/webhooks", "{\"name\":\"x\",\"workflow_name\":\"Orders\",\"variables_path\":\"order\"}", admin)
                .json().at("/error/details/field").asText()).isEqualTo("variables_path");
        assertThat(http.post("/api/v1/webhooks", "{\"name\":\"x\"}", admin).json().at("/error/details/field").asText())
                .isEqualTo("workflow_id");
        assertThat(http.get("/api/v1/webhooks", admin).json().get("items")).isEmpty();
    }
}
